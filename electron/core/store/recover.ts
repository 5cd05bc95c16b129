import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecoveryReport } from '../../../shared/domain/backups.js';
import { openLocalStore, type LocalStore } from './open-store.js';
import { BACKUP_FOLDER, listBackupFiles, type BackupFile } from './backup-files.js';
import { carryPendingRows, copyTables, replaceDeviceState, SIGN_IN_TABLES } from './carry-over.js';
import { clearDamageMark, damageMarked } from './damage-marker.js';
import { quickCheck } from './sqlite-worker.js';
import { finishInterruptedSwap, keptPath, moveAside, NEXT_SUFFIX, removeDatabaseFiles, swapInNext } from './swap-files.js';
import { withSqlite } from './with-sqlite.js';

/** The local database was damaged and could not be rebuilt; the message says what to do. */
export class DatabaseLostError extends Error {}

/** A copy of the chosen backup brought to this version's schema, read while the new database is built. */
const FROM_BACKUP_SUFFIX = '.from-backup';

export interface CheckedStore {
  store: LocalStore;
  /** Set when the database was found damaged and rebuilt during this open. */
  recovered: RecoveryReport | null;
}

/** SQLite's words for a damaged file: a corrupt page or b-tree, or a header that is not a database's. */
export function isDamage(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(e.code)) return true;
  }
  return false;
}

/**
 * What is read at every start, so a damaged file is found before anyone works on it: the schema
 * (the header and the first pages), and the whole of this device's own small tables (identity,
 * sync position, outbox, refusals, offline sign-ins). The school's large tables are checked in
 * the background after start (BackupSchedule), which marks the database for a rebuild.
 */
function probe(store: LocalStore): void {
  const { sqlite } = store;
  sqlite.prepare('select count(*) from sqlite_schema').get();
  for (const table of ['device', 'sync_state', 'outbox', 'outbox_rows', 'shadow_rows', 'needs_attention', 'local_credentials']) {
    sqlite.prepare(`select * from ${table}`).all();
  }
}

/**
 * Opens this device's database, rebuilding it when it is damaged: found unreadable now, or
 * marked by a check while the app last ran. The damaged files are moved to `damaged/`; a new
 * database gets, from the newest backup that passes its check, this device's identity, offline
 * sign-ins, outbox, needs-attention and the rows those changes wrote; the school's records come
 * again from the server in a full first sync. New receipt numbers wait for that sync (the lost
 * database may have issued some after the backup). A report of it is kept in the new database.
 */
export async function openCheckedStore(dataDir: string, file: string): Promise<CheckedStore> {
  await finishInterruptedSwap(file);
  await removeDatabaseFiles(file + FROM_BACKUP_SUFFIX);
  let reason = await damageMarked(dataDir);
  if (reason === null) {
    let store: LocalStore | undefined;
    try {
      store = await openLocalStore(file);
      probe(store);
      return { store, recovered: null };
    } catch (err) {
      await store?.close().catch(() => undefined);
      if (!isDamage(err)) throw err;
      reason = `SQLite reported "${(err as Error).message}" when opening it`;
    }
  }
  return rebuild(dataDir, file, reason);
}

async function newestGoodBackup(folder: string): Promise<BackupFile | null> {
  for (const backup of await listBackupFiles(folder)) if ((await quickCheck(backup.path)).ok) return backup;
  return null;
}

async function rebuild(dataDir: string, file: string, reason: string): Promise<CheckedStore> {
  const folder = join(dataDir, BACKUP_FOLDER);
  const damagedFile = keptPath(file, 'damaged', 'damaged');
  const backup = await newestGoodBackup(folder);
  if (!backup) {
    if (existsSync(file)) await moveAside(file, damagedFile);
    await clearDamageMark(dataDir);
    throw new DatabaseLostError(
      `This computer's database is damaged (${reason}) and there is no usable backup of it in ${folder}. ` +
        `Enrol this computer again with an enrolment code from your administrator: the school's records will come back from the server, ` +
        `but changes saved here that had not reached the server are lost. The damaged file is kept at ${damagedFile} for IT.`,
    );
  }

  const next = file + NEXT_SUFFIX;
  const source = file + FROM_BACKUP_SUFFIX;
  await removeDatabaseFiles(next);
  await copyFile(backup.path, source);
  const report: RecoveryReport = { at: new Date().toISOString(), damagedFile, fromBackup: backup.name, pendingRecovered: 0, reason };
  try {
    await (await openLocalStore(source)).close(); // brings an older backup to this version's schema
    const store = await openLocalStore(next);
    try {
      await withSqlite(store, (sqlite) => {
        sqlite.prepare('attach database ? as bk').run(source);
        try {
          sqlite.transaction(() => {
            replaceDeviceState(sqlite, 'bk');
            copyTables(sqlite, 'bk', SIGN_IN_TABLES);
            carryPendingRows(sqlite, 'bk', 'main');
            // The first sync is a rebuild: at its end, carried rows the server no longer has
            // (a removed staff member) are dropped, as after a must-refetch.
            sqlite.prepare('update sync_state set refetching = 1 where id = 1').run();
            report.pendingRecovered = Number(sqlite.prepare('select count(*) from outbox').pluck().get());
            sqlite.prepare('insert or replace into receipt_hold (id, since) values (1, ?)').run(report.at);
            sqlite
              .prepare('insert into recovery_reports (at, damaged_file, from_backup, pending_recovered, reason) values (?, ?, ?, ?, ?)')
              .run(report.at, report.damagedFile, report.fromBackup, report.pendingRecovered, report.reason);
          })();
        } finally {
          sqlite.prepare('detach database bk').run();
        }
      });
    } finally {
      await store.close();
    }
  } catch (err) {
    await removeDatabaseFiles(next);
    throw err;
  } finally {
    await removeDatabaseFiles(source);
  }
  await swapInNext(file, damagedFile);
  await clearDamageMark(dataDir);
  return { store: await openLocalStore(file), recovered: report };
}
