// When the server refuses one of the bursary's changes: the refused ledger row leaves the screen
// as the answer arrives, the change waits in "needs attention" described in words, and it can be
// resent (by whoever may make it) with the same rules as when it was first made.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pushWithVerdicts, refusal, signInAs, storeCounts, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import { zeroTotals } from '../../shared/domain/cashup.js';
import type { SyncedTable } from '../../shared/sync/protocol.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 12 });
});
afterEach(() => device.dispose());

const [tuition] = TEST_CATEGORIES;
const enrolled = (n = 0) => device.students.filter((s) => s.status === 'enrolled')[n]!;
const count = (table: SyncedTable) => device.core.store.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
const acceptAll = () => pushWithVerdicts(device.core, (m) => ({ mutationId: m.id, status: 'applied' }));

describe('a refusal from the server', () => {
  it('takes each refused ledger row of the bursary off the screen and parks its change, described in words', async () => {
    const student = enrolled();
    await call(device.core, 'charges.post', { studentId: student.id, categoryId: tuition!.id, amountMinor: 10_000, dueOn: '2026-01-31', term: 'Term 1 2026' });
    await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 15_000 });
    await acceptAll();

    await call(device.core, 'discounts.grant', { studentId: student.id, categoryId: tuition!.id, kind: 'scholarship', basis: 'percent', percentBp: 2500, term: 'Term 1 2026', reason: 'Bright student' });
    await call(device.core, 'refunds.record', { studentId: student.id, amountMinor: 2_000, reason: 'Overpaid' });
    const expense = await call(device.core, 'expenses.record', { category: 'Kitchen', payee: 'Naivas', amountMinor: 1_500, spentOn: '2026-03-02' });
    await call(device.core, 'cashup.close', { counted: zeroTotals() });
    await signInAs(device.core, 'head_teacher');
    await call(device.core, 'expenses.decide', { expenseId: expense.id, decision: 'approved' });
    await signInAs(device.core, 'bursar');
    await call(device.core, 'ledger.void', { targetTable: 'expenses', targetId: expense.id, reason: 'Recorded twice' });
    expect([count('discounts'), count('refunds'), count('expenses'), count('expense_approvals'), count('cash_ups'), count('voids')]).toEqual([1, 1, 1, 1, 1, 1]);

    const refused = new Set(['discounts.grant', 'refunds.record', 'expenses.record', 'expenses.decide', 'cashup.close', 'ledger.void']);
    const outcome = await pushWithVerdicts(device.core, (m) =>
      refused.has(m.name) ? { mutationId: m.id, status: 'rejected', reason: `The school refused ${m.name}.` } : { mutationId: m.id, status: 'applied' },
    );
    expect(outcome).toMatchObject({ kind: 'pushed', rejected: 6 });
    expect([count('discounts'), count('refunds'), count('expenses'), count('expense_approvals'), count('cash_ups'), count('voids')]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(storeCounts(device.core)).toMatchObject({ outbox: 0, outbox_rows: 0, shadow_rows: 0, needs_attention: 6 });
    // The accepted payment and charge stay.
    expect([count('payments'), count('charges')]).toEqual([1, 1]);

    const items = (await call(device.core, 'attention.list', {})).rows;
    const name = `${student.first_name} ${student.last_name} (${student.admission_no})`;
    expect(items.map((i) => [i.name, i.summary, i.reason])).toEqual([
      ['discounts.grant', expect.stringMatching(new RegExp(`^Scholarship 25% of Tuition \\(Term 1 2026\\): Bright student, KES\\s?25\\.00 for ${name.replace(/[()]/g, '\\$&')}$`)), 'The school refused discounts.grant.'],
      ['refunds.record', expect.stringMatching(/^Refund of KES\s?20\.00 to .*: Overpaid$/), 'The school refused refunds.record.'],
      ['expenses.record', expect.stringMatching(/^Expense of KES\s?15\.00 paid to Naivas \(Kitchen\), recorded by Bursar Person$/), 'The school refused expenses.record.'],
      ['cashup.close', expect.stringMatching(/^Cash-up of \d{4}-\d{2}-\d{2} by Bursar Person$/), 'The school refused cashup.close.'],
      // The expense itself left this device with its refusal, so its decision cannot name it.
      ['expenses.decide', 'Approval of an expense no longer on this device', 'The school refused expenses.decide.'],
      ['ledger.void', 'Void of an expense: Recorded twice', 'The school refused ledger.void.'],
    ]);
  });
});

describe('resending a refused change', () => {
  it('queues a refund again with the same rules: refused while the credit is gone, accepted once it is back', async () => {
    const student = enrolled();
    const payment = await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 5_000 });
    await call(device.core, 'refunds.record', { studentId: student.id, amountMinor: 5_000, method: 'mobile_money', reference: 'RF1', reason: 'Overpaid' });
    await pushWithVerdicts(device.core, (m) => (m.name === 'refunds.record' ? { mutationId: m.id, status: 'rejected', reason: 'Recorded into a closed day.' } : { mutationId: m.id, status: 'applied' }));
    const [item] = (await call(device.core, 'attention.list', {})).rows;
    const parkedArgs = JSON.parse(device.core.store.sqlite.prepare('select args from needs_attention').pluck().get() as string);

    // Meanwhile the payment is voided: there is no credit left to refund.
    await call(device.core, 'ledger.void', { targetTable: 'payments', targetId: payment.id, reason: 'Cheque bounced' });
    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'attention.resend', { id: item!.id })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/has no credit to refund/) });
    expect(storeCounts(device.core)).toEqual(before);

    // A teacher may not resend it; a new payment brings the credit back and the bursar resends it.
    await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 5_000 });
    await signInAs(device.core, 'teacher');
    expect(await refusal(device.core, 'attention.resend', { id: item!.id })).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Void ledger entries and refund overpayments/) });
    await signInAs(device.core, 'administrator');
    await call(device.core, 'attention.resend', { id: item!.id });
    expect(storeCounts(device.core)).toMatchObject({ refunds: 1, needs_attention: 0 });
    const queued = device.core.store.sqlite.prepare("select args, author_id from outbox where name = 'refunds.record'").get() as { args: string; author_id: string };
    expect(JSON.parse(queued.args)).toEqual(parkedArgs);
    const row = device.core.store.sqlite.prepare('select * from refunds').get() as Record<string, unknown>;
    // The resender is the author now (the server records the same), the original details stay.
    expect(row).toMatchObject({ id: parkedArgs.id, refunded_by: 'Bursar Person', refunded_by_id: queued.author_id, reference: 'RF1' });
    expect((await call(device.core, 'students.statement', { studentId: student.id })).balanceMinor).toBe(0);
  });

  it('queues a structure save again, keeping the server’s copy for a second refusal', async () => {
    const saved = await call(device.core, 'fees.saveStructure', {
      className: 'Grade 3',
      term: 'Term 1 2027',
      items: [{ categoryId: tuition!.id, amountMinor: 1_000, instalments: [{ dueOn: '2027-01-15', amountMinor: 1_000 }] }],
    });
    await acceptAll();
    const edit = { id: saved.id, className: 'Grade 3', term: 'Term 1 2027', items: [{ categoryId: tuition!.id, amountMinor: 2_000, instalments: [{ dueOn: '2027-01-15', amountMinor: 2_000 }] }] };
    await call(device.core, 'fees.saveStructure', edit);
    const refuseAll = () => pushWithVerdicts(device.core, (m) => ({ mutationId: m.id, status: 'rejected', reason: 'No.' }));
    await refuseAll();
    expect((await call(device.core, 'fees.structures', {})).structures[0]).toMatchObject({ totalMinor: 1_000, pending: false });

    const [item] = (await call(device.core, 'attention.list', {})).rows;
    expect(item).toMatchObject({ name: 'fees.saveStructure', summary: 'Fee structure for Grade 3, Term 1 2027 (1 fee)' });
    await call(device.core, 'attention.resend', { id: item!.id });
    expect((await call(device.core, 'fees.structures', {})).structures[0]).toMatchObject({ totalMinor: 2_000, pending: true });
    await refuseAll();
    expect((await call(device.core, 'fees.structures', {})).structures[0]).toMatchObject({ totalMinor: 1_000, pending: false });
  });
});
