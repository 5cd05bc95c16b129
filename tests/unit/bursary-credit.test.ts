// Discounts, scholarships and refunds on the device, and voids of every kind of ledger entry:
// percentages worked out at grant time, refunds only out of credit, balances that follow voids,
// and refusals that change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pushWithVerdicts, refusal, storeCounts, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import { percentOf } from '../../electron/core/commands/discounts.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 12 });
});
afterEach(() => device.dispose());

const [tuition, lunch] = TEST_CATEGORIES;
const enrolled = (n = 0) => device.students.filter((s) => s.status === 'enrolled')[n]!;
const balance = async (studentId: string) => (await call(device.core, 'students.statement', { studentId })).balanceMinor;

async function charge(studentId: string, categoryId: string, amountMinor: number, term: string | null = 'Term 1 2026'): Promise<string> {
  return (await call(device.core, 'charges.post', { studentId, categoryId, amountMinor, dueOn: '2026-01-31', term })).id;
}

describe('discounts.grant', () => {
  it('rounds a percentage half up, on the live charges of its category and term', async () => {
    expect([percentOf(333, 2500), percentOf(10, 2500), percentOf(14, 2500), percentOf(1, 3333), percentOf(9_000_000_000_000, 10_000)]).toEqual([83, 3, 4, 0, 9_000_000_000_000]);

    const student = enrolled();
    await charge(student.id, tuition!.id, 100_001);
    await charge(student.id, tuition!.id, 50_000, 'Term 2 2026');
    await charge(student.id, lunch!.id, 20_000);
    const voided = await charge(student.id, tuition!.id, 70_000);
    await call(device.core, 'ledger.void', { targetTable: 'charges', targetId: voided, reason: 'Wrong term' });

    // 12.5% of Term 1 tuition (100,001, the voided charge not counted) = 12,500.125 → 12,500.
    const entry = await call(device.core, 'discounts.grant', { studentId: student.id, categoryId: tuition!.id, kind: 'scholarship', basis: 'percent', percentBp: 1250, term: 'Term 1 2026', reason: 'Bright student' });
    expect(entry).toMatchObject({ kind: 'discount', creditMinor: 12_500, pending: true, voided: false });
    const row = device.core.store.sqlite.prepare('select * from discounts').get() as Record<string, unknown>;
    expect(row).toMatchObject({ student_id: student.id, category_id: tuition!.id, kind: 'scholarship', basis: 'percent', percent_bp: 1250, amount_minor: 12_500, term: 'Term 1 2026', posted_by: 'Bursar Person' });
    // 50% of everything (every term, every category): (100,001 + 50,000 + 20,000) / 2 = 85,000.5 → 85,001.
    const whole = await call(device.core, 'discounts.grant', { studentId: student.id, kind: 'discount', basis: 'percent', percentBp: 5000, reason: 'Staff child' });
    expect(whole.creditMinor).toBe(85_001);
    expect(await balance(student.id)).toBe(170_001 - 12_500 - 85_001);
  });

  it('refuses a discount with nothing to apply to, more than its base, or rounding to nothing, saving nothing', async () => {
    const student = enrolled();
    await charge(student.id, lunch!.id, 2);
    const before = storeCounts(device.core);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ basis: 'percent', percentBp: 1000, categoryId: tuition!.id }, 'conflict', /has no Tuition charges to discount/],
      [{ basis: 'percent', percentBp: 1000, term: 'Term 3 2026' }, 'conflict', /has no charges for Term 3 2026 to discount/],
      [{ basis: 'fixed', amountMinor: 3 }, 'conflict', /A discount of KES\s?0\.03 is more than .*charges \(KES\s?0\.02\)/],
      [{ basis: 'percent', percentBp: 2000 }, 'conflict', /20% of KES\s?0\.02 rounds to nothing/],
      [{ basis: 'percent', percentBp: 10_001 }, 'invalid_input', /more than 100%/],
      [{ basis: 'percent', percentBp: 1000, amountMinor: 5 }, 'invalid_input', /Give a percentage for a percentage discount, or an amount for a fixed one/],
      [{ basis: 'fixed', amountMinor: 1, categoryId: '01900000-0000-7000-8000-00000000abcd' }, 'not_found', /fee category is not on this device/],
      [{ basis: 'fixed', amountMinor: 1, studentId: '01900000-0000-7000-8000-00000000abcd' }, 'not_found', /student is not on this device/],
    ];
    for (const [patch, code, message] of cases) {
      const error = await refusal(device.core, 'discounts.grant', { studentId: student.id, kind: 'discount', reason: 'Sibling discount', ...patch } as never);
      expect(error, JSON.stringify(patch)).toMatchObject({ code, message: expect.stringMatching(message) });
    }
    expect(storeCounts(device.core)).toEqual(before);
  });

  it('resends a percentage only while it is still that share of the charges', async () => {
    const student = enrolled();
    await charge(student.id, tuition!.id, 10_000);
    await call(device.core, 'discounts.grant', { studentId: student.id, kind: 'discount', basis: 'percent', percentBp: 1000, reason: 'Sibling discount' });
    await pushWithVerdicts(device.core, (m) => (m.name === 'discounts.grant' ? { mutationId: m.id, status: 'rejected', reason: 'Refused.' } : { mutationId: m.id, status: 'applied' }));
    const [item] = (await call(device.core, 'attention.list', {})).rows;
    await charge(student.id, lunch!.id, 5_000);
    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'attention.resend', { id: item!.id })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^10% of .*'s charges \(KES\s?150\.00\) is now KES\s?15\.00, not KES\s?10\.00: the charges changed since it was worked out\. Discard this and grant it again\.$/),
    });
    expect(storeCounts(device.core)).toEqual(before);
  });
});

describe('refunds.record', () => {
  it('pays back credit up to what the student has, and refuses more, naming the credit', async () => {
    const student = enrolled();
    await charge(student.id, tuition!.id, 40_000);
    await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 50_000 });
    const before = storeCounts(device.core);
    const over = await refusal(device.core, 'refunds.record', { studentId: student.id, amountMinor: 10_001, reason: 'Overpaid term fees' });
    expect(over).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^Amina Achieng \(KHS\/2026\/00001\) has KES\s?100\.00 of credit; a refund can be at most that\.$/) });
    expect(storeCounts(device.core)).toEqual(before);

    const entry = await call(device.core, 'refunds.record', { studentId: student.id, amountMinor: 6_000, method: 'mobile_money', reference: 'RF12345', reason: 'Overpaid term fees' });
    expect(entry).toMatchObject({ kind: 'refund', debitMinor: 6_000, pending: true });
    const row = device.core.store.sqlite.prepare('select * from refunds').get() as Record<string, unknown>;
    expect(row).toMatchObject({ amount_minor: 6_000, method: 'mobile_money', reference: 'RF12345', refunded_by: 'Bursar Person', device_id: device.core.device.device_id });
    expect(await balance(student.id)).toBe(-4_000);
    await call(device.core, 'refunds.record', { studentId: student.id, amountMinor: 4_000, reason: 'The rest of it' });
    expect(await refusal(device.core, 'refunds.record', { studentId: student.id, amountMinor: 1, reason: 'One more' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/has no credit to refund/),
    });
    expect(await refusal(device.core, 'refunds.record', { studentId: student.id, amountMinor: 1, method: 'cheque', reason: 'No reference' })).toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'reference' }],
    });
  });
});

describe('ledger.void of every kind of entry', () => {
  it('voids a discount, a refund and an expense once each; balances follow; a void is never voided', async () => {
    const student = enrolled();
    await charge(student.id, tuition!.id, 10_000);
    const discount = await call(device.core, 'discounts.grant', { studentId: student.id, kind: 'discount', basis: 'fixed', amountMinor: 4_000, reason: 'Sibling' });
    await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 9_000 });
    expect(await balance(student.id)).toBe(-3_000);
    const refund = await call(device.core, 'refunds.record', { studentId: student.id, amountMinor: 3_000, reason: 'Overpaid' });
    expect(await balance(student.id)).toBe(0);

    await call(device.core, 'ledger.void', { targetTable: 'refunds', targetId: refund.id, reason: 'Refund not collected' });
    expect(await balance(student.id)).toBe(-3_000);
    await call(device.core, 'ledger.void', { targetTable: 'discounts', targetId: discount.id, reason: 'Granted by mistake' });
    expect(await balance(student.id)).toBe(1_000);
    const statement = await call(device.core, 'students.statement', { studentId: student.id });
    expect(statement.entries.filter((e) => e.voided).map((e) => [e.kind, e.voidReason])).toEqual(
      expect.arrayContaining([
        ['discount', 'Granted by mistake'],
        ['refund', 'Refund not collected'],
      ]),
    );

    const expense = await call(device.core, 'expenses.record', { category: 'Stationery', payee: 'Text Book Centre', amountMinor: 2_500, spentOn: '2026-01-20' });
    await call(device.core, 'ledger.void', { targetTable: 'expenses', targetId: expense.id, reason: 'Paid by the parents association' });

    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'ledger.void', { targetTable: 'discounts', targetId: discount.id, reason: 'Again' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^Already voided on \d{4}-\d{2}-\d{2} by Bursar Person: Granted by mistake$/),
    });
    const voidId = device.core.store.sqlite.prepare('select id from voids where target_id = ?').pluck().get(refund.id) as string;
    expect(await refusal(device.core, 'ledger.void', { targetTable: 'voids' as never, targetId: voidId, reason: 'Undo the void' })).toMatchObject({ code: 'invalid_input', issues: [{ path: 'targetTable' }] });
    expect(await refusal(device.core, 'ledger.void', { targetTable: 'refunds', targetId: voidId, reason: 'Undo the void' })).toMatchObject({ code: 'not_found', message: 'That refund is not on this device.' });
    expect(await refusal(device.core, 'ledger.void', { targetTable: 'expenses', targetId: refund.id, reason: 'Wrong table' })).toMatchObject({ code: 'not_found', message: 'That expense is not on this device.' });
    expect(storeCounts(device.core)).toEqual(before);
    // Nothing was updated or deleted: the voided rows are all still there.
    expect(before).toMatchObject({ discounts: 1, refunds: 1, expenses: 1, voids: 3 });
  });
});
