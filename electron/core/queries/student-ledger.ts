import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { settle, type Allocation, type LedgerCharge, type LedgerCredit, type Settlement } from '../../../shared/domain/ledger-math.js';
import { isLive } from './ledger-sql.js';

// The one place that turns students' live (not voided) ledger rows into positions on the
// device: what each charge still owes, the credit and the balance, by the shared settle().

export interface TermCharge extends LedgerCharge {
  term: string | null;
}

export interface StudentLedger extends Settlement {
  /** The student's charges that are not voided. */
  charges: TermCharge[];
}

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

const CHUNK = 500;

/** One student's settled position (inside a command's transaction, or for a statement). */
export async function loadStudentLedger(db: Db, studentId: string): Promise<StudentLedger> {
  return (await loadStudentLedgers(db, [studentId])).get(studentId)!;
}

/** The settled positions of many students at once (a page of arrears): four queries per 500
 * students instead of four per student. */
export async function loadStudentLedgers(db: Db, studentIds: readonly string[]): Promise<Map<string, StudentLedger>> {
  const out = new Map<string, StudentLedger>();
  for (let i = 0; i < studentIds.length; i += CHUNK) {
    const ids = studentIds.slice(i, i + CHUNK);
    const [charges, payments, discounts, refunds] = await Promise.all([
      db
        .selectFrom('charges as c')
        .select(['c.student_id', 'c.id', 'c.category_id as categoryId', 'c.amount_minor as amountMinor', 'c.due_on as dueOn', 'c.posted_at as postedAt', 'c.term'])
        .where('c.student_id', 'in', ids)
        .where(isLive('c.id'))
        .execute(),
      db.selectFrom('payments as p').select(['p.student_id', 'p.id', 'p.amount_minor as amountMinor', 'p.allocations']).where('p.student_id', 'in', ids).where(isLive('p.id')).execute(),
      db
        .selectFrom('discounts as d')
        .select(['d.student_id', 'd.id', 'd.amount_minor as amountMinor', 'd.category_id as categoryId'])
        .where('d.student_id', 'in', ids)
        .where(isLive('d.id'))
        .execute(),
      db
        .selectFrom('refunds as r')
        .select((eb) => ['r.student_id', eb.fn.sum<number>('r.amount_minor').as('total')])
        .where('r.student_id', 'in', ids)
        .where(isLive('r.id'))
        .groupBy('r.student_id')
        .execute(),
    ]);
    const group = <T extends { student_id: string }>(rows: T[]) => {
      const m = new Map<string, T[]>();
      for (const r of rows) (m.get(r.student_id) ?? m.set(r.student_id, []).get(r.student_id)!).push(r);
      return m;
    };
    const [chargesOf, paymentsOf, discountsOf] = [group(charges), group(payments), group(discounts)];
    const refundsOf = new Map(refunds.map((r) => [r.student_id, Number(r.total)]));
    for (const id of ids) {
      const studentCharges = (chargesOf.get(id) ?? []).map(({ student_id: _, ...c }) => c);
      const credits: LedgerCredit[] = (paymentsOf.get(id) ?? []).map((p) => ({ id: p.id, amountMinor: p.amountMinor, allocations: JSON.parse(p.allocations) as Allocation[] }));
      out.set(id, { charges: studentCharges, ...settle(studentCharges, credits, discountsOf.get(id) ?? [], refundsOf.get(id) ?? 0) });
    }
  }
  return out;
}
