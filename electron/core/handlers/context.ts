import type { LocalStore } from '../store/open-store.js';
import type { SyncClient } from '../sync/sync-client.js';
import type { Device } from '../store/database.js';

/** What every handler module is given: the store, this device, and its sync client. */
export interface CoreContext {
  store: LocalStore;
  device: Device;
  sync: SyncClient;
}
