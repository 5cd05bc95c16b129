import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { compiledShapes } from './compiled-shapes.js';
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
 * The payments a filter selects, newest first along one index. A class is a range of
 * class_payments (class, time, id), kept by triggers to follow each student's class; otherwise
 * the time index, or the per-student index when one student is asked for. Payments are joined
 * by key (CROSS JOIN keeps SQLite from starting at the students), so a page stops after its rows.
 */
function filtered(db: Kysely<LocalDatabase>, filter: LedgerFilter, { from, before }: Bounds) {
  const byClass = filter.className !== undefined && filter.className !== null;
  // The ordering columns: the class index's own when it drives, so its range is the whole walk.
  const at = byClass ? 'k.recorded_at' : 'p.recorded_at';
  const id = byClass ? 'k.id' : 'p.id';
  let q = byClass
    ? db.selectFrom('class_payments as k').crossJoin('payments as p').crossJoin('students as s').whereRef('p.id', '=', 'k.id').where('k.class_name', '=', filter.className!)
    : db.selectFrom('payments as p').crossJoin('students as s');
  q = q.whereRef('s.id', '=', 'p.student_id');
  if (from) q = q.where(sql.ref(at), '>=', from);
  if (before) q = q.where(sql<boolean>`(${sql.ref(at)}, ${sql.ref(id)}) < (${before.at}, ${before.id})`);
  // Also on the student, so a page is right even were the index behind (it never is, by the triggers).
  if (byClass) q = q.where('s.class_name', '=', filter.className!);
  if (filter.method) q = q.where('p.method', '=', filter.method);
  // Unary +: never the till index (device, person, time), which SQLite would skip-scan and then
  // sort; walking the time index stops after a page.
  if (filter.staffId) q = q.where(sql<string>`+p.recorded_by_id`, '=', filter.staffId);
  if (filter.studentId) q = q.where(byClass ? sql<string>`+p.student_id` : sql<string>`p.student_id`, '=', filter.studentId);
  return { q, at, id };
}

type Bounds = ReturnType<typeof timeRange>;

export function paymentsPageQuery(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: TimeCursor | null, limit: number, ctx: ListContext) {
  return pageQuery(db, filter, timeRange(filter, after, ctx.timeZone), limit + 1, ctx);
}

function pageQuery(db: Kysely<LocalDatabase>, filter: LedgerFilter, bounds: Bounds, rows: number, ctx: Pick<ListContext, 'deviceId' | 'deviceName'>) {
  const { q, at, id } = filtered(db, filter, bounds);
  return q
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
    .orderBy(sql.ref(at), 'desc')
    .orderBy(sql.ref(id), 'desc')
    .limit(rows);
}

interface SlotValues {
  className: string;
  method: string;
  staffId: string;
  studentId: string;
  from: string;
  beforeAt: string;
  beforeId: string;
  rows: number;
  deviceId: string;
  deviceName: string;
}
type PageRow = Awaited<ReturnType<ReturnType<typeof paymentsPageQuery>['execute']>>[number];

// A page's SQL depends only on which filters are given: compiled once per such shape.
const shapes = compiledShapes<PageRow>();

function compiledPage(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: TimeCursor | null, limit: number, ctx: ListContext): CompiledQuery<PageRow> {
  const { from, before } = timeRange(filter, after, ctx.timeZone);
  const values: Partial<SlotValues> = { rows: limit + 1, deviceId: ctx.deviceId, deviceName: ctx.deviceName };
  if (filter.className !== undefined && filter.className !== null) values.className = filter.className;
  if (filter.method) values.method = filter.method;
  if (filter.staffId) values.staffId = filter.staffId;
  if (filter.studentId) values.studentId = filter.studentId;
  if (from) values.from = from;
  if (before) Object.assign(values, { beforeAt: before.at, beforeId: before.id });
  return shapes(Object.keys(values).join(' '), values, (slot) => {
    const slotted = { className: slot<string>('className'), method: slot<LedgerFilter['method']>('method'), staffId: slot<string>('staffId'), studentId: slot<string>('studentId') };
    const bounds = { from: slot<string>('from') ?? null, before: 'beforeAt' in values ? { at: slot<string>('beforeAt')!, id: slot<string>('beforeId')! } : null };
    return pageQuery(db, slotted, bounds, slot<number>('rows')!, { deviceId: slot<string>('deviceId')!, deviceName: slot<string>('deviceName')! }).compile();
  });
}

/** One page of payments, newest first, keyset-paged on (recorded_at, id). */
export async function listPayments(
  db: Kysely<LocalDatabase>,
  input: { filter: LedgerFilter; after: TimeCursor | null; limit: number; withTotal: boolean },
  ctx: ListContext,
): Promise<{ rows: PaymentListItem[]; next: TimeCursor | null; total: number | null }> {
  const { rows: raw } = await db.executeQuery(compiledPage(db, input.filter, input.after, input.limit, ctx));
  const rows = raw.map((r) => ({ ...r, voided: r.voided === 1, pending: r.pending === 1, duplicateReference: r.duplicateReference === 1 }));
  const total = input.withTotal
    ? Number((await filtered(db, input.filter, timeRange(input.filter, null, ctx.timeZone)).q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    : null;
  return { ...keysetPage(rows, input.limit, (r) => ({ at: r.recordedAt, id: r.id })), total };
}
