import { z } from 'zod';

/** A backup file name as core writes it: no folders, so a caller can never point restore
 * at an arbitrary path. */
export const BackupName = z
  .string()
  .regex(/^schoolhouse-[0-9TZ-]+\.sqlite3$/, 'Choose a backup from the list (a file named like schoolhouse-20261122T061500Z.sqlite3).');

export const BackupInfo = z.object({
  name: BackupName,
  takenAt: z.string(),
  bytes: z.int().nonnegative(),
  /** Changes in that copy's outbox that had not reached the server when it was taken. */
  pending: z.int().nonnegative(),
});
export type BackupInfo = z.infer<typeof BackupInfo>;

/** What happened when the local database was found damaged at start and rebuilt. */
export const RecoveryReport = z.object({
  at: z.string(),
  /** The damaged file, kept beside the database for IT to inspect. */
  damagedFile: z.string(),
  /** The backup whose device identity and outbox were carried over (null: none was usable). */
  fromBackup: z.string().nullable(),
  /** Unsent changes carried over from the backup into the new database. */
  pendingRecovered: z.int().nonnegative(),
  reason: z.string(),
});
export type RecoveryReport = z.infer<typeof RecoveryReport>;

export const BackupsOverview = z.object({
  folder: z.string(),
  /** Hours between scheduled backups. */
  everyHours: z.number().positive(),
  /** How many backups are kept; older ones are deleted after a new one is written. */
  keep: z.int().positive(),
  rows: z.array(BackupInfo),
  lastRecovery: RecoveryReport.nullable(),
});
export type BackupsOverview = z.infer<typeof BackupsOverview>;

export const RestoreResult = z.object({
  restored: BackupName,
  /** Unsent changes of the database replaced by the restore, kept and queued again. */
  pendingKept: z.int().nonnegative(),
});
export type RestoreResult = z.infer<typeof RestoreResult>;
