import { sql } from 'kysely';
import type { TenantTrx } from '../db/with-tenant.js';

/** What a discount applies to: the student's live (not voided) charges of one category, or of
 * all categories, of one term when it names one. */
export async function discountBase(trx: TenantTrx, tenantId: string, scope: { studentId: string; categoryId: string | null; term: string | null }): Promise<number> {
  let query = trx
    .selectFrom('charges as c')
    .select(sql<string>`coalesce(sum(c.amount_minor), 0)`.as('total'))
    .where('c.tenant_id', '=', tenantId)
    .where('c.student_id', '=', scope.studentId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('voids as v').select('v.id').whereRef('v.tenant_id', '=', 'c.tenant_id').where('v.target_table', '=', 'charges').whereRef('v.target_id', '=', 'c.id'))),
    );
  if (scope.categoryId !== null) query = query.where('c.category_id', '=', scope.categoryId);
  if (scope.term !== null) query = query.where('c.term', '=', scope.term);
  return Number((await query.executeTakeFirstOrThrow()).total);
}

/** `percentBp` hundredths of a percent of `baseMinor`, rounded half up; exact for any amounts
 * (integer arithmetic, no float rounding). */
export function percentOf(percentBp: number, baseMinor: number): number {
  return Number((BigInt(percentBp) * BigInt(baseMinor) + 5_000n) / 10_000n);
}
