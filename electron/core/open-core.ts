import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalStore, type LocalStore } from './store/open-store.js';
import { readDevice, saveEnrolment } from './device/device-state.js';
import { requestEnrolment } from './sync/enrol.js';
import { SyncClient, type SyncClientOptions } from './sync/sync-client.js';
import { createHandlers } from './handlers/index.js';
import { createDispatch, type Dispatch } from './dispatch.js';
import type { Handlers } from '../../shared/api/contract.js';
import type { Device } from './store/database.js';
import { Session } from './auth/session.js';

export interface CoreOptions {
  /** Folder holding this device's database. */
  dataDir: string;
  /** Needed only the first time, to enrol this computer with a school. */
  enrol?: { serverUrl: string; enrolmentCode: string; deviceName: string };
  sync?: SyncClientOptions;
  /** Start syncing at once (default true). */
  startSync?: boolean;
}

export interface Core {
  store: LocalStore;
  device: Device;
  sync: SyncClient;
  handlers: Handlers;
  session: Session;
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

/** Opens (or creates) this device's store, enrols it if needed, and wires handlers and sync. */
export async function openCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true });
  const store = await openLocalStore(join(options.dataDir, LOCAL_DB_FILE));
  try {
    let device = await readDevice(store.db);
    if (!device) {
      if (!options.enrol) throw new NotEnrolledError();
      const { serverUrl, enrolmentCode, deviceName } = options.enrol;
      const enrolment = await requestEnrolment(serverUrl, { enrolmentCode, deviceName }, options.sync?.fetch);
      device = await saveEnrolment(store.db, serverUrl, deviceName, enrolment);
    }
    const sync = new SyncClient(store, device, options.sync);
    const session = new Session(store.db);
    const handlers = createHandlers({ store, device, sync, session, fetch: options.sync?.fetch ?? fetch });
    if (options.startSync !== false) sync.start();
    return {
      store,
      device,
      sync,
      handlers,
      session,
      dispatch: createDispatch(handlers, session),
      async close() {
        await sync.stop();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
