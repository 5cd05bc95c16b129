import type { Kysely } from 'kysely';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import { identityOf, type DeviceIdentity } from '../auth/device-auth.js';
import { sha256Hex } from '../auth/hash.js';
import { devicesByTokenHashes, type DeviceByToken } from '../db/lookups.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant } from '../db/with-tenant.js';
import { currentShape } from './handle.js';
import { readChanges, type LogRow } from './read-changes.js';

// One change wakes every long-poll of its school at once: 1,000 devices each re-reading the
// shape and the log was 1,000 transactions on a 10-connection pool (2.8 s until the last was
// answered). Requests that ask the same question in the same turn of the event loop share one
// read instead. A read is shared only by callers that asked before it started, so each one's
// answer is at least as new as a read of its own would have been: a long-poll subscribes before
// it reads, so nothing committed after its subscription can be missed (see long-poll.ts).

const pendingByDb = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Runs `work` once for all callers with the same key until it starts, on the next turn. */
function shared<T>(db: object, key: string, work: () => Promise<T>): Promise<T> {
  let pending = pendingByDb.get(db);
  if (!pending) pendingByDb.set(db, (pending = new Map()));
  const waiting = pending.get(key);
  if (waiting) return waiting as Promise<T>;
  const started = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    // From here on a new caller gets a read of its own.
    pending.delete(key);
    return work();
  });
  pending.set(key, started);
  return started;
}

const deviceChecks = new WeakMap<object, { hashes: Set<string>; found: Promise<Map<string, DeviceByToken>> }>();

/** deviceFromToken, with the devices asked about in the same turn looked up in one query. */
export function recheckDevice(db: Kysely<ServerDatabase>, token: string): Promise<DeviceIdentity> {
  const hash = sha256Hex(token);
  let batch = deviceChecks.get(db);
  if (!batch) {
    const hashes = new Set<string>();
    const found = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      deviceChecks.delete(db);
      return devicesByTokenHashes(db, [...hashes]);
    });
    deviceChecks.set(db, (batch = { hashes, found }));
  }
  batch.hashes.add(hash);
  return batch.found.then((devices) => identityOf(devices.get(hash), token));
}

/** readChanges in its own transaction, shared by requests for the same tables after the same seq. */
export function sharedReadChanges(
  db: Kysely<ServerDatabase>,
  tables: readonly SyncedTable[],
  opts: { tenantId: string; afterSeq: number; limit: number; includeDeleted: boolean },
): Promise<LogRow[]> {
  const key = `changes\n${opts.tenantId}\n${tables.join(',')}\n${opts.afterSeq}\n${opts.limit}\n${opts.includeDeleted}`;
  return shared(db, key, () => withTenant(db, opts.tenantId, (trx) => readChanges(trx, tables, opts)));
}

/** currentShape in its own transaction, shared by requests for the same school and tables. */
export function sharedCurrentShape(db: Kysely<ServerDatabase>, tenantId: string, tables: readonly SyncedTable[]): Promise<{ handle: string; lastSeq: number }> {
  return shared(db, `shape\n${tenantId}\n${tables.join(',')}`, () => withTenant(db, tenantId, (trx) => currentShape(trx, tenantId, tables)));
}
