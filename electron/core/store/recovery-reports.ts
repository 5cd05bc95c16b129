import type { Kysely } from 'kysely';
import type { RecoveryReport } from '../../../shared/domain/backups.js';
import type { LocalDatabase } from './database.js';

/** The latest rebuild of this device's database after it was found damaged, if any. */
export async function lastRecovery(db: Kysely<LocalDatabase>): Promise<RecoveryReport | null> {
  const row = await db.selectFrom('recovery_reports').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? { at: row.at, damagedFile: row.damaged_file, fromBackup: row.from_backup, pendingRecovered: row.pending_recovered, reason: row.reason } : null;
}
