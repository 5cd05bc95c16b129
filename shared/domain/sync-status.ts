import { z } from 'zod';

/**
 * A first sync (or a rebuild after must-refetch or a recovered database) in progress. The
 * school's current records come first, then older history; the app is usable once `phase`
 * is 'history'.
 */
export const InitialSyncProgress = z.object({
  /** 'current': people, classes, fees set-up; 'history': payments, registers, logs. */
  phase: z.enum(['current', 'history']),
  /** Rows received and stored so far (across interruptions). */
  rowsDone: z.int().nonnegative(),
  /** The server's count of rows to send at the start, so percent = rowsDone / rowsTotal. */
  rowsTotal: z.int().nonnegative(),
  startedAt: z.string(),
  /** Estimated from the rate so far; null until there is a rate to go by. */
  secondsLeft: z.number().nonnegative().nullable(),
});
export type InitialSyncProgress = z.infer<typeof InitialSyncProgress>;

export const SyncStatus = z.object({
  /** Whether the last attempt to reach the sync server succeeded. */
  online: z.boolean(),
  /** Changes saved on this device that the server has not acknowledged yet. */
  pending: z.int().nonnegative(),
  oldestPendingAt: z.string().nullable(),
  /** The last time a push was acknowledged or the pull was up to date. */
  lastSyncAt: z.string().nullable(),
  /** The last sync failure, in words a user can act on; null once a sync succeeds again. */
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  /** Changes the server refused, kept for the user to fix, resend or discard. */
  needsAttention: z.int().nonnegative(),
  /** Present while a first sync or rebuild is streaming in. */
  initialSync: InitialSyncProgress.nullable(),
  /** The newest backup of this device's database (null: none yet). */
  lastBackupAt: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const AppInfo = z.object({
  schoolName: z.string(),
  currency: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  receiptSeries: z.string(),
  serverUrl: z.string(),
  profile: z.enum(['office', 'teacher_room']),
});
export type AppInfo = z.infer<typeof AppInfo>;
