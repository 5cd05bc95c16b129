// Charges, payments and voids on the device: balances are derived from the ledger, nothing is
// ever updated or deleted, and bad input leaves everything as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDevice, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import type { Statement } from '../../shared/domain/fees.js';
import type { PaymentView } from '../../shared/domain/payments.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 60 });
});
afterEach(() => device.dispose());

const tuition = TEST_CATEGORIES[0]!;
const retired = TEST_CATEGORIES[2]!;
const enrolled = () => device.students.find((s) => s.status === 'enrolled')!;

async function ok<T>(method: string, input: unknown): Promise<T> {
  const reply = await device.core.dispatch(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as T;
}

function ledgerCounts() {
  const one = (sql: string) => device.core.store.sqlite.prepare(sql).pluck().get() as number;
  return {
    charges: one('select count(*) from charges'),
    payments: one('select count(*) from payments'),
    voids: one('select count(*) from voids'),
    outbox: one("select count(*) from outbox where name in ('charges.post', 'ledger.void', 'payments.record', 'fees.createCategory')"),
  };
}

describe('the student ledger', () => {
  it('derives the balance from charges, payments and voids, and keeps every entry', async () => {
    const student = enrolled();
    const charge = { studentId: student.id, categoryId: tuition.id, amountMinor: 120_000, dueOn: '2026-08-31', term: 'Term 3 2026' };
    await ok('charges.post', charge);
    await ok('charges.post', { ...charge, categoryId: TEST_CATEGORIES[1]!.id, amountMinor: 30_000, description: 'Lunch, term 3' });
    const payment = await ok<PaymentView>('payments.record', { studentId: student.id, amountMinor: 50_000 });

    let statement = await ok<Statement>('students.statement', { studentId: student.id });
    expect(statement.balanceMinor).toBe(100_000);
    expect(statement.entries.map((e) => [e.kind, e.debitMinor, e.creditMinor, e.balanceMinor, e.pending])).toEqual([
      ['charge', 120_000, 0, 120_000, true],
      ['charge', 30_000, 0, 150_000, true],
      ['payment', 0, 50_000, 100_000, true],
    ]);
    expect(statement.entries[0]!.description).toBe('Tuition (Term 3 2026, due 2026-08-31)');
    expect(statement.entries[1]!.description).toBe('Lunch: Lunch, term 3 (Term 3 2026, due 2026-08-31)');

    await ok('ledger.void', { targetTable: 'payments', targetId: payment.id, reason: 'Entered for the wrong student' });
    statement = await ok<Statement>('students.statement', { studentId: student.id });
    expect(statement.balanceMinor).toBe(150_000);
    expect(statement.entries[2]).toMatchObject({ kind: 'payment', voided: true, voidReason: 'Entered for the wrong student', balanceMinor: 150_000 });
    const payments = await ok<{ rows: PaymentView[] }>('payments.listForStudent', { studentId: student.id });
    expect(payments.rows[0]).toMatchObject({ id: payment.id, amountMinor: 50_000, voided: true });

    // An overpayment leaves the student in credit.
    await ok('payments.record', { studentId: student.id, amountMinor: 200_000 });
    expect((await ok<Statement>('students.statement', { studentId: student.id })).balanceMinor).toBe(-50_000);
    expect(ledgerCounts()).toEqual({ charges: 2, payments: 2, voids: 1, outbox: 5 });
  });

  it('voids an entry at most once, and never a void', async () => {
    const student = enrolled();
    const payment = await ok<PaymentView>('payments.record', { studentId: student.id, amountMinor: 10_000 });
    await ok('ledger.void', { targetTable: 'payments', targetId: payment.id, reason: 'Duplicate entry' });
    const before = ledgerCounts();
    const again = await device.core.dispatch('ledger.void', { targetTable: 'payments', targetId: payment.id, reason: 'Again' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^Already voided on \d{4}-\d{2}-\d{2} by Bursar Person: Duplicate entry/) } });
    const voidOfVoid = await device.core.dispatch('ledger.void', { targetTable: 'voids', targetId: payment.id, reason: 'Undo the void' });
    expect(voidOfVoid).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'targetTable' }] } });
    const unknown = await device.core.dispatch('ledger.void', { targetTable: 'charges', targetId: payment.id, reason: 'Not a charge' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(ledgerCounts()).toEqual(before);
  });

  const badCharges: [string, Record<string, unknown>, string][] = [
    ['a zero amount', { amountMinor: 0 }, 'invalid_input'],
    ['a fractional amount of minor units', { amountMinor: 99.5 }, 'invalid_input'],
    ['an impossible date', { dueOn: '2026-02-30' }, 'invalid_input'],
    ['a date in another format', { dueOn: '31/08/2026' }, 'invalid_input'],
    ['an unknown category', { categoryId: '01900000-0000-7000-8000-00000000abcd' }, 'not_found'],
    ['a category no longer in use', { categoryId: retired.id }, 'conflict'],
    ['an unknown student', { studentId: '01900000-0000-7000-8000-00000000abcd' }, 'not_found'],
  ];
  for (const [what, patch, code] of badCharges) {
    it(`refuses a charge with ${what}, saving nothing`, async () => {
      const before = ledgerCounts();
      const reply = await device.core.dispatch('charges.post', { studentId: enrolled().id, categoryId: tuition.id, amountMinor: 1000, dueOn: '2026-08-31', ...patch });
      expect(reply).toMatchObject({ ok: false, error: { code } });
      expect(ledgerCounts()).toEqual(before);
    });
  }

  it('refuses charges for a withdrawn student and short void reasons', async () => {
    const withdrawn = device.students.find((s) => s.status === 'withdrawn')!;
    const reply = await device.core.dispatch('charges.post', { studentId: withdrawn.id, categoryId: tuition.id, amountMinor: 1000, dueOn: '2026-08-31' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(withdrawn.admission_no) } });
    const payment = await ok<PaymentView>('payments.record', { studentId: enrolled().id, amountMinor: 1000 });
    expect(await device.core.dispatch('ledger.void', { targetTable: 'payments', targetId: payment.id, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/reason/) },
    });
  });

  it('fee categories: created once per name, case-insensitively', async () => {
    const created = await ok<{ id: string; name: string }>('fees.createCategory', { name: 'Transport' });
    expect(created.name).toBe('Transport');
    expect(await device.core.dispatch('fees.createCategory', { name: 'transport' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const list = await ok<{ categories: { name: string }[] }>('fees.categories', {});
    expect(list.categories.map((c) => c.name)).toEqual(['Lunch', 'Old uniform levy', 'Transport', 'Tuition']);
  });
});

describe('ledger permissions', () => {
  it('a teacher neither charges nor voids nor reads balances; an auditor reads but changes nothing', async () => {
    await device.dispose();
    device = await openTestDevice({ students: 5, signInAs: 'teacher' });
    const student = enrolled();
    expect(await device.core.dispatch('charges.post', { studentId: student.id, categoryId: tuition.id, amountMinor: 1000, dueOn: '2026-08-31' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await device.core.dispatch('students.statement', { studentId: student.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await device.dispose();
    device = await openTestDevice({ students: 5, signInAs: 'auditor' });
    expect((await device.core.dispatch('students.statement', { studentId: enrolled().id })).ok).toBe(true);
    expect(await device.core.dispatch('fees.createCategory', { name: 'Trips' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
