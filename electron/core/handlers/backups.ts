import type { Handlers } from '../../../shared/api/contract.js';
import type { BackupInfo, BackupsOverview, RestoreResult } from '../../../shared/domain/backups.js';
import type { CoreContext } from './context.js';

/** This computer's database backups, as the core that owns the database file provides them. */
export interface BackupService {
  overview(): Promise<BackupsOverview>;
  create(): Promise<BackupInfo>;
  /** Replaces the database with a backup's content, keeping what was saved since; the core
   * reopens on the restored file. */
  restore(name: string): Promise<RestoreResult>;
}

export function backupHandlers({ backups }: CoreContext): Pick<Handlers, 'backups.list' | 'backups.create' | 'backups.restore'> {
  return {
    'backups.list': () => backups.overview(),
    'backups.create': () => backups.create(),
    'backups.restore': ({ name }) => backups.restore(name),
  };
}
