// A student's statement and a payment's receipt on the device, derived from the ledger:
// discounts, refunds, voids, overpayments, arrears by age, what a payment paid for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDevice, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import { OTHER_DEVICE, pulledLedger, type PulledLedger } from '../support/pulled-ledger.js';
import { studentStatement } from '../../electron/core/queries/statement.js';
import { listArrears } from '../../electron/core/queries/arrears.js';
import type { Statement } from '../../shared/domain/fees.js';
import type { Receipt } from '../../shared/domain/bursary-views.js';
import type { StudentRow } from '../../shared/domain/students.js';

let device: TestDevice;
let ledger: PulledLedger;
beforeEach(async () => {
  device = await openTestDevice({ students: 12 });
  ledger = pulledLedger(device);
});
afterEach(() => device.dispose());

const [tuition, lunch] = [TEST_CATEGORIES[0]!.id, TEST_CATEGORIES[1]!.id];
const TZ = 'Africa/Nairobi';
const enrolled = (n = 0): StudentRow => device.students.filter((s) => s.status === 'enrolled')[n]!;

async function ok<T>(method: string, input: unknown): Promise<T> {
  const reply = await device.core.dispatch(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as T;
}

function daysFrom(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

describe('students.statement', () => {
  it('counts discounts and refunds, leaves voided entries on the statement for nothing, and carries an overpayment as credit', async () => {
    const s = enrolled();
    const fee = await ledger.charge({ studentId: s.id, amountMinor: 100_000, dueOn: '2026-01-31', term: 'Term 1 2026', postedAt: '2026-01-05T06:00:00.000Z' });
    await ledger.charge({ studentId: s.id, categoryId: lunch, amountMinor: 30_000, dueOn: '2026-02-28', term: 'Term 1 2026', postedAt: '2026-01-05T06:00:01.000Z' });
    await ledger.payment({ studentId: s.id, amountMinor: 50_000, recordedAt: '2026-01-10T07:00:00.000Z', allocations: [{ chargeId: fee, amountMinor: 50_000 }] });
    await ledger.discount({ studentId: s.id, categoryId: lunch, amountMinor: 10_000, postedAt: '2026-01-11T07:00:00.000Z', reason: 'Sibling in Grade 4' });
    const wrong = await ledger.payment({ studentId: s.id, amountMinor: 5_000, recordedAt: '2026-01-12T07:00:00.000Z' });
    await ledger.void('payments', wrong.id, 'Entered twice');
    const voidedDiscount = await ledger.discount({ studentId: s.id, amountMinor: 7_000, percentBp: 500, postedAt: '2026-01-13T07:00:00.000Z', term: 'Term 1 2026' });
    await ledger.void('discounts', voidedDiscount, 'Granted in error');
    await ledger.payment({ studentId: s.id, amountMinor: 200_000, method: 'mobile_money', reference: 'QK7PL2M9XZ', recordedAt: '2026-01-20T07:00:00.000Z' });
    await ledger.refund({ studentId: s.id, amountMinor: 20_000, refundedAt: '2026-01-21T07:00:00.000Z', reason: 'Overpayment returned to parent' });

    const st = await ok<Statement>('students.statement', { studentId: s.id });
    expect(st.entries.map((e) => [e.kind, e.debitMinor, e.creditMinor, e.balanceMinor, e.voided])).toEqual([
      ['charge', 100_000, 0, 100_000, false],
      ['charge', 30_000, 0, 130_000, false],
      ['payment', 0, 50_000, 80_000, false],
      ['discount', 0, 10_000, 70_000, false],
      ['payment', 0, 5_000, 70_000, true],
      ['discount', 0, 7_000, 70_000, true],
      ['payment', 0, 200_000, -130_000, false],
      ['refund', 20_000, 0, -110_000, false],
    ]);
    expect(st.entries.map((e) => e.description)).toEqual([
      'Tuition (Term 1 2026, due 2026-01-31)',
      'Lunch (Term 1 2026, due 2026-02-28)',
      'Payment ACC-D2-000001 (cash)',
      'Discount on Lunch: Sibling in Grade 4',
      'Payment ACC-D2-000002 (cash)',
      'Discount 5% of all fees (Term 1 2026): Sibling discount',
      'Payment ACC-D2-000003 (mobile money)',
      'Refund (cash): Overpayment returned to parent',
    ]);
    expect(st.entries[4]).toMatchObject({ voidReason: 'Entered twice', pending: false });
    // Charges − payments − discounts + refunds, voided excluded; the last running balance agrees.
    expect(st.balanceMinor).toBe(130_000 - 250_000 - 10_000 + 20_000);
    expect(st.entries.at(-1)!.balanceMinor).toBe(st.balanceMinor);
    expect(st.creditMinor).toBe(110_000);
    expect(st.openCharges).toEqual([]);
    expect(st.arrears).toEqual({ notDueMinor: 0, d0to30Minor: 0, d31to60Minor: 0, d61to90Minor: 0, d90plusMinor: 0 });
  });

  it('lists what each charge still owes, oldest due first, after allocations, category discounts and the rest oldest-first', async () => {
    const s = enrolled();
    const a = await ledger.charge({ studentId: s.id, amountMinor: 60_000, dueOn: '2026-01-31', term: 'Term 1 2026', postedAt: '2026-01-05T06:00:00.000Z' });
    const b = await ledger.charge({ studentId: s.id, categoryId: lunch, amountMinor: 30_000, dueOn: '2026-01-15', postedAt: '2026-01-05T06:00:01.000Z', description: 'Meals' });
    const c = await ledger.charge({ studentId: s.id, amountMinor: 40_000, dueOn: '2026-03-31', term: 'Term 1 2026', postedAt: '2026-01-05T06:00:02.000Z' });
    // Paid against the later tuition charge on purpose; the unallocated rest goes oldest-first.
    await ledger.payment({ studentId: s.id, amountMinor: 25_000, recordedAt: '2026-01-10T07:00:00.000Z', allocations: [{ chargeId: c, amountMinor: 15_000 }] });
    await ledger.discount({ studentId: s.id, categoryId: lunch, amountMinor: 5_000, postedAt: '2026-01-11T07:00:00.000Z' });

    const st = await studentStatement(device.core.store.db, s.id, { currency: 'KES', time_zone: TZ }, new Date('2026-02-20T09:00:00Z'));
    expect(st.openCharges).toEqual([
      { chargeId: b, description: 'Lunch: Meals (due 2026-01-15)', dueOn: '2026-01-15', outstandingMinor: 15_000 },
      { chargeId: a, description: 'Tuition (Term 1 2026, due 2026-01-31)', dueOn: '2026-01-31', outstandingMinor: 60_000 },
      { chargeId: c, description: 'Tuition (Term 1 2026, due 2026-03-31)', dueOn: '2026-03-31', outstandingMinor: 25_000 },
    ]);
    expect(st.balanceMinor).toBe(100_000);
    expect(st.creditMinor).toBe(0);
    // On 2026-02-20: lunch 36 days late, the first tuition 20 days, the second not yet due.
    expect(st.arrears).toEqual({ notDueMinor: 25_000, d0to30Minor: 60_000, d31to60Minor: 15_000, d61to90Minor: 0, d90plusMinor: 0 });
  });

  it('ages arrears on the school date at the 30/31, 60/61 and 90/91 day edges', async () => {
    const s = enrolled();
    // 23:30 in Nairobi on 2026-06-30 is still 20:30 UTC: the school's date decides.
    const now = new Date('2026-06-30T20:30:00Z');
    const today = '2026-06-30';
    const ages: [number, number][] = [
      [-1, 1], // due tomorrow: not due
      [0, 2], // due today: 0 days late
      [30, 4],
      [31, 8],
      [60, 16],
      [61, 32],
      [90, 64],
      [91, 128],
    ];
    for (const [late, units] of ages) {
      await ledger.charge({ studentId: s.id, amountMinor: units * 100, dueOn: daysFrom(today, -late), postedAt: '2026-01-05T06:00:00.000Z' });
    }
    const expected = { notDueMinor: 100, d0to30Minor: 600, d31to60Minor: 2_400, d61to90Minor: 9_600, d90plusMinor: 12_800 };
    const st = await studentStatement(device.core.store.db, s.id, { currency: 'KES', time_zone: TZ }, now);
    expect(st.arrears).toEqual(expected);
    const page = await listArrears(device.core.store.db, { filter: {}, after: null, limit: 10, withTotal: false }, today);
    expect(page.rows.find((r) => r.studentId === s.id)).toMatchObject({ balanceMinor: 25_500, ...expected });

    // A minute later it is 1 July at the school: every overdue charge is a day older.
    const later = await studentStatement(device.core.store.db, s.id, { currency: 'KES', time_zone: TZ }, new Date('2026-06-30T21:01:00Z'));
    expect(later.arrears).toEqual({ notDueMinor: 0, d0to30Minor: 100 + 200, d31to60Minor: 400 + 800, d61to90Minor: 1_600 + 3_200, d90plusMinor: 6_400 + 12_800 });

    // A payment settles the oldest first.
    await ledger.payment({ studentId: s.id, amountMinor: 12_900, recordedAt: '2026-06-30T08:00:00.000Z' });
    const paid = await studentStatement(device.core.store.db, s.id, { currency: 'KES', time_zone: TZ }, now);
    expect(paid.arrears).toEqual({ ...expected, d61to90Minor: 9_500, d90plusMinor: 0 });
  });

  it('shows the entries this device wrote through its own commands as pending, with the same math', async () => {
    const s = enrolled(4);
    const fee = await ok<{ id: string }>('charges.post', { studentId: s.id, categoryId: tuition, amountMinor: 80_000, dueOn: '2026-01-31', term: 'Term 1 2026' });
    await ok('charges.post', { studentId: s.id, categoryId: lunch, amountMinor: 20_000, dueOn: '2026-02-28', term: 'Term 1 2026' });
    await ok('discounts.grant', { studentId: s.id, categoryId: tuition, kind: 'scholarship', basis: 'percent', percentBp: 2500, term: 'Term 1 2026', reason: 'Top of the class' });
    await ok('payments.record', { studentId: s.id, amountMinor: 90_000, allocations: [{ chargeId: fee.id, amountMinor: 60_000 }] });
    await ok('refunds.record', { studentId: s.id, amountMinor: 5_000, method: 'cash', reason: 'Parent asked for the change' });
    const slip = await ok<{ id: string }>('payments.record', { studentId: s.id, amountMinor: 1_000 });
    await ok('ledger.void', { targetTable: 'payments', targetId: slip.id, reason: 'Typed the wrong amount' });

    const st = await ok<Statement>('students.statement', { studentId: s.id });
    expect(st.entries.map((e) => [e.kind, e.debitMinor, e.creditMinor, e.voided, e.pending])).toEqual([
      ['charge', 80_000, 0, false, true],
      ['charge', 20_000, 0, false, true],
      ['discount', 0, 20_000, false, true],
      ['payment', 0, 90_000, false, true],
      ['refund', 5_000, 0, false, true],
      ['payment', 0, 1_000, true, true],
    ]);
    expect(st.entries[2]!.description).toBe('Scholarship 25% of Tuition (Term 1 2026): Top of the class');
    // 100,000 charged − 20,000 scholarship − 90,000 paid + 5,000 refunded.
    expect(st.balanceMinor).toBe(-5_000);
    expect(st.creditMinor).toBe(5_000);
    expect(st.openCharges).toEqual([]);
  });

  it('lists charges posted together (a structure applied) in due-date order', async () => {
    const s = enrolled(2);
    const at = '2026-01-05T06:00:00.000Z';
    await ledger.charge({ studentId: s.id, amountMinor: 60_000, dueOn: '2026-03-01', term: 'Term 1 2026', postedAt: at });
    await ledger.charge({ studentId: s.id, categoryId: lunch, amountMinor: 30_000, dueOn: '2026-01-15', term: 'Term 1 2026', postedAt: at });
    await ledger.charge({ studentId: s.id, amountMinor: 60_000, dueOn: '2026-02-01', term: 'Term 1 2026', postedAt: at });
    const statement = await ok<Statement>('students.statement', { studentId: s.id });
    expect(statement.entries.map((e) => e.description.match(/due (\d{4}-\d{2}-\d{2})/)?.[1])).toEqual(['2026-01-15', '2026-02-01', '2026-03-01']);
  });

  it('refuses a student this device does not hold', async () => {
    const reply = await device.core.dispatch('students.statement', { studentId: '01900000-0000-7000-8000-00000000abcd' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/not on this device/) } });
  });
});

describe('payments.receipt', () => {
  it('names the charges a payment spread over, the rest as credit, and the balance right after it', async () => {
    const s = enrolled(1);
    await ledger.rows('devices', [{ ...OTHER_DEVICE, profile: 'office', enrolled_at: '2026-01-02T06:00:00.000Z', revoked_at: null }]);
    const fee = await ledger.charge({ studentId: s.id, amountMinor: 60_000, dueOn: '2026-01-31', term: 'Term 1 2026', postedAt: '2026-01-05T06:00:00.000Z' });
    const meals = await ledger.charge({ studentId: s.id, categoryId: lunch, amountMinor: 30_000, dueOn: '2026-02-28', term: 'Term 1 2026', postedAt: '2026-01-05T06:00:01.000Z' });
    await ledger.payment({ studentId: s.id, amountMinor: 10_000, recordedAt: '2026-01-08T07:00:00.000Z', allocations: [{ chargeId: fee, amountMinor: 10_000 }] });
    const voidedCharge = await ledger.charge({ studentId: s.id, amountMinor: 99_000, dueOn: '2026-01-31', postedAt: '2026-01-09T06:00:00.000Z' });
    await ledger.void('charges', voidedCharge, 'Wrong student');
    // Recorded at 22:30 UTC: already 10 January at the school.
    const paid = await ledger.payment({
      studentId: s.id,
      amountMinor: 100_000,
      method: 'bank_transfer',
      reference: 'FT26010912345',
      recordedAt: '2026-01-09T22:30:00.000Z',
      recordedById: null,
      recordedBy: 'Joseph Otieno',
      allocations: [
        { chargeId: fee, amountMinor: 50_000 },
        { chargeId: meals, amountMinor: 30_000 },
      ],
    });
    // Entries after it do not change what its receipt says.
    await ledger.charge({ studentId: s.id, amountMinor: 40_000, dueOn: '2026-05-31', postedAt: '2026-01-09T22:30:00.001Z' });
    await ledger.payment({ studentId: s.id, amountMinor: 1_000, recordedAt: '2026-01-11T07:00:00.000Z' });

    const receipt = await ok<Receipt>('payments.receipt', { paymentId: paid.id });
    expect(receipt).toEqual({
      schoolName: 'Test School',
      currency: 'KES',
      receiptNo: paid.receiptNo,
      paymentId: paid.id,
      recordedAt: '2026-01-09T22:30:00.000Z',
      businessDate: '2026-01-10',
      student: { id: s.id, name: `${s.first_name} ${s.last_name}`, admissionNo: s.admission_no, className: s.class_name },
      amountMinor: 100_000,
      method: 'bank_transfer',
      reference: 'FT26010912345',
      lines: [
        { description: 'Tuition (Term 1 2026, due 2026-01-31)', amountMinor: 50_000 },
        { description: 'Lunch (Term 1 2026, due 2026-02-28)', amountMinor: 30_000 },
        { description: null, amountMinor: 20_000 },
      ],
      balanceAfterMinor: 90_000 - 10_000 - 100_000,
      recordedBy: 'Joseph Otieno',
      deviceName: 'Accounts PC',
      voided: false,
      voidReason: null,
      pending: false,
    });

    // A reprint after a void says so, and still shows the balance it left.
    await ledger.void('payments', paid.id, 'Bank reversed the transfer');
    expect(await ok<Receipt>('payments.receipt', { paymentId: paid.id })).toMatchObject({ voided: true, voidReason: 'Bank reversed the transfer', balanceAfterMinor: -20_000 });
  });

  it('names this computer for its own payments before the devices table has synced, and refuses an unknown payment', async () => {
    const s = enrolled(2);
    const thisDevice = device.core.device.device_id;
    const mine = await ledger.payment({ studentId: s.id, amountMinor: 5_000, recordedAt: '2026-02-01T07:00:00.000Z', deviceId: thisDevice });
    const theirs = await ledger.payment({ studentId: s.id, amountMinor: 5_000, recordedAt: '2026-02-01T08:00:00.000Z', deviceId: '0190d000-0000-7000-8000-0000000000bb' });
    expect(await ok<Receipt>('payments.receipt', { paymentId: mine.id })).toMatchObject({ deviceName: 'Office PC', lines: [{ description: null, amountMinor: 5_000 }], balanceAfterMinor: -5_000 });
    expect(await ok<Receipt>('payments.receipt', { paymentId: theirs.id })).toMatchObject({ deviceName: 'Another office computer', balanceAfterMinor: -10_000 });
    expect(await device.core.dispatch('payments.receipt', { paymentId: '01900000-0000-7000-8000-00000000abcd' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a payment recorded here is pending on its receipt until the server acknowledges it', async () => {
    const s = enrolled(3);
    await ledger.charge({ studentId: s.id, amountMinor: 20_000, dueOn: '2026-01-31', postedAt: '2026-01-05T06:00:00.000Z' });
    const reply = await device.core.dispatch('payments.record', { studentId: s.id, amountMinor: 25_000 });
    if (!reply.ok) throw new Error(reply.error.message);
    const payment = reply.value as { id: string; receiptNo: string };
    const receipt = await ok<Receipt>('payments.receipt', { paymentId: payment.id });
    expect(receipt).toMatchObject({ receiptNo: payment.receiptNo, pending: true, deviceName: 'Office PC', recordedBy: 'Bursar Person', balanceAfterMinor: -5_000 });
    expect(receipt.lines).toEqual([
      { description: 'Tuition (due 2026-01-31)', amountMinor: 20_000 },
      { description: null, amountMinor: 5_000 },
    ]);
  });
});
