import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { SYNCED_TABLES, type SyncedTable } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { CHANGES_CHANNEL } from '../changes/append.js';

/** The shape handle names one generation of a tenant's shape: it changes when the epoch is
 * bumped (a breaking change) or the synced table set changes, and devices then refetch. */
export function shapeHandle(tenantId: string, epoch: number, tables: readonly SyncedTable[]): string {
  const digest = createHash('sha256').update(`${tenantId}\n${tables.join(',')}`).digest('hex').slice(0, 16);
  return `${digest}-${epoch}`;
}

/** The shape a device of this tenant gets over `tables` (its profile's): a device whose
 * profile changes gets a new handle, so it refetches rather than keeping rows it may not see. */
export async function currentShape(trx: TenantTrx, tenantId: string, tables: readonly SyncedTable[]): Promise<{ handle: string; lastSeq: number }> {
  const t = await trx.selectFrom('tenants').select(['shape_epoch', 'last_seq']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  return { handle: shapeHandle(tenantId, t.shape_epoch, tables), lastSeq: t.last_seq };
}

/** Admin action for a breaking change: every device's next shape request gets 409 must-refetch
 * and rebuilds its synced tables from a fresh snapshot. Returns the new handle. */
export async function bumpShapeEpoch(db: Kysely<ServerDatabase>, tenantId: string, tables: readonly SyncedTable[] = SYNCED_TABLES): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('tenants')
      .set({ shape_epoch: sql`shape_epoch + 1` })
      .where('id', '=', tenantId)
      .returning('shape_epoch')
      .executeTakeFirst();
    if (!row) throw new Error(`No school with id ${tenantId}`);
    // Wake waiting long-polls so devices reach the 409 now rather than at their poll timeout.
    await sql`select pg_notify(${CHANGES_CHANNEL}, ${tenantId})`.execute(trx);
    return shapeHandle(tenantId, row.shape_epoch, tables);
  });
}
