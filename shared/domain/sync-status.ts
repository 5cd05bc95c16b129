import { z } from 'zod';

export const SyncStatus = z.object({
  /** Whether the last attempt to reach the sync server succeeded. */
  online: z.boolean(),
  /** Changes saved on this device that the server has not acknowledged yet. */
  pending: z.int().nonnegative(),
  oldestPendingAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  /** The last sync failure, in words a user can act on. */
  lastError: z.string().nullable(),
  /** Changes the server refused, kept for the user to fix, resend or discard. */
  needsAttention: z.int().nonnegative(),
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
