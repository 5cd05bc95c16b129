import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { PaymentMethod } from '../../../shared/domain/payments.js';
import { nextDate, schoolDayStartUtc } from '../../../shared/domain/ledger-math.js';
import { sumTotals, zeroTotals, type MethodTotals } from '../../../shared/domain/cashup.js';
import type { CashUpListItem, CashUpView, TimeCursor } from '../../../shared/domain/bursary-views.js';
import { isLive, isPending } from './ledger-sql.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

/** One bursar's till: what they take on one device. A cash-up closes it for one school date. */
export interface Till {
  deviceId: string;
  staffId: string;
  timeZone: string;
}

export async function findCashUp(db: Db, till: Till, businessDate: string) {
  return db
    .selectFrom('cash_ups')
    .selectAll()
    .where('device_id', '=', till.deviceId)
    .where('staff_id', '=', till.staffId)
    .where('business_date', '=', businessDate)
    .orderBy('closed_at')
    .executeTakeFirst();
}

export interface TillDay {
  expected: MethodTotals;
  paymentCount: number;
  refundCount: number;
  expenseCount: number;
}

/**
 * What one bursar's till on this device should hold for one school date, by method: their
 * payments, less their refunds and the expenses they paid out, voided entries excluded. Each sum
 * is a range scan of its (device, author, time) index over the day's UTC bounds.
 */
export async function tillDay(db: Db, till: Till, businessDate: string): Promise<TillDay> {
  const from = schoolDayStartUtc(businessDate, till.timeZone);
  const to = schoolDayStartUtc(nextDate(businessDate), till.timeZone);
  const [payments, refunds, expenses] = await Promise.all([
    db
      .selectFrom('payments as p')
      .select(['p.method', (eb) => eb.fn.sum<number>('p.amount_minor').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('p.device_id', '=', till.deviceId)
      .where('p.recorded_by_id', '=', till.staffId)
      .where('p.recorded_at', '>=', from)
      .where('p.recorded_at', '<', to)
      .where(isLive('p.id'))
      .groupBy('p.method')
      .execute(),
    db
      .selectFrom('refunds as r')
      .select(['r.method', (eb) => eb.fn.sum<number>('r.amount_minor').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('r.device_id', '=', till.deviceId)
      .where('r.refunded_by_id', '=', till.staffId)
      .where('r.refunded_at', '>=', from)
      .where('r.refunded_at', '<', to)
      .where(isLive('r.id'))
      .groupBy('r.method')
      .execute(),
    db
      .selectFrom('expenses as e')
      .select(['e.method', (eb) => eb.fn.sum<number>('e.amount_minor').as('total'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('e.device_id', '=', till.deviceId)
      .where('e.recorded_by_id', '=', till.staffId)
      .where('e.recorded_at', '>=', from)
      .where('e.recorded_at', '<', to)
      .where(isLive('e.id'))
      .groupBy('e.method')
      .execute(),
  ]);
  const expected = zeroTotals();
  const add = (rows: { method: PaymentMethod; total: number }[], sign: 1 | -1) => {
    for (const r of rows) expected[r.method] += sign * Number(r.total);
  };
  add(payments, 1);
  add(refunds, -1);
  add(expenses, -1);
  const count = (rows: { n: number }[]) => rows.reduce((s, r) => s + Number(r.n), 0);
  return { expected, paymentCount: count(payments), refundCount: count(refunds), expenseCount: count(expenses) };
}

const totals = (json: string) => JSON.parse(json) as MethodTotals;

/** The bursar's day on this device: what the ledger expects, and the cash-up if it is closed. */
export async function cashUpView(db: Db, till: Till, staffName: string, deviceName: string, businessDate: string): Promise<CashUpView> {
  const [day, closed] = await Promise.all([tillDay(db, till, businessDate), findCashUp(db, till, businessDate)]);
  const pending = closed
    ? (await db.selectFrom('outbox_rows').select('row_id').where('table_name', '=', 'cash_ups').where('row_id', '=', closed.id).executeTakeFirst()) !== undefined
    : false;
  return {
    businessDate,
    staffId: till.staffId,
    staffName,
    deviceName,
    ...day,
    closed: closed
      ? {
          id: closed.id,
          counted: totals(closed.counted),
          expected: totals(closed.expected),
          differenceMinor: closed.difference_minor,
          note: closed.note,
          closedAt: closed.closed_at,
          pending,
        }
      : null,
  };
}

/** Every cash-up of the school this device holds, newest first, keyset-paged by (closed_at, id). */
export async function listCashUps(
  db: Kysely<LocalDatabase>,
  after: TimeCursor | null,
  limit: number,
  thisDevice: { id: string; name: string },
): Promise<{ rows: CashUpListItem[]; next: TimeCursor | null }> {
  let q = db
    .selectFrom('cash_ups as c')
    .leftJoin('devices as d', 'd.id', 'c.device_id')
    .select([
      'c.id',
      'c.business_date',
      'c.staff_name',
      'c.device_id',
      'd.name as device_name',
      'c.expected',
      'c.counted',
      'c.difference_minor',
      'c.note',
      'c.closed_at',
      isPending('cash_ups', 'c.id').as('pending'),
    ])
    .orderBy('c.closed_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit + 1);
  if (after) q = q.where((eb) => eb.or([eb('c.closed_at', '<', after.at), eb.and([eb('c.closed_at', '=', after.at), eb('c.id', '<', after.id)])]));
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map((r) => ({
      id: r.id,
      businessDate: r.business_date,
      staffName: r.staff_name,
      deviceName: r.device_name ?? (r.device_id === thisDevice.id ? thisDevice.name : null),
      expectedMinor: sumTotals(totals(r.expected)),
      countedMinor: sumTotals(totals(r.counted)),
      differenceMinor: r.difference_minor,
      note: r.note,
      closedAt: r.closed_at,
      pending: r.pending === 1,
    })),
    next: rows.length > limit && last ? { at: last.closed_at, id: last.id } : null,
  };
}
