import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { Mutex } from './mutex.js';

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters], { rowMode: 'object' });
    return result.affectedRows === undefined
      ? { rows: result.rows }
      : { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on PGlite');
  }
}

/** PGlite's one connection, shared by every Kysely over it: one lock, and the role the session
 * currently runs as (the owner, or the app role that row-level security binds). */
export class PGliteSession {
  readonly mutex = new Mutex();
  readonly connection: PGliteConnection;
  role: string | null = null;

  constructor(readonly pglite: PGlite) {
    this.connection = new PGliteConnection(pglite);
  }
}

class PGliteDriver implements Driver {
  readonly #releases = new Map<DatabaseConnection, () => void>();

  constructor(
    private readonly session: PGliteSession,
    private readonly role: string | null,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.session.mutex.lock();
    const connection = this.session.connection;
    try {
      // Under the lock, outside any transaction: the role holds until the next switch.
      if (this.session.role !== this.role) {
        await connection.executeQuery(CompiledQuery.raw(this.role ? `set role ${this.role}` : 'reset role'));
        this.session.role = this.role;
      }
    } catch (e) {
      release();
      throw e;
    }
    this.#releases.set(connection, release);
    return connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.#releases.get(connection);
    this.#releases.delete(connection);
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = 'begin';
    if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) text += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(text));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    // The owner of the PGlite instance closes it (it also serves LISTEN).
  }
}

/** Kysely over embedded PGlite, with PostgreSQL's SQL dialect: the same queries and migrations
 * run on both backends. `role` null runs as the owner, else SET ROLE to it (PGlite has one
 * connection, so there is no second login to give the request-serving side). */
export class PGliteDialect implements Dialect {
  constructor(
    private readonly session: PGliteSession,
    private readonly role: string | null,
  ) {}

  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.session, this.role);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
