import Sqlite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { LocalDatabase } from './database.js';
import { localMigrations } from './migrations/index.js';
import { restoreBulkLoad } from './bulk-load.js';
import { coreKysely } from './core-executor.js';

export interface LocalStore {
  db: Kysely<LocalDatabase>;
  /** The raw connection, for the few hot paths and checks that need it (EXPLAIN, backups). */
  sqlite: Sqlite.Database;
  close(): Promise<void>;
}

function applyPragmas(sqlite: Sqlite.Database): void {
  sqlite.pragma('journal_mode = WAL');
  // FULL: a payment the bursar saw saved survives a power cut.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export async function openLocalStore(file: string): Promise<LocalStore> {
  const sqlite = new Sqlite(file);
  try {
    applyPragmas(sqlite);
  } catch (err) {
    // A damaged file fails here (SQLITE_NOTADB); the caller may move it aside, so let go of it.
    sqlite.close();
    throw err;
  }
  const db = await coreKysely<LocalDatabase>(sqlite);
  const { error, results } = await new Migrator({ db, provider: localMigrations }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`Could not prepare the local database ${file}: ${failed?.migrationName ?? ''} ${String(error)}`, { cause: error });
  }
  // A first sync cut short mid bulk load left its indexes and search triggers off: put them back.
  restoreBulkLoad(sqlite);
  return {
    db,
    sqlite,
    close: () => db.destroy(),
  };
}
