import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { PaymentView } from '../../../shared/domain/payments.js';
import type { Allocation } from '../../../shared/domain/ledger-math.js';
import { isPending, isVoided } from './ledger-sql.js';

function paymentViews(db: Kysely<LocalDatabase>) {
  return db
    .selectFrom('payments as p')
    .select([
      'p.id',
      'p.student_id as studentId',
      'p.amount_minor as amountMinor',
      'p.currency',
      'p.method',
      'p.reference',
      'p.receipt_no as receiptNo',
      'p.recorded_at as recordedAt',
      'p.recorded_by as recordedBy',
      'p.allocations',
      isPending('payments', 'p.id').as('pending'),
      isVoided('p.id').as('voided'),
      // Another payment, not voided, with the same method and reference: a slip entered twice.
      sql<string | null>`(select json_group_array(d.receipt_no) from payments d
        where d.reference = p.reference and d.method = p.method and d.id <> p.id
          and not exists (select 1 from voids dv where dv.target_id = d.id))`.as('duplicates'),
    ]);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof paymentViews>['execute']>>[number];

function toView({ allocations, duplicates, pending, voided, ...r }: ViewRow): PaymentView {
  return {
    ...r,
    pending: pending === 1,
    voided: voided === 1,
    allocations: JSON.parse(allocations) as Allocation[],
    duplicateReferenceOf: r.reference === null ? [] : (JSON.parse(duplicates ?? '[]') as string[]).sort(),
  };
}

/** A student's payments, newest first; `pending` while the server has not acknowledged them. */
export async function listPaymentsForStudent(db: Kysely<LocalDatabase>, studentId: string): Promise<PaymentView[]> {
  const rows = await paymentViews(db).where('p.student_id', '=', studentId).orderBy('p.recorded_at', 'desc').orderBy('p.id', 'desc').limit(500).execute();
  return rows.map(toView);
}

export async function readPaymentView(db: Kysely<LocalDatabase>, id: string): Promise<PaymentView | undefined> {
  const row = await paymentViews(db).where('p.id', '=', id).executeTakeFirst();
  return row && toView(row);
}
