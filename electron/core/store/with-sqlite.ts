import type Sqlite from 'better-sqlite3';
import type { LocalStore } from './open-store.js';

/**
 * Runs synchronous better-sqlite3 work while holding Kysely's connection, so it can never
 * interleave with (or silently nest inside) a Kysely transaction that is awaiting between
 * statements. Used by the hot paths that prepare their own statements.
 */
export function withSqlite<T>(store: LocalStore, work: (sqlite: Sqlite.Database) => T): Promise<T> {
  return store.db.connection().execute(async () => work(store.sqlite));
}
