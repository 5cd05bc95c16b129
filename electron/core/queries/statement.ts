import type { Kysely, Transaction } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import type { Statement, StatementEntry } from '../../../shared/domain/fees.js';
import { AppError } from '../../../shared/api/errors.js';
import { arrearsByAge, byDue, schoolDate } from '../../../shared/domain/ledger-math.js';
import { loadStudentLedger } from './student-ledger.js';
import { isPending, voidReason } from './ledger-sql.js';
import { chargeLabel, discountLabel, paymentLabel, refundLabel } from './ledger-labels.js';

type Line = Omit<StatementEntry, 'balanceMinor'>;

async function statementLines(db: Transaction<LocalDatabase>, studentId: string): Promise<Line[]> {
  const [charges, payments, discounts, refunds] = await Promise.all([
    db
      .selectFrom('charges as c')
      .leftJoin('fee_categories as f', 'f.id', 'c.category_id')
      .select(['c.id', 'c.posted_at as date', 'c.amount_minor', 'c.description', 'c.term', 'c.due_on', 'f.name as category', isPending('charges', 'c.id').as('pending'), voidReason('c.id').as('void_reason')])
      .where('c.student_id', '=', studentId)
      .execute(),
    db
      .selectFrom('payments as p')
      .select(['p.id', 'p.recorded_at as date', 'p.amount_minor', 'p.receipt_no', 'p.method', isPending('payments', 'p.id').as('pending'), voidReason('p.id').as('void_reason')])
      .where('p.student_id', '=', studentId)
      .execute(),
    db
      .selectFrom('discounts as d')
      .leftJoin('fee_categories as f', 'f.id', 'd.category_id')
      .select(['d.id', 'd.posted_at as date', 'd.amount_minor', 'd.kind', 'd.percent_bp', 'd.term', 'd.reason', 'f.name as category', isPending('discounts', 'd.id').as('pending'), voidReason('d.id').as('void_reason')])
      .where('d.student_id', '=', studentId)
      .execute(),
    db
      .selectFrom('refunds as r')
      .select(['r.id', 'r.refunded_at as date', 'r.amount_minor', 'r.method', 'r.reference', 'r.reason', isPending('refunds', 'r.id').as('pending'), voidReason('r.id').as('void_reason')])
      .where('r.student_id', '=', studentId)
      .execute(),
  ]);
  const dueOn = new Map(charges.map((c) => [c.id, c.due_on]));
  const state = (r: { pending: number; void_reason: string | null }) => ({ voided: r.void_reason !== null, voidReason: r.void_reason, pending: r.pending === 1 });
  return [
    ...charges.map((c) => ({
      kind: 'charge' as const,
      id: c.id,
      date: c.date,
      description: chargeLabel({ category: c.category, description: c.description, term: c.term, dueOn: c.due_on }),
      debitMinor: c.amount_minor,
      creditMinor: 0,
      ...state(c),
    })),
    ...payments.map((p) => ({
      kind: 'payment' as const,
      id: p.id,
      date: p.date,
      description: paymentLabel({ receiptNo: p.receipt_no, method: p.method }),
      debitMinor: 0,
      creditMinor: p.amount_minor,
      ...state(p),
    })),
    ...discounts.map((d) => ({
      kind: 'discount' as const,
      id: d.id,
      date: d.date,
      description: discountLabel({ kind: d.kind, percentBp: d.percent_bp, category: d.category, term: d.term, reason: d.reason }),
      debitMinor: 0,
      creditMinor: d.amount_minor,
      ...state(d),
    })),
    // A refund pays money back out of the student's credit, so it raises what they owe.
    ...refunds.map((r) => ({
      kind: 'refund' as const,
      id: r.id,
      date: r.date,
      description: refundLabel(r),
      debitMinor: r.amount_minor,
      creditMinor: 0,
      ...state(r),
    })),
  ].sort((a, b) => {
    if (a.date !== b.date) return a.date < b.date ? -1 : 1;
    // Charges posted together (a structure applied) read in due-date order.
    const dueA = dueOn.get(a.id) ?? '';
    const dueB = dueOn.get(b.id) ?? '';
    if (dueA !== dueB) return dueA < dueB ? -1 : 1;
    return a.id < b.id ? -1 : 1;
  });
}

/**
 * A student's statement, derived from the ledger every time: charges, payments, discounts and
 * refunds in date order with the running balance (voided entries stay on it, marked, and count
 * for nothing), the credit carried forward, what is owed by age on the school's today, and what
 * each charge still owes.
 */
export async function studentStatement(
  db: Kysely<LocalDatabase>,
  studentId: string,
  device: Pick<Device, 'currency' | 'time_zone'>,
  now: Date = new Date(),
): Promise<Statement> {
  // One read transaction: the lines and the settled position come from the same rows.
  const { student, lines, ledger } = await db.transaction().execute(async (tx) => ({
    student: await tx.selectFrom('students').select('id').where('id', '=', studentId).executeTakeFirst(),
    lines: await statementLines(tx, studentId),
    ledger: await loadStudentLedger(tx, studentId),
  }));
  if (!student) throw new AppError('not_found', 'That student is not on this device. Search again, or sync to fetch new students.');
  let balance = 0;
  const entries = lines.map((e) => {
    if (!e.voided) balance += e.debitMinor - e.creditMinor;
    return { ...e, balanceMinor: balance };
  });
  const labels = new Map(lines.filter((l) => l.kind === 'charge').map((l) => [l.id, l.description]));
  const openCharges = [...ledger.charges]
    .sort(byDue)
    .filter((c) => (ledger.outstanding.get(c.id) ?? 0) > 0)
    .map((c) => ({ chargeId: c.id, description: labels.get(c.id) ?? '', dueOn: c.dueOn, outstandingMinor: ledger.outstanding.get(c.id)! }));
  return {
    studentId,
    currency: device.currency,
    entries,
    balanceMinor: ledger.balanceMinor,
    creditMinor: ledger.creditMinor,
    arrears: arrearsByAge(ledger.charges, ledger.outstanding, schoolDate(now, device.time_zone)),
    openCharges,
  };
}
