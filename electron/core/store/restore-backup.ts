import { copyFile } from 'node:fs/promises';
import type { RestoreResult } from '../../../shared/domain/backups.js';
import { AppError } from '../../../shared/api/errors.js';
import { openLocalStore } from './open-store.js';
import { listBackupFiles } from './backup-files.js';
import { carryPendingRows, keepReceiptCounterAtLeast, receiptCounter, replaceDeviceState } from './carry-over.js';
import { quickCheck } from './sqlite-worker.js';
import { keptPath, NEXT_SUFFIX, removeDatabaseFiles, swapInNext } from './swap-files.js';
import { withSqlite } from './with-sqlite.js';

/** A backup found and checked, before the live database is touched. */
export interface RestorePlan {
  name: string;
  backupFile: string;
}

/** Finds and checks the backup to restore; refuses with a clear error before anything changes. */
export async function checkBackup(folder: string, name: string): Promise<RestorePlan> {
  const file = (await listBackupFiles(folder)).find((f) => f.name === name);
  if (!file) throw new AppError('not_found', `There is no backup named ${name} on this computer. Choose one from the list of backups.`);
  const check = await quickCheck(file.path);
  if (!check.ok) {
    throw new AppError('conflict', `The backup ${name} is damaged (${check.problems.join('; ')}), so it was not restored. Choose an older backup.`);
  }
  return { name, backupFile: file.path };
}

/**
 * Restores a checked backup over the live database, which the caller has closed (sync stopped,
 * nothing writing). The result is the backup's content, with this device's current state
 * carried over from the live database: its identity and token, offline sign-ins, the outbox
 * (every change not yet acknowledged, queued again under the same mutation ids, so the server
 * applies each once), needs-attention, and the rows those changes wrote, as saved. Rows the
 * backup still had pending but the live database has settled since take the live version. The
 * receipt counter is the higher of the two. The sync position is the backup's: the device pulls
 * everything that changed since. The replaced files are kept under `replaced/`.
 */
export async function restoreBackup(live: string, plan: RestorePlan): Promise<RestoreResult> {
  const next = live + NEXT_SUFFIX;
  await removeDatabaseFiles(next);
  await copyFile(plan.backupFile, next);
  let pendingKept = 0;
  try {
    const store = await openLocalStore(next);
    try {
      await withSqlite(store, (sqlite) => {
        sqlite.prepare('attach database ? as cur').run(live);
        try {
          sqlite.transaction(() => {
            pendingKept = Number(sqlite.prepare('select count(*) from cur.outbox where mutation_id not in (select mutation_id from main.outbox)').pluck().get());
            const backupCounter = receiptCounter(sqlite, 'main');
            // Rows the backup had pending: settled since, so the live copy is the right one.
            carryPendingRows(sqlite, 'cur', 'main');
            replaceDeviceState(sqlite, 'cur');
            // main.outbox is now the live one: the rows its changes wrote, as saved.
            carryPendingRows(sqlite, 'cur', 'main');
            keepReceiptCounterAtLeast(sqlite, backupCounter);
          })();
        } finally {
          sqlite.prepare('detach database cur').run();
        }
      });
    } finally {
      await store.close();
    }
  } catch (err) {
    await removeDatabaseFiles(next);
    throw err;
  }
  await swapInNext(live, keptPath(live, 'replaced', 'before-restore'));
  return { restored: plan.name, pendingKept };
}
