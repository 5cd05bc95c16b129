// The demo school's payment history (npm start, --seed-demo): seeded once, on both backends;
// every payment spread oldest-due-first over what its student owed at that moment, as
// payments.record does; balances = charges − payments − discounts + refunds; receipts unique and
// in order; each past day closed by a cash-up matching its takings; written as changes in the
// order it happened; and a device that syncs it shows the server's balances and dashboard.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { CashUpRow, sumTotals, zeroTotals } from '../../shared/domain/cashup.js';
import type { BursaryDashboard } from '../../shared/domain/bursary-views.js';
import type { Statement } from '../../shared/domain/fees.js';
import { allocateOldestFirst, nextDate, schoolDate, schoolDayStartUtc, settle, type LedgerCharge } from '../../shared/domain/ledger-math.js';
import { formatReceiptNo, PaymentRow, RefundRow } from '../../shared/domain/payments.js';
import { DeviceRow } from '../../shared/domain/staff.js';
import { openServerDb } from '../../sync-server/src/db/connect.js';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { DEMO_FEES } from '../../sync-server/src/demo/seed-bursary.js';
import { DEMO_HISTORY_DEVICE, DEMO_SCHOOL, DEMO_STAFF, seedDemoHistory, seedDemoSchool } from '../../sync-server/src/demo/seed-demo.js';
import { loadStudentLedger } from '../../sync-server/src/ledger/student-ledger.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { call, Fleet } from '../support/fleet.js';
import { BACKENDS, backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { waitFor } from '../support/wait.js';

const STUDENTS = 80;
const TZ = DEMO_SCHOOL.timeZone;
type Db = Kysely<ServerDatabase>;

const daysBefore = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
const byTime = <T>(at: (x: T) => string) => (a: T, b: T) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0);

/** Every ledger row of the demo school, as the server stores them. */
async function ledger(db: Db) {
  const charges = await db
    .selectFrom('charges')
    .select(['id', 'student_id', 'category_id', 'amount_minor', sql<string>`to_char(due_on, 'YYYY-MM-DD')`.as('due_on'), 'posted_at'])
    .where('tenant_id', '=', DEMO_SCHOOL.id)
    .execute();
  const payments = (await db.selectFrom('payments').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute()).map(({ tenant_id: _t, _seq, ...p }) => ({ ...PaymentRow.parse(p), seq: _seq }));
  const refunds = (await db.selectFrom('refunds').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute()).map(({ tenant_id: _t, _seq, ...r }) => ({ ...RefundRow.parse(r), seq: _seq }));
  const discounts = await db.selectFrom('discounts').select(['id', 'student_id', 'amount_minor', 'category_id', 'posted_at']).where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  const voids = await db.selectFrom('voids').select(['target_table', 'target_id', 'reason', 'voided_at', 'voided_by', 'device_id', '_seq']).where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  const cashUps = (
    await db
      .selectFrom('cash_ups')
      .select(['id', sql<string>`to_char(business_date, 'YYYY-MM-DD')`.as('business_date'), 'device_id', 'staff_id', 'staff_name', 'expected', 'counted', 'difference_minor', 'note', 'closed_at', '_seq'])
      .where('tenant_id', '=', DEMO_SCHOOL.id)
      .execute()
  ).map(({ _seq, ...c }) => ({ ...CashUpRow.parse(c), seq: _seq }));
  return { charges, payments, refunds, discounts, voids, cashUps };
}

/** Charges − payments − discounts + refunds, voided entries excluded, per student (SQL sums). */
async function sqlBalances(db: Db): Promise<Map<string, number>> {
  const { rows } = await sql<{ id: string; balance: string }>`
    select s.id, (
        (select coalesce(sum(amount_minor), 0) from charges x where x.student_id = s.id and not exists (select 1 from voids v where v.target_id = x.id))
      - (select coalesce(sum(amount_minor), 0) from payments x where x.student_id = s.id and not exists (select 1 from voids v where v.target_id = x.id))
      - (select coalesce(sum(amount_minor), 0) from discounts x where x.student_id = s.id and not exists (select 1 from voids v where v.target_id = x.id))
      + (select coalesce(sum(amount_minor), 0) from refunds x where x.student_id = s.id and not exists (select 1 from voids v where v.target_id = x.id))
    ) as balance
    from students s where s.tenant_id = ${DEMO_SCHOOL.id}`.execute(db);
  return new Map(rows.map((r) => [r.id, Number(r.balance)]));
}

/** Replays each student's entries in the order they were made and checks each payment against
 * what the student owed at that moment, and each refund against the credit then. */
function replay(l: Awaited<ReturnType<typeof ledger>>): { paid: number; overpaid: number } {
  const voidedAt = new Map(l.voids.map((v) => [v.target_id, v.voided_at]));
  const students = new Set(l.payments.map((p) => p.student_id));
  let overpaid = 0;
  for (const studentId of students) {
    const charges: (LedgerCharge & { studentId: string })[] = l.charges
      .filter((c) => c.student_id === studentId)
      .map((c) => ({ id: c.id, studentId, categoryId: c.category_id, amountMinor: c.amount_minor, dueOn: c.due_on, postedAt: c.posted_at }));
    const events = [
      ...l.payments.filter((p) => p.student_id === studentId).map((p) => ({ at: p.recorded_at, payment: p })),
      ...l.refunds.filter((r) => r.student_id === studentId).map((r) => ({ at: r.refunded_at, refund: r })),
    ].sort(byTime((e) => e.at));
    const position = (at: string) => {
      const live = <T extends { id: string }>(rows: T[], when: (r: T) => string) => rows.filter((r) => when(r) < at && !(voidedAt.get(r.id)! < at));
      const posted = charges.filter((c) => c.postedAt <= at);
      const payments = live(l.payments.filter((p) => p.student_id === studentId), (p) => p.recorded_at).map((p) => ({ id: p.id, amountMinor: p.amount_minor, allocations: p.allocations }));
      const discounts = l.discounts.filter((d) => d.student_id === studentId && d.posted_at <= at).map((d) => ({ id: d.id, amountMinor: d.amount_minor, categoryId: d.category_id }));
      const refunded = live(l.refunds.filter((r) => r.student_id === studentId), (r) => r.refunded_at).reduce((s, r) => s + r.amount_minor, 0);
      return { posted, ...settle(posted, payments, discounts, refunded) };
    };
    for (const e of events) {
      const now = position(e.at);
      if ('payment' in e && e.payment) {
        const p = e.payment;
        expect(p.allocations.reduce((s, a) => s + a.amountMinor, 0)).toBeLessThanOrEqual(p.amount_minor);
        for (const a of p.allocations) {
          expect(charges.find((c) => c.id === a.chargeId)?.studentId, `payment ${p.receipt_no} pays another student's charge`).toBe(studentId);
          expect(a.amountMinor).toBeLessThanOrEqual(now.outstanding.get(a.chargeId)!);
        }
        expect(p.allocations, `payment ${p.receipt_no}`).toEqual(allocateOldestFirst(now.posted, now.outstanding, p.amount_minor));
      } else if ('refund' in e && e.refund) {
        expect(e.refund.amount_minor).toBeLessThanOrEqual(now.creditMinor);
      }
    }
    if (position('9999-12-31').creditMinor > 0) overpaid++;
  }
  return { paid: students.size, overpaid };
}

/** What the server holds after seeding the demo with its history at `now`. */
async function expectHistory(db: Db, now: Date, students: number): Promise<void> {
  const today = schoolDate(now, TZ);
  const l = await ledger(db);
  const device = await db.selectFrom('devices').selectAll().where('id', '=', DEMO_HISTORY_DEVICE.id).executeTakeFirstOrThrow();
  const series = device.receipt_series;

  // The history device: stored as devices are, named, revoked, and no token can match its hash.
  expect(device).toMatchObject({ name: 'Bursar office (history)', profile: 'office' });
  expect(device.revoked_at).not.toBeNull();
  expect(device.token_hash).not.toMatch(/^[0-9a-f]{64}$/);
  const [deviceChange] = await db.selectFrom('sync_changes').select(['row', 'op']).where('table_name', '=', 'devices').where('row_id', '=', device.id).execute();
  expect(deviceChange!.op).toBe('insert');
  expect(DeviceRow.parse(deviceChange!.row)).toMatchObject({ id: device.id, receipt_series: series });

  // All of it the demo bursar's, on the history device, in office hours, before `now`.
  expect(l.payments.length).toBeGreaterThan(students / 2);
  for (const e of [...l.payments.map((p) => ({ ...p, by: p.recorded_by_id, at: p.recorded_at })), ...l.refunds.map((r) => ({ ...r, by: r.refunded_by_id, at: r.refunded_at }))]) {
    expect(e).toMatchObject({ device_id: DEMO_HISTORY_DEVICE.id, by: DEMO_STAFF.bursar.id, currency: DEMO_SCHOOL.currency });
    expect(e.amount_minor % 10_000).toBe(0);
    expect(e.at < now.toISOString()).toBe(true);
    const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(e.at));
    expect(hhmm >= '07:25' && hhmm <= '16:40', `${e.at} at ${hhmm}`).toBe(true);
  }
  const methods = new Set(l.payments.map((p) => p.method));
  expect([...methods].sort()).toEqual(expect.arrayContaining(['bank_transfer', 'cash', 'mobile_money']));
  for (const p of l.payments) {
    if (p.method === 'mobile_money') expect(p.reference).toMatch(/^QK7[A-Z0-9]{7}$/);
    else if (p.method === 'cash') expect(p.reference).toBeNull();
    else expect(p.reference).toMatch(/^\w{6,}$/);
  }

  // Receipts: unique, from the device's series, numbered in the order they were issued.
  const inOrder = [...l.payments].sort(byTime((p) => p.recorded_at));
  expect(inOrder.map((p) => p.receipt_no)).toEqual(inOrder.map((_, i) => formatReceiptNo(series, i + 1)));
  expect(new Set(l.payments.map((p) => p.receipt_no)).size).toBe(l.payments.length);
  // No reference repeated among the payments that stand.
  const voided = new Set(l.voids.map((v) => v.target_id));
  const refs = l.payments.filter((p) => p.reference && !voided.has(p.id)).map((p) => `${p.method} ${p.reference}`);
  expect(new Set(refs).size).toBe(refs.length);

  // 3-4 payments voided a minute after they were entered, with reasons; each was recorded again.
  expect(l.voids.length).toBeGreaterThanOrEqual(3);
  expect(l.voids.length).toBeLessThanOrEqual(4);
  for (const v of l.voids) {
    const p = l.payments.find((x) => x.id === v.target_id)!;
    expect(v).toMatchObject({ target_table: 'payments', device_id: DEMO_HISTORY_DEVICE.id, voided_by: DEMO_STAFF.bursar.displayName });
    expect(v.reason.length).toBeGreaterThan(10);
    expect(Date.parse(v.voided_at) - Date.parse(p.recorded_at)).toBe(60_000);
    expect(l.payments.some((x) => x.student_id === p.student_id && x.recorded_at > v.voided_at && !voided.has(x.id))).toBe(true);
  }

  // Allocations oldest-due-first over what the student owed at the time; refunds within credit.
  const { paid, overpaid } = replay(l);
  const enrolled = await db.selectFrom('students').select('id').where('status', '=', 'enrolled').execute();
  expect(paid / enrolled.length).toBeGreaterThan(0.4);
  expect(paid / enrolled.length).toBeLessThan(0.8);
  expect(overpaid).toBeGreaterThanOrEqual(2);
  expect(l.refunds).toHaveLength(2);
  for (const p of l.payments.filter((x) => x.recorded_at < DEMO_FEES.postedAt)) expect(p.allocations).toEqual([]);

  // The server's settled balances are charges − payments − discounts + refunds.
  const balances = await sqlBalances(db);
  await withTenant(db, DEMO_SCHOOL.id, async (trx) => {
    for (const [id, balance] of balances) expect((await loadStudentLedger(trx, DEMO_SCHOOL.id, id)).balanceMinor).toBe(balance);
  });

  // Each past day the till took money on is closed; the cash-up matches the day's takings.
  const takings = new Map<string, ReturnType<typeof zeroTotals>>();
  const day = (at: string) => {
    const d = schoolDate(at, TZ);
    if (!takings.has(d)) takings.set(d, zeroTotals());
    return takings.get(d)!;
  };
  for (const p of l.payments) if (!voided.has(p.id)) day(p.recorded_at)[p.method] += p.amount_minor;
  for (const r of l.refunds) day(r.refunded_at)[r.method] -= r.amount_minor;
  const pastDays = [...takings.keys()].filter((d) => d < today).sort();
  expect(l.cashUps.map((c) => c.business_date).sort()).toEqual(pastDays);
  let short = 0;
  for (const c of l.cashUps) {
    expect(c).toMatchObject({ device_id: DEMO_HISTORY_DEVICE.id, staff_id: DEMO_STAFF.bursar.id, staff_name: DEMO_STAFF.bursar.displayName });
    expect(c.expected).toEqual(takings.get(c.business_date));
    expect(c.difference_minor).toBe(sumTotals(c.counted) - sumTotals(c.expected));
    expect(c.difference_minor).toBeLessThanOrEqual(0);
    expect(c.difference_minor).toBeGreaterThanOrEqual(-20_000);
    for (const m of Object.keys(c.counted) as (keyof typeof c.counted)[]) expect(c.counted[m]).toBeGreaterThanOrEqual(0);
    if (c.difference_minor < 0) short++;
    expect(schoolDate(c.closed_at, TZ)).toBe(c.business_date);
    const lastEntry = [...l.payments, ...l.refunds.map((r) => ({ ...r, recorded_at: r.refunded_at }))].filter((e) => schoolDate(e.recorded_at, TZ) === c.business_date).map((e) => e.recorded_at).sort().at(-1)!;
    expect(c.closed_at > lastEntry).toBe(true);
  }
  expect(short).toBeLessThan(l.cashUps.length);

  // The last 30 days have takings (the dashboard's chart), on most of the office's days.
  const recent = new Set(l.payments.map((p) => schoolDate(p.recorded_at, TZ)).filter((d) => d > daysBefore(today, 30)));
  expect(recent.size).toBeGreaterThanOrEqual(8);

  // Written as the server writes every change, in the order it happened, as the bursar on the device.
  const changes = await db
    .selectFrom('sync_changes')
    .select(['seq', 'table_name', 'row_id', 'row', 'device_id', 'author_id', 'mutation_id'])
    .where('tenant_id', '=', DEMO_SCHOOL.id)
    .where('table_name', 'in', ['payments', 'voids', 'refunds', 'cash_ups'])
    .orderBy('seq')
    .execute();
  expect(changes).toHaveLength(l.payments.length + l.voids.length + l.refunds.length + l.cashUps.length);
  for (const c of changes) expect(c).toMatchObject({ device_id: DEMO_HISTORY_DEVICE.id, author_id: DEMO_STAFF.bursar.id, mutation_id: null });
  const at = (row: Record<string, unknown>) => String(row.recorded_at ?? row.voided_at ?? row.refunded_at ?? row.closed_at);
  const times = changes.map((c) => at(c.row as Record<string, unknown>));
  expect(times).toEqual([...times].sort());
  for (const p of l.payments) expect(changes.find((c) => c.row_id === p.id)?.seq).toBe(p.seq);
  for (const c of l.cashUps) expect(changes.find((x) => x.row_id === c.id)?.seq).toBe(c.seq);
}

const lastSeq = async (db: Db) => (await db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow()).last_seq;

describe.each(BACKENDS)("the demo school's payment history on %s", (kind) => {
  if (backendSkipped(kind)) return;
  const fleet = new Fleet(() => server!);
  let server: RunningSyncServer | undefined;
  let backend: BackendConfig | undefined;
  afterAll(async () => {
    await fleet.closeAll();
    await server?.close();
    await backend?.drop();
  });

  it('is seeded once, as the server records changes: payments oldest due first, balances, receipts, voids, refunds and closed days all hold', async () => {
    backend = await freshBackend(kind);
    const seededAt = new Date();
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), seedDemo: { students: STUDENTS, history: true }, liveTimeoutMs: 1000 });
    const db = server.db.db;
    await expectHistory(db, new Date(), STUDENTS);
    expect(schoolDate(seededAt, TZ) <= schoolDate(new Date(), TZ)).toBe(true);

    // Seeding again (the next npm start) adds nothing.
    const before = await lastSeq(db);
    await seedDemoSchool(db, { students: STUDENTS, history: true });
    expect(await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoHistory(trx))).toBe(false);
    expect(await lastSeq(db)).toBe(before);
    expect(await db.selectFrom('devices').select('id').where('name', '=', DEMO_HISTORY_DEVICE.name).execute()).toHaveLength(1);
  }, 60_000);

  it('a device that syncs it shows the server’s balances and the same takings on its dashboard', async () => {
    const db = server!.db.db;
    const core = await fleet.enrol('Front office');
    const serverPayments = (await db.selectFrom('payments').select('id').execute()).length;
    await waitFor('the history to reach the device', async () => core.store.sqlite.prepare('select count(*) from cash_ups').pluck().get() === (await db.selectFrom('cash_ups').select('id').execute()).length, 60_000);
    expect(core.store.sqlite.prepare('select count(*) from payments').pluck().get()).toBe(serverPayments);
    // The new device's receipt series follows the history device's.
    expect(core.device.receipt_series).not.toBe((await db.selectFrom('devices').select('receipt_series').where('id', '=', DEMO_HISTORY_DEVICE.id).executeTakeFirstOrThrow()).receipt_series);
    await call(core, 'auth.login', { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password });

    // A sample: students with a voided payment, a refund, credit, several payments, and none.
    const l = await ledger(db);
    const balances = await sqlBalances(db);
    const voidedStudents = l.voids.map((v) => l.payments.find((p) => p.id === v.target_id)!.student_id);
    const withCredit = [...balances].filter(([, b]) => b < 0).map(([id]) => id);
    const unpaid = [...balances.keys()].filter((id) => !l.payments.some((p) => p.student_id === id));
    const sample = [...new Set([...voidedStudents, ...l.refunds.map((r) => r.student_id), ...withCredit.slice(0, 3), ...l.payments.slice(0, 5).map((p) => p.student_id), ...unpaid.slice(0, 3)])];
    expect(sample.length).toBeGreaterThanOrEqual(10);
    await withTenant(db, DEMO_SCHOOL.id, async (trx) => {
      for (const studentId of sample) {
        const onServer = await loadStudentLedger(trx, DEMO_SCHOOL.id, studentId);
        const statement = await call<Statement>(core, 'students.statement', { studentId });
        expect({ studentId, balance: statement.balanceMinor, credit: statement.creditMinor }).toEqual({ studentId, balance: onServer.balanceMinor, credit: onServer.creditMinor });
        expect(statement.balanceMinor).toBe(balances.get(studentId));
      }
    });

    // The dashboard's last 30 days and term total are the server's takings over the same days.
    const dash = await call<BursaryDashboard>(core, 'ledger.dashboard');
    const voided = new Set(l.voids.map((v) => v.target_id));
    const taken = (from: string, to: string) =>
      l.payments
        .filter((p) => !voided.has(p.id) && p.recorded_at >= schoolDayStartUtc(from, TZ) && p.recorded_at < schoolDayStartUtc(nextDate(to), TZ))
        .reduce((s, p) => s + p.amount_minor, 0);
    expect(dash.daily).toHaveLength(30);
    expect(dash.daily.reduce((s, d) => s + d.collectedMinor, 0)).toBe(taken(dash.daily[0]!.date, dash.today));
    expect(dash.daily.filter((d) => d.collectedMinor > 0).length).toBeGreaterThanOrEqual(8);
    expect(dash.collectedTermMinor).toBe(taken(dash.term!.startsOn, dash.term!.endsOn));
    expect(dash.outstandingMinor).toBe([...balances.values()].filter((b) => b > 0).reduce((s, b) => s + b, 0));
  }, 90_000);
});

describe('the history on a clock in the middle of the term (PGlite)', () => {
  const now = new Date('2026-09-16T10:00:00.000Z'); // 13:00 in Nairobi, a Wednesday

  async function seeded() {
    const server = await openServerDb({});
    await seedDemoSchool(server.db, { students: 40 });
    // The tests' plain demo has no history until it is asked for.
    expect(await server.db.selectFrom('payments').select('id').execute()).toEqual([]);
    expect(await withTenant(server.db, DEMO_SCHOOL.id, (trx) => seedDemoHistory(trx, now))).toBe(true);
    return server;
  }

  it('ends before the seeding moment, leaves today open, and is the same on every machine', async () => {
    const [a, b] = [await seeded(), await seeded()];
    try {
      await expectHistory(a.db, now, 40);
      const l = await ledger(a.db);
      // From 30 days before the seeding day: the week before the fees were posted is credit (checked above).
      const dates = l.payments.map((p) => schoolDate(p.recorded_at, TZ)).sort();
      expect(dates[0]! >= '2026-08-18').toBe(true);
      expect(dates.filter((d) => d < '2026-08-24').length).toBeGreaterThan(0);
      expect(l.cashUps.every((c) => c.business_date < '2026-09-16')).toBe(true);
      // Same clock, same school: the same history, row for row.
      const rows = async (db: Db) => (await ledger(db)).payments.map(({ seq: _s, ...p }) => p).sort(byTime((p) => p.receipt_no));
      expect(await rows(b.db)).toEqual(await rows(a.db));
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);
});
