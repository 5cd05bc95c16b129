import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Left beside the database when a check while the app ran found it damaged: the next start
 * rebuilds it (a damaged database cannot be swapped out from under the running app safely). */
const MARKER = 'schoolhouse.damaged.txt';

export async function markDamaged(dataDir: string, reason: string): Promise<void> {
  await writeFile(join(dataDir, MARKER), `${new Date().toISOString()} ${reason}\n`);
}

/** The reason recorded by markDamaged, or null when the database was not marked. */
export async function damageMarked(dataDir: string): Promise<string | null> {
  try {
    return (await readFile(join(dataDir, MARKER), 'utf8')).trim().replace(/^\S+ /, '');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function clearDamageMark(dataDir: string): Promise<void> {
  await rm(join(dataDir, MARKER), { force: true });
}
