import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { PaymentView } from '../../../shared/domain/payments.js';

/** A student's payments, newest first; `pending` while the server has not acknowledged them. */
export async function listPaymentsForStudent(db: Kysely<LocalDatabase>, studentId: string): Promise<PaymentView[]> {
  const rows = await db
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
      sql<number>`exists (select 1 from outbox_rows o where o.table_name = 'payments' and o.row_id = p.id)`.as('pending'),
      sql<number>`exists (select 1 from voids v where v.target_id = p.id)`.as('voided'),
    ])
    .where('p.student_id', '=', studentId)
    .orderBy('p.recorded_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...r, pending: r.pending === 1, voided: r.voided === 1 }));
}
