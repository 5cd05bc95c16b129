import { sql } from 'kysely';
import type { CashUpRow } from '../../../shared/domain/cashup.js';
import type { VoidableTable, VoidRow } from '../../../shared/domain/fees.js';
import type { Allocation } from '../../../shared/domain/ledger-math.js';
import type { PaymentRow, RefundRow } from '../../../shared/domain/payments.js';
import { allocateSeqs, appendChanges, type Change, type ChangeOrigin } from '../changes/append.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { DEMO_SCHOOL, DEMO_STAFF } from './demo-school.js';
import { historyCalendar, instantOn, OPENS_AT } from './history-calendar.js';
import { planCashUps } from './history-cashups.js';
import { DEMO_HISTORY_DEVICE, historyDeviceExists, insertHistoryDevice } from './history-device.js';
import { planHistory, type HistoryStudent, type HistoryTill } from './history-plan.js';
import { mulberry32 } from './prng.js';
import { DEMO_FEES } from './seed-bursary.js';

// The demo school's payment history (npm start, --seed-demo; not the tests' plain demo): a term
// of the demo bursar's payments, voids, refunds and cash-ups on the history device, planned over
// the live ledger and written as the server writes every change, a seq and a sync_changes row
// each, in the order they happened. Written in batches: 3,000 students are a few thousand rows.

const TENANT = DEMO_SCHOOL.id;
const BATCH = 500;

const notVoided = (table: VoidableTable, alias: string) =>
  sql<boolean>`not exists (select 1 from voids v where v.tenant_id = ${sql.ref(`${alias}.tenant_id`)} and v.target_table = ${table} and v.target_id = ${sql.ref(`${alias}.id`)})`;

/** The enrolled students in admission order, each with their live ledger. */
async function loadStudents(trx: TenantTrx): Promise<HistoryStudent[]> {
  const students = await trx
    .selectFrom('students')
    .select('id')
    .where('tenant_id', '=', TENANT)
    .where('status', '=', 'enrolled')
    .where('deleted', '=', false)
    .orderBy('admission_no')
    .execute();
  const byId = new Map<string, HistoryStudent>(students.map((s) => [s.id, { id: s.id, charges: [], discounts: [], payments: [], refundsMinor: 0 }]));
  const charges = await trx
    .selectFrom('charges as c')
    .select(['c.id', 'c.student_id', 'c.category_id', 'c.amount_minor', sql<string>`to_char(c.due_on, 'YYYY-MM-DD')`.as('due_on'), 'c.posted_at'])
    .where('c.tenant_id', '=', TENANT)
    .where(notVoided('charges', 'c'))
    .execute();
  for (const c of charges) byId.get(c.student_id)?.charges.push({ id: c.id, categoryId: c.category_id, amountMinor: c.amount_minor, dueOn: c.due_on, postedAt: c.posted_at });
  const discounts = await trx
    .selectFrom('discounts as d')
    .select(['d.id', 'd.student_id', 'd.amount_minor', 'd.category_id', 'd.posted_at'])
    .where('d.tenant_id', '=', TENANT)
    .where(notVoided('discounts', 'd'))
    .execute();
  for (const d of discounts) byId.get(d.student_id)?.discounts.push({ id: d.id, amountMinor: d.amount_minor, categoryId: d.category_id, postedAt: d.posted_at });
  const payments = await trx
    .selectFrom('payments as p')
    .select(['p.id', 'p.student_id', 'p.amount_minor', 'p.allocations'])
    .where('p.tenant_id', '=', TENANT)
    .where(notVoided('payments', 'p'))
    .execute();
  for (const p of payments) byId.get(p.student_id)?.payments.push({ id: p.id, amountMinor: p.amount_minor, allocations: p.allocations as Allocation[] });
  const refunds = await trx
    .selectFrom('refunds as r')
    .select(['r.student_id', 'r.amount_minor'])
    .where('r.tenant_id', '=', TENANT)
    .where(notVoided('refunds', 'r'))
    .execute();
  for (const r of refunds) {
    const s = byId.get(r.student_id);
    if (s) s.refundsMinor += r.amount_minor;
  }
  return [...byId.values()];
}

type Entry =
  | { table: 'payments'; at: string; row: PaymentRow }
  | { table: 'voids'; at: string; row: VoidRow }
  | { table: 'refunds'; at: string; row: RefundRow }
  | { table: 'cash_ups'; at: string; row: CashUpRow };

async function inBatches<T>(rows: readonly T[], write: (batch: readonly T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH) await write(rows.slice(start, start + BATCH));
}

/** Writes the entries with seqs in the order they happened, and logs each as its change. */
async function writeInOrder(trx: TenantTrx, entries: Entry[], origin: ChangeOrigin): Promise<void> {
  entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const first = await allocateSeqs(trx, TENANT, entries.length);
  const sequenced = entries.map((e, i) => ({ ...e, seq: first + i }));
  const of = <T extends Entry['table']>(table: T) => sequenced.filter((e): e is Extract<Entry, { table: T }> & { seq: number } => e.table === table);

  await inBatches(of('payments'), (b) =>
    trx.insertInto('payments').values(b.map(({ row, seq }) => ({ tenant_id: TENANT, ...row, allocations: JSON.stringify(row.allocations), _seq: seq }))).execute(),
  );
  await inBatches(of('voids'), (b) => trx.insertInto('voids').values(b.map(({ row, seq }) => ({ tenant_id: TENANT, ...row, _seq: seq }))).execute());
  await inBatches(of('refunds'), (b) => trx.insertInto('refunds').values(b.map(({ row, seq }) => ({ tenant_id: TENANT, ...row, _seq: seq }))).execute());
  await inBatches(of('cash_ups'), (b) =>
    trx
      .insertInto('cash_ups')
      .values(b.map(({ row, seq }) => ({ tenant_id: TENANT, ...row, expected: JSON.stringify(row.expected), counted: JSON.stringify(row.counted), _seq: seq })))
      .execute(),
  );
  const changes: Change[] = sequenced.map((e) => ({ seq: e.seq, table: e.table, rowId: e.row.id, op: 'insert', row: e.row }));
  await inBatches(changes, (b) => appendChanges(trx, TENANT, b, origin));
}

/** Seeds the history once (the history device marks it done); returns whether it did. `now` is
 * the seeding moment: the history ends a little before it, in the school's time zone. */
export async function seedDemoHistory(trx: TenantTrx, now = new Date()): Promise<boolean> {
  if (await historyDeviceExists(trx, TENANT)) return false;
  const students = await loadStudents(trx);
  const term = DEMO_SCHOOL.terms.find((t) => t.name === DEMO_FEES.term)!;
  const dueDates = [...new Set(students.flatMap((s) => s.charges.map((c) => c.dueOn)))];
  const calendar = historyCalendar({ ...term, dueDates, postedAt: DEMO_FEES.postedAt }, now, DEMO_SCHOOL.timeZone, mulberry32(20260824));
  const firstDay = calendar.days[0]?.date ?? calendar.today;

  const receiptSeries = await insertHistoryDevice(trx, TENANT, { enrolledAt: instantOn(calendar, firstDay, OPENS_AT - 30), revokedAt: now.toISOString() });
  const till: HistoryTill = { deviceId: DEMO_HISTORY_DEVICE.id, receiptSeries, staffId: DEMO_STAFF.bursar.id, staffName: DEMO_STAFF.bursar.displayName, currency: DEMO_SCHOOL.currency };
  const planned = planHistory(students, calendar, till);
  const cashUps = planCashUps(planned, calendar, till);
  await writeInOrder(
    trx,
    [
      ...planned.payments.map((row) => ({ table: 'payments' as const, at: row.recorded_at, row })),
      ...planned.voids.map((row) => ({ table: 'voids' as const, at: row.voided_at, row })),
      ...planned.refunds.map((row) => ({ table: 'refunds' as const, at: row.refunded_at, row })),
      ...cashUps.map((row) => ({ table: 'cash_ups' as const, at: row.closed_at, row })),
    ],
    { mutationId: null, deviceId: DEMO_HISTORY_DEVICE.id, authorId: DEMO_STAFF.bursar.id },
  );
  return true;
}
