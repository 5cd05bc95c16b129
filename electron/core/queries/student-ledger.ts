import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { settle, type Allocation, type LedgerCharge, type LedgerCredit, type Settlement } from '../../../shared/domain/ledger-math.js';

export interface StudentLedger extends Settlement {
  /** The student's charges that are not voided. */
  charges: LedgerCharge[];
}

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

/** A student's live (not voided) ledger rows, settled: what each charge still owes, the credit
 * and the balance. The one place that turns ledger rows into a position on the device. */
export async function loadStudentLedger(db: Db, studentId: string): Promise<StudentLedger> {
  const [charges, payments, discounts, refunds] = await Promise.all([
    db
      .selectFrom('charges as c')
      .select(['c.id', 'c.category_id as categoryId', 'c.amount_minor as amountMinor', 'c.due_on as dueOn', 'c.posted_at as postedAt'])
      .where('c.student_id', '=', studentId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('voids as v').select('v.id').whereRef('v.target_id', '=', 'c.id'))))
      .execute(),
    db
      .selectFrom('payments as p')
      .select(['p.id', 'p.amount_minor as amountMinor', 'p.allocations'])
      .where('p.student_id', '=', studentId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('voids as v').select('v.id').whereRef('v.target_id', '=', 'p.id'))))
      .execute(),
    db
      .selectFrom('discounts as d')
      .select(['d.id', 'd.amount_minor as amountMinor', 'd.category_id as categoryId'])
      .where('d.student_id', '=', studentId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('voids as v').select('v.id').whereRef('v.target_id', '=', 'd.id'))))
      .execute(),
    db
      .selectFrom('refunds as r')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('r.amount_minor'), eb.lit(0)).as('total'))
      .where('r.student_id', '=', studentId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('voids as v').select('v.id').whereRef('v.target_id', '=', 'r.id'))))
      .executeTakeFirstOrThrow(),
  ]);
  const credits: LedgerCredit[] = payments.map((p) => ({ id: p.id, amountMinor: p.amountMinor, allocations: JSON.parse(p.allocations) as Allocation[] }));
  return { charges, ...settle(charges, credits, discounts, Number(refunds.total)) };
}
