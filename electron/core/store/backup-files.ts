import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BackupName } from '../../../shared/domain/backups.js';

/** The folder under the data folder where this device's backups live. */
export const BACKUP_FOLDER = 'backups';

/** A backup being written: not listed, never restored, removed if a crash left it behind. */
export const PARTIAL_SUFFIX = '.partial';

export interface BackupFile {
  name: string;
  path: string;
  takenAt: string;
  bytes: number;
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** `schoolhouse-20261122T061500Z.sqlite3`, with `-2`, `-3`… when a second backup falls in the same second. */
export function backupNameFor(at: Date, taken: ReadonlySet<string>): string {
  const base = `schoolhouse-${stamp(at)}`;
  let name = `${base}.sqlite3`;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}.sqlite3`;
  return name;
}

/** The UTC time a backup's name records (names are only ever made by backupNameFor). */
export function takenAtOf(name: string): string {
  const m = /^schoolhouse-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : new Date(0).toISOString();
}

/** The backups in `folder`, newest first (by the time in the name, then the same-second suffix). */
export async function listBackupFiles(folder: string): Promise<BackupFile[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const order = (name: string) => `${takenAtOf(name)} ${String(Number(/-(\d+)\.sqlite3$/.exec(name)?.[1] ?? 1)).padStart(6, '0')}`;
  const valid = names.filter((n) => BackupName.safeParse(n).success).sort((a, b) => order(b).localeCompare(order(a)));
  const files: BackupFile[] = [];
  for (const name of valid) {
    const path = join(folder, name);
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) files.push({ name, path, takenAt: takenAtOf(name), bytes: info.size });
  }
  return files;
}

/** Deletes all but the newest `keep` backups. */
export async function pruneBackups(folder: string, keep: number): Promise<void> {
  for (const old of (await listBackupFiles(folder)).slice(keep)) await rm(old.path, { force: true });
}

/** Removes backups a crash or power cut interrupted while they were being written. */
export async function removePartialBackups(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const n of names) if (n.endsWith(PARTIAL_SUFFIX)) await rm(join(folder, n), { force: true });
}
