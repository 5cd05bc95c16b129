// The bursary dashboard on a small school whose every figure is worked out by hand below.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDevice, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import { pulledLedger, type PulledLedger } from '../support/pulled-ledger.js';
import { bursaryDashboard } from '../../electron/core/queries/dashboard.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import type { BursaryDashboard } from '../../shared/domain/bursary-views.js';
import type { Statement } from '../../shared/domain/fees.js';
import type { StudentRow } from '../../shared/domain/students.js';

const TZ = 'Africa/Nairobi';
const [tuition, lunch] = [TEST_CATEGORIES[0]!.id, TEST_CATEGORIES[1]!.id];
const [T1, T2] = ['Term 1 2026', 'Term 2 2026'];

let device: TestDevice;
let ledger: PulledLedger;
beforeEach(async () => {
  device = await openTestDevice({ students: 20 });
  ledger = pulledLedger(device);
});
afterEach(() => device.dispose());

async function ok<T>(method: string, input: unknown): Promise<T> {
  const reply = await device.core.dispatch(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as T;
}

const inClass = (className: string, n: number): StudentRow => device.students.filter((s) => s.class_name === className && s.status === 'enrolled')[n]!;

describe('ledger.dashboard', () => {
  it('adds up a small known school on 10 May 2026', async () => {
    await ledger.rows('terms', [
      { id: 't1', name: T1, starts_on: '2026-01-05', ends_on: '2026-04-03' },
      { id: 't2', name: T2, starts_on: '2026-04-27', ends_on: '2026-08-07' },
    ]);
    const [a, b] = [inClass('Grade 1', 0), inClass('Grade 1', 1)];
    const [c, e] = [inClass('Grade 2', 0), inClass('Grade 2', 1)];
    const d: StudentRow = { ...inClass('Grade 3', 0), id: '0190e000-0000-7000-8000-000000000001', admission_no: 'KHS/2026/NOCLASS', class_name: null };
    await ledger.rows('students', [d]);
    const posted = '2026-01-05T06:00:00.000Z';

    // A owes the second half of Term 2's tuition: the unallocated payment settled Term 1 first.
    await ledger.charge({ studentId: a.id, amountMinor: 50_000, dueOn: '2026-01-31', term: T1, postedAt: posted });
    await ledger.charge({ studentId: a.id, amountMinor: 100_000, dueOn: '2026-05-31', term: T2, postedAt: posted });
    await ledger.payment({ studentId: a.id, amountMinor: 100_000, recordedAt: '2026-05-10T05:00:00.000Z' });
    // B paid in full; a second payment the same day was voided.
    const bFee = await ledger.charge({ studentId: b.id, amountMinor: 100_000, dueOn: '2026-05-31', term: T2, postedAt: posted });
    await ledger.payment({ studentId: b.id, amountMinor: 100_000, recordedAt: '2026-05-01T06:00:00.000Z', allocations: [{ chargeId: bFee, amountMinor: 100_000 }] });
    const slip = await ledger.payment({ studentId: b.id, amountMinor: 7_000, recordedAt: '2026-05-10T06:00:00.000Z' });
    await ledger.void('payments', slip.id, 'Entered twice');
    // C paid lunch and part of tuition, and has a tuition discount.
    const cFee = await ledger.charge({ studentId: c.id, amountMinor: 80_000, dueOn: '2026-05-31', term: T2, postedAt: posted });
    const cLunch = await ledger.charge({ studentId: c.id, categoryId: lunch, amountMinor: 20_000, dueOn: '2026-05-31', term: T2, postedAt: posted });
    await ledger.payment({
      studentId: c.id,
      amountMinor: 30_000,
      recordedAt: '2026-04-28T06:00:00.000Z',
      allocations: [
        { chargeId: cLunch, amountMinor: 20_000 },
        { chargeId: cFee, amountMinor: 10_000 },
      ],
    });
    await ledger.discount({ studentId: c.id, categoryId: tuition, amountMinor: 5_000, postedAt: '2026-04-29T06:00:00.000Z' });
    // D (no class) is in credit: its only charge was voided; a refund paid some back. Two of its
    // payments fall either side of midnight in Nairobi.
    const dCharge = await ledger.charge({ studentId: d.id, amountMinor: 99_999, dueOn: '2026-05-31', term: T2, postedAt: posted });
    await ledger.void('charges', dCharge, 'Wrong student');
    await ledger.payment({ studentId: d.id, amountMinor: 5_000, recordedAt: '2026-03-01T06:00:00.000Z' });
    await ledger.payment({ studentId: d.id, amountMinor: 3_000, recordedAt: '2026-05-09T20:59:00.000Z' });
    await ledger.payment({ studentId: d.id, amountMinor: 4_000, recordedAt: '2026-05-09T21:30:00.000Z' });
    await ledger.refund({ studentId: d.id, amountMinor: 2_000, refundedAt: '2026-05-05T06:00:00.000Z' });
    // E: two offices both set a payment against the same Term 1 lunch offline; what it did not
    // need is credit, which settles Term 2's tuition.
    const eLunch = await ledger.charge({ studentId: e.id, categoryId: lunch, amountMinor: 10_000, dueOn: '2026-02-15', term: T1, postedAt: posted });
    await ledger.charge({ studentId: e.id, amountMinor: 20_000, dueOn: '2026-05-31', term: T2, postedAt: posted });
    await ledger.payment({ studentId: e.id, amountMinor: 8_000, recordedAt: '2026-02-01T06:00:00.000Z', allocations: [{ chargeId: eLunch, amountMinor: 8_000 }] });
    await ledger.payment({ studentId: e.id, amountMinor: 5_000, recordedAt: '2026-02-02T06:00:00.000Z', allocations: [{ chargeId: eLunch, amountMinor: 5_000 }] });

    const dash = await bursaryDashboard(device.core.store, 'KES', TZ, '2026-05-10');
    const daily = Object.fromEntries(dash.daily.filter((x) => x.collectedMinor !== 0).map((x) => [x.date, x.collectedMinor]));
    expect({ ...dash, daily }).toEqual({
      currency: 'KES',
      today: '2026-05-10',
      term: { name: T2, startsOn: '2026-04-27', endsOn: '2026-08-07' },
      collectedTodayMinor: 100_000 + 4_000,
      collectedTermMinor: 100_000 + 100_000 + 30_000 + 3_000 + 4_000,
      outstandingMinor: 50_000 + 65_000 + 17_000,
      studentsInArrears: 3,
      byClass: [
        { className: 'Grade 1', chargedMinor: 200_000, collectedMinor: 150_000, outstandingMinor: 50_000, rate: 0.75 },
        { className: 'Grade 2', chargedMinor: 120_000, collectedMinor: 38_000, outstandingMinor: 82_000, rate: 38_000 / 120_000 },
      ],
      daily: { '2026-04-28': 30_000, '2026-05-01': 100_000, '2026-05-09': 3_000, '2026-05-10': 104_000 },
      byCategory: [
        { category: 'Lunch', chargedMinor: 30_000, outstandingMinor: 0 },
        { category: 'Tuition', chargedMinor: 350_000, outstandingMinor: 132_000 },
      ],
    });
    expect(dash.daily.map((x) => x.date)).toEqual(Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 3, 11 + i)).toISOString().slice(0, 10)));

    // What each student still owes charge by charge is what their statement says.
    let owedOnStatements = 0;
    for (const s of [a, b, c, d, e]) owedOnStatements += (await ok<Statement>('students.statement', { studentId: s.id })).openCharges.reduce((sum, o) => sum + o.outstandingMinor, 0);
    expect(owedOnStatements).toBe(dash.outstandingMinor);
  });

  it('on a school without terms, counts every charge and everything collected, on the school’s today', async () => {
    const s = inClass('Grade 4', 0);
    await ok('charges.post', { studentId: s.id, categoryId: tuition, amountMinor: 40_000, dueOn: '2026-01-31' });
    await ok('payments.record', { studentId: s.id, amountMinor: 15_000 });
    await ledger.payment({ studentId: s.id, amountMinor: 5_000, recordedAt: '2025-12-01T06:00:00.000Z' });

    const dash = await ok<BursaryDashboard>('ledger.dashboard', {});
    const today = schoolDate(new Date(), TZ);
    expect(dash).toMatchObject({
      today,
      term: null,
      collectedTodayMinor: 15_000,
      collectedTermMinor: 20_000,
      outstandingMinor: 20_000,
      studentsInArrears: 1,
      byClass: [{ className: 'Grade 4', chargedMinor: 40_000, collectedMinor: 20_000, outstandingMinor: 20_000, rate: 0.5 }],
      byCategory: [{ category: 'Tuition', chargedMinor: 40_000, outstandingMinor: 20_000 }],
    });
    expect(dash.daily.at(-1)).toEqual({ date: today, collectedMinor: 15_000 });
  });

  it('is for staff who may view payments', async () => {
    await device.dispose();
    device = await openTestDevice({ students: 2, signInAs: 'teacher' });
    expect(await device.core.dispatch('ledger.dashboard', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
