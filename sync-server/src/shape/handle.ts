import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { SYNCED_TABLES } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import { CHANGES_CHANNEL } from '../changes/append.js';

/** The shape handle names one generation of a tenant's shape: it changes when the epoch is
 * bumped (a breaking change) or the synced table set changes, and devices then refetch. */
export function shapeHandle(tenantId: string, epoch: number): string {
  const digest = createHash('sha256').update(`${tenantId}\n${SYNCED_TABLES.join(',')}`).digest('hex').slice(0, 16);
  return `${digest}-${epoch}`;
}

export async function currentShape(db: Kysely<ServerDatabase>, tenantId: string): Promise<{ handle: string; lastSeq: number }> {
  const t = await db.selectFrom('tenants').select(['shape_epoch', 'last_seq']).where('id', '=', tenantId).executeTakeFirstOrThrow();
  return { handle: shapeHandle(tenantId, t.shape_epoch), lastSeq: t.last_seq };
}

/** Admin action for a breaking change: every device's next shape request gets 409 must-refetch
 * and rebuilds its synced tables from a fresh snapshot. Returns the new handle. */
export async function bumpShapeEpoch(db: Kysely<ServerDatabase>, tenantId: string): Promise<string> {
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
    return shapeHandle(tenantId, row.shape_epoch);
  });
}
