import { PROFILE_TABLES } from '../../../shared/sync/protocol.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import type { DeviceProfile } from '../../../shared/domain/permissions.js';
import { parseProtocolVersion, tablesKnownAt } from '../../../shared/sync/versions.js';

/**
 * The tables a device's shape holds: its profile's, less those its protocol version does not
 * know. They also make its handle, so an upgraded device's next request gets 409 and it
 * refetches, now with the new tables. Columns added since its version are sent as they are:
 * an older app's row schemas drop keys they do not know, and its store writes only its own.
 */
export function shapeTables(profile: DeviceProfile, rawVersion: unknown): SyncedTable[] {
  return tablesKnownAt(parseProtocolVersion(rawVersion), PROFILE_TABLES[profile]);
}
