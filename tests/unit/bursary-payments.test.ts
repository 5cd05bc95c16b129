// Payments on the device: how they are set against charges (oldest due first unless the bursar
// chooses), credit carried forward, the duplicate-reference flag, and refusals that change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, refusal, storeCounts, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 12 });
});
afterEach(() => device.dispose());

const [tuition, lunch] = TEST_CATEGORIES;
const enrolled = (n = 0) => device.students.filter((s) => s.status === 'enrolled')[n]!;

async function charge(studentId: string, categoryId: string, amountMinor: number, dueOn: string): Promise<string> {
  return (await call(device.core, 'charges.post', { studentId, categoryId, amountMinor, dueOn, term: 'Term 1 2026' })).id;
}

describe('payments.record: allocations', () => {
  it('settles the oldest-due charges first when the bursar does not choose, and carries the rest as credit', async () => {
    const student = enrolled();
    const lunchFeb = await charge(student.id, lunch!.id, 30_000, '2026-02-28');
    const tuitionJan = await charge(student.id, tuition!.id, 100_000, '2026-01-31');

    const first = await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 120_000 });
    expect(first.allocations).toEqual([
      { chargeId: tuitionJan, amountMinor: 100_000 },
      { chargeId: lunchFeb, amountMinor: 20_000 },
    ]);
    const second = await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 50_000 });
    expect(second.allocations).toEqual([{ chargeId: lunchFeb, amountMinor: 10_000 }]);

    const statement = await call(device.core, 'students.statement', { studentId: student.id });
    expect(statement.balanceMinor).toBe(-40_000);
    expect(statement.creditMinor).toBe(40_000);
    expect(statement.openCharges).toEqual([]);

    // With everything settled, a payment is all credit.
    const third = await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 5_000 });
    expect(third.allocations).toEqual([]);
  });

  it('spreads one payment over the charges the bursar chooses, the rest as credit', async () => {
    const student = enrolled();
    const jan = await charge(student.id, tuition!.id, 100_000, '2026-01-31');
    const feb = await charge(student.id, lunch!.id, 30_000, '2026-02-28');
    const payment = await call(device.core, 'payments.record', {
      studentId: student.id,
      amountMinor: 70_000,
      allocations: [
        { chargeId: feb, amountMinor: 30_000 },
        { chargeId: jan, amountMinor: 25_000 },
      ],
    });
    expect(payment.allocations).toEqual([
      { chargeId: feb, amountMinor: 30_000 },
      { chargeId: jan, amountMinor: 25_000 },
    ]);
    const args = JSON.parse(device.core.store.sqlite.prepare("select args from outbox where name = 'payments.record'").pluck().get() as string);
    expect(args.allocations).toEqual(payment.allocations);
    const statement = await call(device.core, 'students.statement', { studentId: student.id });
    // settle(): the allocations first, then the 15,000 left over to the oldest-due charge.
    expect(statement.openCharges).toEqual([expect.objectContaining({ chargeId: jan, outstandingMinor: 60_000 })]);
    expect(statement.balanceMinor).toBe(60_000);

    // An empty choice means "all of it as credit".
    const credit = await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 1_000, allocations: [] });
    expect(credit.allocations).toEqual([]);
  });

  it('refuses allocations that are not this student’s open charges, or more than a charge still owes, saving nothing', async () => {
    const student = enrolled(0);
    const other = enrolled(1);
    const own = await charge(student.id, tuition!.id, 10_000, '2026-01-31');
    const theirs = await charge(other.id, tuition!.id, 10_000, '2026-01-31');
    const voided = await charge(student.id, lunch!.id, 5_000, '2026-02-28');
    await call(device.core, 'ledger.void', { targetTable: 'charges', targetId: voided, reason: 'Posted twice' });
    const before = storeCounts(device.core);

    const cases: [string, { chargeId: string; amountMinor: number }[], number, RegExp][] = [
      ["another student's charge", [{ chargeId: theirs, amountMinor: 1_000 }], 1_000, /not an open charge of .*\(KHS\/2026\/00001\)/],
      ['a voided charge', [{ chargeId: voided, amountMinor: 1_000 }], 1_000, /not an open charge .*may have been voided/],
      ['more than the charge owes', [{ chargeId: own, amountMinor: 12_000 }], 20_000, /^Tuition \(Term 1 2026, due 2026-01-31\) still owes KES\s?100\.00; KES\s?120\.00 cannot be set against it/],
    ];
    for (const [what, allocations, amountMinor, message] of cases) {
      const error = await refusal(device.core, 'payments.record', { studentId: student.id, amountMinor, allocations });
      expect(error, what).toMatchObject({ code: 'conflict', message: expect.stringMatching(message) });
    }
    const tooMuch = await refusal(device.core, 'payments.record', { studentId: student.id, amountMinor: 5_000, allocations: [{ chargeId: own, amountMinor: 6_000 }] });
    expect(tooMuch).toMatchObject({ code: 'invalid_input', issues: [{ path: 'allocations', message: expect.stringMatching(/add up to more than the payment/) }] });
    expect(storeCounts(device.core)).toEqual(before);
  });
});

describe('payments.record: duplicate references', () => {
  it('flags another live payment with the same method and reference, never refusing it', async () => {
    const a = enrolled(0);
    const b = enrolled(1);
    const first = await call(device.core, 'payments.record', { studentId: a.id, amountMinor: 10_000, method: 'mobile_money', reference: 'QK7PL2M9XZ' });
    expect(first.duplicateReferenceOf).toEqual([]);
    const second = await call(device.core, 'payments.record', { studentId: b.id, amountMinor: 10_000, method: 'mobile_money', reference: 'QK7PL2M9XZ' });
    expect(second.duplicateReferenceOf).toEqual([first.receiptNo]);
    // The same reference under another method is another slip.
    const cheque = await call(device.core, 'payments.record', { studentId: b.id, amountMinor: 10_000, method: 'cheque', reference: 'QK7PL2M9XZ' });
    expect(cheque.duplicateReferenceOf).toEqual([]);

    const listed = await call(device.core, 'payments.listForStudent', { studentId: a.id });
    expect(listed.rows[0]).toMatchObject({ id: first.id, duplicateReferenceOf: [second.receiptNo] });

    // Once the second is voided, the first is no longer a duplicate of anything.
    await call(device.core, 'ledger.void', { targetTable: 'payments', targetId: second.id, reason: 'Entered twice' });
    expect((await call(device.core, 'payments.listForStudent', { studentId: a.id })).rows[0]!.duplicateReferenceOf).toEqual([]);
  });
});
