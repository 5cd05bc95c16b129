import type Sqlite from 'better-sqlite3';
import { beginRefetch } from './apply-changes.js';

/**
 * After an app upgrade (or any change of the protocol version the app speaks), the synced
 * tables hold what the old version knew: rows of tables it was not sent, columns it did not
 * store. They are rebuilt from a fresh snapshot, the same way as after a must-refetch: the
 * outbox and the rows pending changes wrote are kept. Returns true when a rebuild starts.
 */
export function rebuildForProtocolVersion(sqlite: Sqlite.Database, version: number): boolean {
  return sqlite.transaction(() => {
    const state = sqlite.prepare('select shape_handle, protocol_version from sync_state where id = 1').get() as { shape_handle: string | null; protocol_version: number };
    if (state.protocol_version === version) return false;
    // With no handle the tables are not filled yet (first sync) or a rebuild is already starting.
    const rebuild = state.shape_handle !== null;
    if (rebuild) beginRefetch(sqlite);
    sqlite.prepare('update sync_state set protocol_version = ?, shape_handle = null, shape_offset = null where id = 1').run(version);
    return rebuild;
  })();
}
