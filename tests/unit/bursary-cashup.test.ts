// Cash-up on the device: one bursar's day on one computer, expected from the ledger (payments less
// refunds and expenses, voided entries excluded), closed once; after it, that bursar records
// nothing more into that day here.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, refusal, signInAs, staffFor, storeCounts, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import { zeroTotals, type MethodTotals } from '../../shared/domain/cashup.js';
import { nextDate, schoolDate } from '../../shared/domain/ledger-math.js';
import { formatReceiptNo, type PaymentRow } from '../../shared/domain/payments.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 12 });
});
afterEach(() => device.dispose());

const enrolled = (n = 0) => device.students.filter((s) => s.status === 'enrolled')[n]!;
const today = () => schoolDate(new Date(), 'Africa/Nairobi');
const yesterday = () => new Date(Date.parse(`${today()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const totals = (t: Partial<MethodTotals>): MethodTotals => ({ ...zeroTotals(), ...t });

/** The bursar's day: two cash payments (one voided), one by mobile money, a refund and an expense. */
async function busyDay(): Promise<void> {
  const student = enrolled();
  await call(device.core, 'charges.post', { studentId: student.id, categoryId: TEST_CATEGORIES[0]!.id, amountMinor: 10_000, dueOn: '2026-01-31' });
  await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 12_000 });
  const voided = await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 99_000 });
  await call(device.core, 'ledger.void', { targetTable: 'payments', targetId: voided.id, reason: 'Wrong student' });
  await call(device.core, 'payments.record', { studentId: enrolled(1).id, amountMinor: 5_000, method: 'mobile_money', reference: 'QK7PL2M9XZ' });
  await call(device.core, 'refunds.record', { studentId: student.id, amountMinor: 2_000, reason: 'Overpaid' });
  await call(device.core, 'expenses.record', { category: 'Kitchen', payee: 'Naivas', amountMinor: 1_500, spentOn: today() });
}

describe('cashup.preview and cashup.close', () => {
  it('expects this bursar’s takings on this computer today, by method, and closes the day once', async () => {
    await busyDay();
    // Not in this till: someone else's payment here, and this bursar's payment on another computer.
    await signInAs(device.core, 'administrator');
    await call(device.core, 'payments.record', { studentId: enrolled(2).id, amountMinor: 40_000 });
    const elsewhere: PaymentRow = {
      id: '0190e000-0000-7000-8000-000000000001',
      student_id: enrolled(3).id,
      amount_minor: 70_000,
      currency: 'KES',
      method: 'cash',
      reference: null,
      receipt_no: formatReceiptNo('TEST-D2', 1),
      recorded_at: new Date().toISOString(),
      recorded_by: 'Bursar Person',
      recorded_by_id: staffFor('bursar').id,
      device_id: '0190d000-0000-7000-8000-000000000002',
      allocations: [],
    };
    await pullRows(device.core, 'payments', [elsewhere]);
    await signInAs(device.core, 'bursar');

    const preview = await call(device.core, 'cashup.preview', {});
    expect(preview).toEqual({
      businessDate: today(),
      staffId: staffFor('bursar').id,
      staffName: 'Bursar Person',
      deviceName: 'Office PC',
      expected: totals({ cash: 12_000 - 2_000 - 1_500, mobile_money: 5_000 }),
      paymentCount: 2,
      refundCount: 1,
      expenseCount: 1,
      closed: null,
    });

    const counted = totals({ cash: 8_000, mobile_money: 5_000 });
    const closed = await call(device.core, 'cashup.close', { counted, note: 'Short by 5.00' });
    expect(closed.closed).toMatchObject({ counted, expected: preview.expected, differenceMinor: -500, note: 'Short by 5.00', pending: true });
    const row = device.core.store.sqlite.prepare('select * from cash_ups').get() as Record<string, unknown>;
    expect(row).toMatchObject({ business_date: today(), staff_id: staffFor('bursar').id, device_id: device.core.device.device_id, difference_minor: -500 });
    expect(JSON.parse(device.core.store.sqlite.prepare("select args from outbox where name = 'cashup.close'").pluck().get() as string)).toMatchObject({
      businessDate: today(),
      expected: preview.expected,
      counted,
    });
    expect((await call(device.core, 'cashup.preview', { businessDate: today() })).closed).toEqual(closed.closed);

    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'cashup.close', { counted })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(new RegExp(`^You already closed ${today()} on this computer at \\d\\d:\\d\\d \\(counted KES\\s?130\\.00\\)\\. A day is closed once\\.$`)),
    });
    expect(storeCounts(device.core)).toEqual(before);
  });

  it('refuses the bursar’s payments, refunds and expenses into the closed day, changing nothing; others may still record', async () => {
    const student = enrolled();
    await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 10_000 });
    await call(device.core, 'cashup.close', { counted: totals({ cash: 10_000 }) });
    const before = storeCounts(device.core);
    const closedDay = new RegExp(`^You closed ${today()} on this computer at \\d\\d:\\d\\d \\(cash-up\\), so no more (payments|refunds|expenses) can be recorded into that day here`);
    expect(await refusal(device.core, 'payments.record', { studentId: student.id, amountMinor: 1_000 })).toMatchObject({ code: 'conflict', message: expect.stringMatching(closedDay) });
    expect(await refusal(device.core, 'refunds.record', { studentId: student.id, amountMinor: 1_000, reason: 'Overpaid' })).toMatchObject({ code: 'conflict', message: expect.stringMatching(closedDay) });
    expect(await refusal(device.core, 'expenses.record', { category: 'Kitchen', payee: 'Naivas', amountMinor: 1_500, spentOn: today() })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(closedDay),
    });
    expect(storeCounts(device.core)).toEqual(before);

    await signInAs(device.core, 'administrator');
    const other = await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 1_000 });
    expect(other.receiptNo).toBe(formatReceiptNo('TEST-D1', 2));
  });

  it('closes an earlier day late without closing today, and refuses a day still to come', async () => {
    const late = await call(device.core, 'cashup.close', { businessDate: yesterday(), counted: zeroTotals() });
    expect(late).toMatchObject({ businessDate: yesterday(), expected: zeroTotals(), closed: { differenceMinor: 0 } });
    await call(device.core, 'payments.record', { studentId: enrolled().id, amountMinor: 1_000 });
    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'cashup.close', { businessDate: nextDate(today()), counted: zeroTotals() })).toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/has not come yet/),
      issues: [{ path: 'businessDate' }],
    });
    expect(await refusal(device.core, 'cashup.close', { counted: { ...zeroTotals(), cash: -5 } })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/cannot be negative/) });
    expect(await refusal(device.core, 'cashup.preview', { businessDate: nextDate(today()) })).toMatchObject({ code: 'invalid_input' });
    expect(storeCounts(device.core)).toEqual(before);
  });

  it('is for people who record payments; the list is for people who see payments', async () => {
    await signInAs(device.core, 'auditor');
    expect(await refusal(device.core, 'cashup.preview', {})).toMatchObject({ code: 'forbidden' });
    expect(await refusal(device.core, 'cashup.close', { counted: zeroTotals() })).toMatchObject({ code: 'forbidden' });
    expect(await call(device.core, 'cashup.list', {})).toEqual({ rows: [], next: null });
  });
});

describe('cashup.list', () => {
  it('lists every cash-up newest first, a page at a time', async () => {
    await call(device.core, 'cashup.close', { businessDate: yesterday(), counted: totals({ cash: 500 }), note: 'Found 5.00' });
    await call(device.core, 'cashup.close', { counted: zeroTotals() });
    await signInAs(device.core, 'administrator');
    await call(device.core, 'cashup.close', { counted: zeroTotals() });

    const first = await call(device.core, 'cashup.list', { limit: 2 });
    expect(first.rows.map((r) => [r.businessDate, r.staffName])).toEqual([
      [today(), 'Administrator Person'],
      [today(), 'Bursar Person'],
    ]);
    expect(first.next).not.toBeNull();
    const second = await call(device.core, 'cashup.list', { limit: 2, after: first.next });
    expect(second).toEqual({
      rows: [expect.objectContaining({ businessDate: yesterday(), staffName: 'Bursar Person', deviceName: 'Office PC', expectedMinor: 0, countedMinor: 500, differenceMinor: 500, note: 'Found 5.00', pending: true })],
      next: null,
    });
  });
});
