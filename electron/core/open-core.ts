import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalStore, type LocalStore } from './store/open-store.js';
import { readDevice, saveEnrolment } from './device/device-state.js';
import { requestEnrolment } from './sync/enrol.js';
import { SyncClient, type SyncClientOptions } from './sync/sync-client.js';
import { createHandlers } from './handlers/index.js';
import { createDispatch, type Dispatch } from './dispatch.js';
import type { Handlers } from '../../shared/api/contract.js';
import { AppError } from '../../shared/api/errors.js';
import type { Device } from './store/database.js';
import { Session } from './auth/session.js';
import { openCheckedStore } from './store/recover.js';
import { BackupSchedule, type BackupSettings } from './store/backup-schedule.js';
import { checkBackup, restoreBackup } from './store/restore-backup.js';
import { finishInterruptedSwap } from './store/swap-files.js';
import { lastRecovery } from './store/recovery-reports.js';
import type { BackupService } from './handlers/backups.js';
import type { RecoveryReport, RestoreResult } from '../../shared/domain/backups.js';

export interface CoreOptions {
  /** Folder holding this device's database. */
  dataDir: string;
  /** Needed only the first time, to enrol this computer with a school. */
  enrol?: { serverUrl: string; enrolmentCode: string; deviceName: string };
  sync?: SyncClientOptions;
  /** Start syncing at once (default true). */
  startSync?: boolean;
  backups?: BackupSettings;
}

/**
 * A running core. After a backup is restored the core runs on a new database file: `store`,
 * `sync`, `handlers` and `session` then name the new ones, and `dispatch` stays the same function.
 */
export interface Core {
  readonly store: LocalStore;
  readonly device: Device;
  readonly sync: SyncClient;
  readonly handlers: Handlers;
  readonly session: Session;
  readonly backups: BackupSchedule;
  /** Set when the database was found damaged at this start and rebuilt. */
  readonly recovered: RecoveryReport | null;
  dispatch: Dispatch;
  close(): Promise<void>;
}

export const LOCAL_DB_FILE = 'schoolhouse.sqlite';

/** Thrown by openCore on a computer that has not been enrolled, when no enrolment was given. */
export class NotEnrolledError extends Error {
  constructor() {
    super('This computer is not enrolled with a school yet: an enrolment code and the sync server address are needed.');
  }
}

const RESTORING = new AppError('unavailable', 'A backup is being restored on this computer; try again in a moment.');

/** What runs on one open database file. */
interface Running {
  store: LocalStore;
  device: Device;
  sync: SyncClient;
  session: Session;
  handlers: Handlers;
  dispatch: Dispatch;
}

/** Opens (or creates) this device's store, enrols it if needed, and wires handlers and sync. A
 * damaged store is rebuilt first (store/recover.ts). */
export async function openCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, LOCAL_DB_FILE);
  const { store, recovered } = await openCheckedStore(options.dataDir, file);
  let running: Running;
  let restoring = false;
  /** Calls being answered; a restore waits until its own is the only one before closing the file. */
  let inFlight = 0;
  const backups = new BackupSchedule(options.dataDir, file, options.backups);

  const service: BackupService = {
    overview: async () => backups.overview(await lastRecovery(running.store.db)),
    create: async () => {
      try {
        return await backups.create();
      } catch (err) {
        throw new AppError('unavailable', (err as Error).message);
      }
    },
    restore,
  };

  function run(onStore: LocalStore, device: Device): Running {
    const sync = new SyncClient(onStore, device, options.sync);
    sync.backupHealth = () => backups.health();
    const session = new Session(onStore.db);
    const handlers = createHandlers({ store: onStore, device, sync, session, fetch: options.sync?.fetch ?? fetch, backups: service });
    return { store: onStore, device, sync, session, handlers, dispatch: createDispatch(handlers, session) };
  }

  async function start(): Promise<void> {
    if (options.startSync !== false) running.sync.start();
    await backups.start();
  }

  /** Stops everything that uses the file, swaps in the restored one, and starts again on it.
   * Everyone is signed out: the restored staff rows decide who may sign in again. */
  async function restore(name: string): Promise<RestoreResult> {
    if (restoring) throw RESTORING;
    const plan = await checkBackup(backups.folder, name);
    restoring = true;
    try {
      while (inFlight > 1) await new Promise((resolve) => setTimeout(resolve, 10));
      await backups.stop();
      await running.sync.stop();
      await running.store.close();
      let result: RestoreResult | undefined;
      try {
        result = await restoreBackup(file, plan);
      } finally {
        // Restored or not (a failure before the swap leaves the live file as it was; one inside
        // it leaves the restored file waiting), the core runs again.
        await finishInterruptedSwap(file);
        const reopened = await openLocalStore(file);
        running = run(reopened, (await readDevice(reopened.db)) ?? running.device);
        await start();
      }
      return result;
    } finally {
      restoring = false;
    }
  }

  try {
    let device = await readDevice(store.db);
    if (!device) {
      if (!options.enrol) throw new NotEnrolledError();
      const { serverUrl, enrolmentCode, deviceName } = options.enrol;
      const enrolment = await requestEnrolment(serverUrl, { enrolmentCode, deviceName }, options.sync?.fetch);
      device = await saveEnrolment(store.db, serverUrl, deviceName, enrolment);
    }
    running = run(store, device);
    await start();
  } catch (err) {
    await store.close();
    throw err;
  }
  return {
    get store() {
      return running.store;
    },
    get device() {
      return running.device;
    },
    get sync() {
      return running.sync;
    },
    get handlers() {
      return running.handlers;
    },
    get session() {
      return running.session;
    },
    backups,
    recovered,
    async dispatch(method, input) {
      if (restoring) return { ok: false, error: RESTORING.toBody() };
      inFlight++;
      try {
        return await running.dispatch(method, input);
      } finally {
        inFlight--;
      }
    },
    async close() {
      await backups.stop();
      await running.sync.stop();
      await running.store.close();
    },
  };
}
