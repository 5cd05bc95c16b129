import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** SQLite's files for one database: the main file and, in WAL mode, its log and shared memory. */
const SIDECARS = ['-wal', '-shm', '-journal'] as const;

/** A database built beside the live one, waiting to replace it (restore or rebuild). */
export const NEXT_SUFFIX = '.next';

export async function removeDatabaseFiles(file: string): Promise<void> {
  for (const s of ['', ...SIDECARS]) await rm(file + s, { force: true });
}

/** Where the live database's files are kept when they are replaced: `<data>/<kind>/schoolhouse-<label>-<time>.sqlite`. */
export function keptPath(live: string, kind: 'damaged' | 'replaced', label: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return join(dirname(live), kind, `${basename(live).replace(/\.sqlite$/, '')}-${label}-${stamp}.sqlite`);
}

/** Moves the (closed) live database's files to `kept`. Its log goes with it: applied to another
 * file it would corrupt it. */
export async function moveAside(live: string, kept: string): Promise<void> {
  await mkdir(dirname(kept), { recursive: true });
  for (const s of SIDECARS) if (existsSync(live + s)) await rename(live + s, kept + s);
  if (existsSync(live)) await rename(live, kept);
}

/**
 * Replaces the (closed) live database with the one built at `live + NEXT_SUFFIX`, keeping the
 * old files at `kept`. A power cut between the renames leaves only the `.next` file, which
 * finishInterruptedSwap puts in place at the next start.
 */
export async function swapInNext(live: string, kept: string): Promise<void> {
  await moveAside(live, kept);
  await rename(live + NEXT_SUFFIX, live);
}

/** At start: completes a swap a power cut interrupted after the old file was moved away, or
 * removes a replacement that was still being built. */
export async function finishInterruptedSwap(live: string): Promise<void> {
  if (!existsSync(live) && existsSync(live + NEXT_SUFFIX)) await rename(live + NEXT_SUFFIX, live);
  else await removeDatabaseFiles(live + NEXT_SUFFIX);
}
