import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { INT8_OID, parseInt8 } from './int8.js';
import { migrateToLatest } from './migrate.js';
import { listenWithReconnect } from './pg-listener.js';
import { PGliteDialect, PGliteSession } from './pglite-dialect.js';
import { APP_ROLE } from './migrations/0002_staff_roles.js';
import type { ServerDatabase } from './schema.js';

export type Unlisten = () => Promise<void>;

export interface ServerDb {
  /** The migration owner's connection: school creation, the CLI, tests. Not for requests. */
  db: Kysely<ServerDatabase>;
  /** The request-serving connection, as the schoolhouse_app role: row-level security applies,
   * so every query must run inside withTenant. */
  app: Kysely<ServerDatabase>;
  kind: 'postgres' | 'pglite';
  /** Subscribes to NOTIFY on a channel; the payload is passed to onNotify. If the subscription
   * is lost and re-established, onReconnect runs (notifications in between are lost). */
  listen(channel: string, onNotify: (payload: string) => void, onReconnect: () => void): Promise<Unlisten>;
  close(): Promise<void>;
}

export interface OpenServerDbOptions {
  /** A PostgreSQL URL; when absent the server runs on embedded PGlite. */
  databaseUrl?: string;
  /** PGlite's data folder; in memory when absent. Ignored with databaseUrl. */
  dataDir?: string;
  /** The request pool's URL (role schoolhouse_app); default: databaseUrl with that user and
   * no password, or env SCHOOLHOUSE_APP_DATABASE_URL. */
  appDatabaseUrl?: string;
}

/** databaseUrl with its user replaced by the app role (trust or peer auth, or a .pgpass entry). */
export function defaultAppDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.username = APP_ROLE;
  url.password = '';
  return url.toString();
}

const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Opens the server database (PostgreSQL or PGlite) and brings its schema up to date. */
export async function openServerDb(options: OpenServerDbOptions = {}): Promise<ServerDb> {
  const opened = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.appDatabaseUrl ?? process.env.SCHOOLHOUSE_APP_DATABASE_URL ?? defaultAppDatabaseUrl(options.databaseUrl))
    : await openPglite(options.dataDir);
  try {
    // Migrations run as the owner; the app role they create serves requests afterwards.
    await migrateToLatest(opened.db);
  } catch (e) {
    await opened.close();
    throw e;
  }
  return opened;
}

function pool(url: string, max: number): pg.Pool {
  const p = new pg.Pool({ connectionString: url, types: pgTypes, max });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  p.on('error', () => undefined);
  return p;
}

async function openPostgres(url: string, appUrl: string): Promise<ServerDb> {
  const db = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool: pool(url, 3) }) });
  // Connects lazily: the role exists only once the migration has run.
  const app = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool: pool(appUrl, 10) }) });
  const listeners = new Set<Unlisten>();

  return {
    db,
    app,
    kind: 'postgres',
    async listen(channel, onNotify, onReconnect) {
      const unlisten = await listenWithReconnect(url, channel, onNotify, onReconnect);
      listeners.add(unlisten);
      return async () => {
        if (listeners.delete(unlisten)) await unlisten();
      };
    },
    async close() {
      await Promise.all([...listeners].map((unlisten) => unlisten()));
      listeners.clear();
      await app.destroy();
      await db.destroy();
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<ServerDb> {
  // PGlite creates only the last folder of the path; a fresh checkout has no .data/ yet.
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: { [INT8_OID]: parseInt8 } });
  // One connection for both: each Kysely switches the session's role when it takes the lock.
  const session = new PGliteSession(pglite);
  const db = new Kysely<ServerDatabase>({ dialect: new PGliteDialect(session, null) });
  const app = new Kysely<ServerDatabase>({ dialect: new PGliteDialect(session, APP_ROLE) });
  return {
    db,
    app,
    kind: 'pglite',
    // In-process: the subscription cannot drop, so onReconnect never runs.
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, onNotify);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
    async close() {
      await app.destroy();
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
