import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { Statement, StatementEntry } from '../../../shared/domain/fees.js';

const METHOD_LABELS: Record<string, string> = {
  cash: 'cash',
  bank_transfer: 'bank transfer',
  mobile_money: 'mobile money',
  cheque: 'cheque',
  card: 'card',
};

const isPending = (table: string, id: string) =>
  sql<number>`exists (select 1 from outbox_rows o where o.table_name = ${table} and o.row_id = ${sql.ref(id)})`;
const voidReason = (id: string) => sql<string | null>`(select v.reason from voids v where v.target_id = ${sql.ref(id)} order by v.voided_at limit 1)`;

/**
 * A student's statement, derived from the ledger every time: charges and payments in date order
 * with the running balance. Voided entries stay on the statement, marked, and count for nothing.
 */
export async function studentStatement(db: Kysely<LocalDatabase>, studentId: string, currency: string): Promise<Statement> {
  const [charges, payments] = await Promise.all([
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
  ]);
  const entries: Omit<StatementEntry, 'balanceMinor'>[] = [
    ...charges.map((c) => ({
      kind: 'charge' as const,
      id: c.id,
      date: c.date,
      description: `${c.category ?? 'Fee'}${c.description ? `: ${c.description}` : ''}${c.term ? ` (${c.term}, due ${c.due_on})` : ` (due ${c.due_on})`}`,
      debitMinor: c.amount_minor,
      creditMinor: 0,
      voided: c.void_reason !== null,
      voidReason: c.void_reason,
      pending: c.pending === 1,
    })),
    ...payments.map((p) => ({
      kind: 'payment' as const,
      id: p.id,
      date: p.date,
      description: `Payment ${p.receipt_no} (${METHOD_LABELS[p.method] ?? p.method})`,
      debitMinor: 0,
      creditMinor: p.amount_minor,
      voided: p.void_reason !== null,
      voidReason: p.void_reason,
      pending: p.pending === 1,
    })),
  ].sort((a, b) => (a.date === b.date ? (a.id < b.id ? -1 : 1) : a.date < b.date ? -1 : 1));
  let balance = 0;
  const withBalance = entries.map((e) => {
    if (!e.voided) balance += e.debitMinor - e.creditMinor;
    return { ...e, balanceMinor: balance };
  });
  return { studentId, currency, entries: withBalance, balanceMinor: balance };
}
