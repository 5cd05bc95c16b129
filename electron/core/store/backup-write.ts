import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupInfo } from '../../../shared/domain/backups.js';
import { backupNameFor, listBackupFiles, PARTIAL_SUFFIX, pruneBackups } from './backup-files.js';
import { backupAndCheck } from './sqlite-worker.js';

/**
 * Writes a copy of the live database `live` into `folder` (SQLite's online backup API, in a
 * worker on its own read-only connection: the app keeps working meanwhile), checks the copy
 * and only then gives it its final name; then keeps the newest `keep`.
 */
export async function writeBackup(live: string, folder: string, keep: number, now = new Date()): Promise<BackupInfo> {
  await mkdir(folder, { recursive: true });
  const name = backupNameFor(now, new Set((await listBackupFiles(folder)).map((f) => f.name)));
  const final = join(folder, name);
  const partial = final + PARTIAL_SUFFIX;
  try {
    const check = await backupAndCheck(live, partial);
    if (!check.ok) throw new Error(`the copy failed its check (${check.problems.join('; ')})`);
    await rename(partial, final);
    await pruneBackups(folder, keep);
    const written = (await listBackupFiles(folder)).find((f) => f.name === name);
    return { name, takenAt: written?.takenAt ?? now.toISOString(), bytes: written?.bytes ?? 0, pending: check.pending };
  } catch (err) {
    for (const suffix of ['', '-journal']) await rm(partial + suffix, { force: true });
    throw err;
  }
}
