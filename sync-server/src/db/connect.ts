import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { INT8_OID, parseInt8 } from './int8.js';
import { migrateToLatest } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { ServerDatabase } from './schema.js';

export type Unlisten = () => Promise<void>;

export interface ServerDb {
  db: Kysely<ServerDatabase>;
  kind: 'postgres' | 'pglite';
  /** Subscribes to NOTIFY on a channel; the payload is passed to onNotify. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Unlisten>;
  close(): Promise<void>;
}

export interface OpenServerDbOptions {
  /** A PostgreSQL URL; when absent the server runs on embedded PGlite. */
  databaseUrl?: string;
  /** PGlite's data folder; in memory when absent. Ignored with databaseUrl. */
  dataDir?: string;
}

const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Opens the server database (PostgreSQL or PGlite) and brings its schema up to date. */
export async function openServerDb(options: OpenServerDbOptions = {}): Promise<ServerDb> {
  const opened = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir);
  try {
    await migrateToLatest(opened.db);
  } catch (e) {
    await opened.close();
    throw e;
  }
  return opened;
}

async function openPostgres(url: string): Promise<ServerDb> {
  const pool = new pg.Pool({ connectionString: url, types: pgTypes, max: 10 });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<ServerDatabase>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<pg.Client>();

  return {
    db,
    kind: 'postgres',
    async listen(channel, onNotify) {
      // LISTEN needs a session of its own: pooled connections are shared and recycled.
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel) onNotify(n.payload ?? '');
      });
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        if (!listeners.delete(client)) return;
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      listeners.clear();
      await db.destroy();
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<ServerDb> {
  // PGlite creates only the last folder of the path; a fresh checkout has no .data/ yet.
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), parsers: { [INT8_OID]: parseInt8 } });
  const db = new Kysely<ServerDatabase>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, onNotify);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
