import type { LocalStore } from '../store/open-store.js';
import type { SyncClient } from '../sync/sync-client.js';
import type { Device } from '../store/database.js';
import type { Session } from '../auth/session.js';
import type { BackupService } from './backups.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { AppError } from '../../../shared/api/errors.js';

/** What every handler module is given: the store, this device, the session and sync. */
export interface CoreContext {
  store: LocalStore;
  device: Device;
  sync: SyncClient;
  session: Session;
  fetch: typeof fetch;
  backups: BackupService;
}

/** The user dispatch authorised; only null for public methods. */
export function signedIn(user: SessionUser | null): SessionUser {
  if (!user) throw new AppError('unauthenticated', 'Sign in to continue.');
  return user;
}
