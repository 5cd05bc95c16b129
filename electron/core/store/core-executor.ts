import type Sqlite from 'better-sqlite3';
import {
  CompiledQuery,
  DefaultQueryExecutor,
  Kysely,
  SqliteDialect,
  type ConnectionProvider,
  type DatabaseConnection,
  type QueryExecutor,
  type QueryResult,
} from 'kysely';
import { StatementCache } from './statement-cache.js';

/**
 * The one connection core runs every query on. better-sqlite3 is synchronous, so a query is a
 * plain call on a cached prepared statement (`run`); `executeQuery` is the same for Kysely's
 * transactions, which await between statements.
 */
class CoreConnection implements DatabaseConnection {
  readonly #statements: StatementCache;

  constructor(statements: StatementCache) {
    this.#statements = statements;
  }

  run<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const stmt = this.#statements.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return this.run<R>(compiledQuery);
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Core does not stream queries: a streamed statement would hold the one connection.');
  }
}

/**
 * Who holds the connection: a Kysely transaction, `db.connection()` or `withSqlite` take it for
 * as long as they await between statements; anything else waits its turn (first come, first
 * served), so it can never run inside someone else's transaction.
 */
class ConnectionGate implements ConnectionProvider {
  readonly connection: CoreConnection;
  #tail: Promise<void> | null = null;

  constructor(connection: CoreConnection) {
    this.connection = connection;
  }

  get free(): boolean {
    return this.#tail === null;
  }

  async provideConnection<T>(consumer: (connection: DatabaseConnection) => Promise<T>): Promise<T> {
    const before = this.#tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.#tail = mine;
    if (before) await before;
    try {
      return await consumer(this.connection);
    } finally {
      if (this.#tail === mine) this.#tail = null;
      release();
    }
  }
}

/**
 * Kysely's executor for core: queries are built and compiled by Kysely as usual, and a query
 * made while nobody holds the connection runs at once, synchronously, on the cached statement.
 * Kysely's own path (connection mutex, driver, connection provider, result plugins) costs a
 * dozen promise hops per query, which on a 0.1 ms list page was a third of the time. A query
 * made while a transaction holds the connection, and every query inside one, goes through the
 * provider and waits its turn as before. Copies made for transactions, `connection()` or plugins
 * are Kysely's default executor over the same gate.
 */
class CoreExecutor extends DefaultQueryExecutor {
  readonly #gate: ConnectionGate;

  constructor(dialect: SqliteDialect, gate: ConnectionGate) {
    super(dialect.createQueryCompiler(), dialect.createAdapter(), gate, []);
    this.#gate = gate;
  }

  override async executeQuery<R>(compiledQuery: CompiledQuery, options?: Parameters<QueryExecutor['executeQuery']>[1]): Promise<QueryResult<R>> {
    if (this.#gate.free && !options?.signal) return this.#gate.connection.run<R>(compiledQuery);
    return super.executeQuery<R>(compiledQuery, options);
  }
}

/** Core's Kysely over one better-sqlite3 connection; destroying it closes the connection. */
export async function coreKysely<DB>(sqlite: Sqlite.Database): Promise<Kysely<DB>> {
  const statements = new StatementCache(sqlite);
  const database = {
    prepare: (sql: string) => statements.prepare(sql),
    close: () => {
      statements.clear();
      sqlite.close();
    },
  };
  // The dialect supplies the compiler, adapter and introspector (the migrator uses it); its
  // driver only begins, commits and rolls back transactions on the connection it is given.
  const dialect = new SqliteDialect({ database });
  const driver = dialect.createDriver();
  await driver.init();
  const gate = new ConnectionGate(new CoreConnection(statements));
  return new Kysely<DB>({ config: { dialect }, dialect, driver, executor: new CoreExecutor(dialect, gate) });
}
