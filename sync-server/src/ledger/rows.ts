import type { ChargeRow, FeeCategoryRow, VoidRow } from '../../../shared/domain/fees.js';
import { allocateSeqs, appendChanges, type ChangeOrigin } from '../changes/append.js';
import type { TenantTrx } from '../db/with-tenant.js';

// Fee categories and the ledger are written like every synced row: a new _seq and a change in
// the same transaction. Charges and voids are insert-only: nothing here updates or deletes them.

const BATCH = 500;

export async function insertFeeCategory(trx: TenantTrx, tenantId: string, row: FeeCategoryRow, origin: ChangeOrigin): Promise<void> {
  const seq = await allocateSeqs(trx, tenantId, 1);
  await trx.insertInto('fee_categories').values({ tenant_id: tenantId, ...row, _seq: seq }).execute();
  await appendChanges(trx, tenantId, [{ seq, table: 'fee_categories', rowId: row.id, op: 'insert', row }], origin);
}

/** Appends charges, in batches (the demo seeds thousands at once). */
export async function insertCharges(trx: TenantTrx, tenantId: string, rows: readonly ChargeRow[], origin: ChangeOrigin): Promise<void> {
  if (rows.length === 0) return;
  const first = await allocateSeqs(trx, tenantId, rows.length);
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const seqOf = (i: number) => first + start + i;
    await trx
      .insertInto('charges')
      .values(batch.map((r, i) => ({ tenant_id: tenantId, ...r, _seq: seqOf(i) })))
      .execute();
    await appendChanges(
      trx,
      tenantId,
      batch.map((r, i) => ({ seq: seqOf(i), table: 'charges' as const, rowId: r.id, op: 'insert' as const, row: r })),
      origin,
    );
  }
}

/** Appends a void. The (tenant, target) unique key refuses a second void of the same entry,
 * even from a transaction that did not see the first. */
export async function insertVoid(trx: TenantTrx, tenantId: string, row: VoidRow, origin: ChangeOrigin): Promise<void> {
  const seq = await allocateSeqs(trx, tenantId, 1);
  await trx.insertInto('voids').values({ tenant_id: tenantId, ...row, _seq: seq }).execute();
  await appendChanges(trx, tenantId, [{ seq, table: 'voids', rowId: row.id, op: 'insert', row }], origin);
}
