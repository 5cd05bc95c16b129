import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { LedgerFilter, PaymentListItem, TimeCursor } from '../../../shared/domain/bursary-views.js';
import { isLive, isPending, isVoided, keysetPage, studentName, timeRange } from './ledger-sql.js';

export interface ListContext {
  timeZone: string;
  /** This computer, named when the synced devices table does not know it yet. */
  deviceId: string;
  deviceName: string;
}

/** Another payment, not voided, with the same method and reference: payments_by_reference holds
 * the rowid, so telling the payment itself apart needs no table lookup. */
const duplicateReference = sql<number>`(p.reference is not null and exists (
  select 1 from payments d where d.reference = p.reference and d.method = p.method and d.rowid <> p.rowid
    and ${isLive('d.id')}))`;

/**
 * The payments a filter selects. Payments are the outer loop (CROSS JOIN keeps SQLite from
 * starting at the students), so the time index, or the per-student index when one student is
 * asked for, serves both the filter and the newest-first order.
 */
function filtered(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: TimeCursor | null, timeZone: string) {
  const { from, before } = timeRange(filter, after, timeZone);
  let q = db.selectFrom('payments as p').crossJoin('students as s').whereRef('s.id', '=', 'p.student_id');
  if (from) q = q.where('p.recorded_at', '>=', from);
  if (before) q = q.where(sql<boolean>`(p.recorded_at, p.id) < (${before.at}, ${before.id})`);
  if (filter.className) q = q.where('s.class_name', '=', filter.className);
  if (filter.method) q = q.where('p.method', '=', filter.method);
  // Unary +: never the till index (device, person, time), which SQLite would skip-scan and then
  // sort; walking the time index stops after a page.
  if (filter.staffId) q = q.where(sql<string>`+p.recorded_by_id`, '=', filter.staffId);
  if (filter.studentId) q = q.where('p.student_id', '=', filter.studentId);
  return q;
}

export function paymentsPageQuery(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: TimeCursor | null, limit: number, ctx: ListContext) {
  return filtered(db, filter, after, ctx.timeZone)
    .leftJoin('devices as dv', 'dv.id', 'p.device_id')
    .select([
      'p.id',
      'p.receipt_no as receiptNo',
      'p.student_id as studentId',
      studentName('s').as('studentName'),
      's.admission_no as admissionNo',
      's.class_name as className',
      'p.amount_minor as amountMinor',
      'p.method',
      'p.reference',
      'p.recorded_at as recordedAt',
      'p.recorded_by as recordedBy',
      'p.recorded_by_id as recordedById',
      sql<string | null>`coalesce(dv.name, case when p.device_id = ${ctx.deviceId} then ${ctx.deviceName} end)`.as('deviceName'),
      isVoided('p.id').as('voided'),
      isPending('payments', 'p.id').as('pending'),
      duplicateReference.as('duplicateReference'),
    ])
    .orderBy('p.recorded_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit + 1);
}

/** One page of payments, newest first, keyset-paged on (recorded_at, id). */
export async function listPayments(
  db: Kysely<LocalDatabase>,
  input: { filter: LedgerFilter; after: TimeCursor | null; limit: number; withTotal: boolean },
  ctx: ListContext,
): Promise<{ rows: PaymentListItem[]; next: TimeCursor | null; total: number | null }> {
  const raw = await paymentsPageQuery(db, input.filter, input.after, input.limit, ctx).execute();
  const rows = raw.map((r) => ({ ...r, voided: r.voided === 1, pending: r.pending === 1, duplicateReference: r.duplicateReference === 1 }));
  const total = input.withTotal
    ? Number((await filtered(db, input.filter, null, ctx.timeZone).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    : null;
  return { ...keysetPage(rows, input.limit, (r) => ({ at: r.recordedAt, id: r.id })), total };
}
