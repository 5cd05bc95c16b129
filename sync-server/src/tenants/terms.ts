import type { TermRow } from '../../../shared/domain/terms.js';
import { allocateSeqs, appendChanges, type ChangeOrigin } from '../changes/append.js';
import type { TenantTrx } from '../db/with-tenant.js';

/** Adds a school's terms as synced rows: each takes a seq and is logged, so every device,
 * teacher rooms included, receives them through the shape. */
export async function insertTerms(trx: TenantTrx, tenantId: string, rows: readonly TermRow[], origin: ChangeOrigin): Promise<void> {
  if (rows.length === 0) return;
  const first = await allocateSeqs(trx, tenantId, rows.length);
  await trx
    .insertInto('terms')
    .values(rows.map((r, i) => ({ tenant_id: tenantId, ...r, _seq: first + i })))
    .execute();
  await appendChanges(
    trx,
    tenantId,
    rows.map((r, i) => ({ seq: first + i, table: 'terms' as const, rowId: r.id, op: 'insert' as const, row: r })),
    origin,
  );
}
