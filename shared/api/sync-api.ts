import { z } from 'zod';
import type { MethodTable } from './access.js';
import { SyncStatus } from '../domain/sync-status.js';
import { BackupInfo, BackupName, BackupsOverview, RestoreResult } from '../domain/backups.js';

const Empty = z.object({}).strict();

/** Sync health and the device's database backups. Backups are this computer's own: restoring
 * one is an IT/administrator action (it replaces the local database), so it needs devices.manage. */
export const syncApi = {
  'sync.status': { access: 'signed-in', input: Empty, output: SyncStatus },
  'sync.now': { access: 'signed-in', input: Empty, output: SyncStatus },
  'backups.list': { access: 'signed-in', input: Empty, output: BackupsOverview },
  'backups.create': { access: 'signed-in', input: Empty, output: BackupInfo },
  'backups.restore': { access: 'devices.manage', input: z.object({ name: BackupName }).strict(), output: RestoreResult },
} as const satisfies MethodTable;
