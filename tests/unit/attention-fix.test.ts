// Correcting a refused change in "needs attention": the corrected values are checked with the
// same schema and rules as when the change was first made, queued with the refused change's
// identity (payment id and receipt number, record ids), and anything wrong leaves it parked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, pushWithVerdicts, refusal, signInAs, storeCounts, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import type { ClassRow } from '../../shared/domain/classes.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 6 });
});
afterEach(() => device.dispose());

const [tuition] = TEST_CATEGORIES;
const enrolled = (n = 0) => device.students.filter((s) => s.status === 'enrolled')[n]!;
const sqlite = () => device.core.store.sqlite;
const refuse = (name: string, reason: string) =>
  pushWithVerdicts(device.core, (m) => (m.name === name ? { mutationId: m.id, status: 'rejected', reason } : { mutationId: m.id, status: 'applied' }));
const queued = (name: string) =>
  (sqlite().prepare('select mutation_id, args from outbox where name = ? order by seq').all(name) as { mutation_id: string; args: string }[]).map((r) => ({
    mutationId: r.mutation_id,
    args: JSON.parse(r.args) as Record<string, unknown>,
  }));
const parked = () => sqlite().prepare('select id, mutation_id, args from needs_attention').all() as { id: number; mutation_id: string; args: string }[];

/** A payment of 15,000 set 10,000 against a tuition charge, refused by the server. */
async function refusedPayment() {
  const student = enrolled();
  const charge = await call(device.core, 'charges.post', { studentId: student.id, categoryId: tuition!.id, amountMinor: 10_000, dueOn: '2026-01-31', term: 'Term 1 2026' });
  await refuse('none', '');
  const payment = await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 15_000, allocations: [{ chargeId: charge.id, amountMinor: 10_000 }] });
  await refuse('payments.record', 'This payment sets KES 100.00 against the Tuition charge, which is already paid.');
  const [item] = (await call(device.core, 'attention.list', {})).rows;
  return { student, charge, payment, item: item! };
}

describe('correcting a refused payment', () => {
  it('is offered with the refused values, and queues the corrected payment under its own id and receipt number', async () => {
    const { student, charge, payment, item } = await refusedPayment();
    expect(item).toMatchObject({ name: 'payments.record', fixable: true, instead: null, args: { id: payment.id, receiptNo: payment.receiptNo, amountMinor: 15_000 } });
    expect(sqlite().prepare('select count(*) from payments').pluck().get()).toBe(0);
    const receiptsBefore = storeCounts(device.core).nextReceiptNo;
    const refusedMutation = parked()[0]!.mutation_id;

    await call(device.core, 'attention.fix', { id: item.id, args: { amountMinor: 12_000, method: 'mobile_money', reference: 'QK7ABC', allocations: [{ chargeId: charge.id, amountMinor: 4_000 }] } });

    expect(storeCounts(device.core)).toMatchObject({ payments: 1, needs_attention: 0, nextReceiptNo: receiptsBefore });
    const [again] = queued('payments.record');
    // A new mutation (the server answers the refused id the same way forever), same payment.
    expect(again!.mutationId).not.toBe(refusedMutation);
    expect(again!.args).toEqual({ ...item.args, amountMinor: 12_000, method: 'mobile_money', reference: 'QK7ABC', allocations: [{ chargeId: charge.id, amountMinor: 4_000 }] });
    const row = sqlite().prepare('select id, receipt_no, amount_minor, method, reference, student_id from payments').get();
    expect(row).toEqual({ id: payment.id, receipt_no: payment.receiptNo, amount_minor: 12_000, method: 'mobile_money', reference: 'QK7ABC', student_id: student.id });
    expect((await call(device.core, 'students.statement', { studentId: student.id })).balanceMinor).toBe(-2_000);
  });

  it('may move it to another student, with that student’s charges', async () => {
    const { item } = await refusedPayment();
    const other = enrolled(1);
    const charge = await call(device.core, 'charges.post', { studentId: other.id, categoryId: tuition!.id, amountMinor: 3_000, dueOn: '2026-01-31', term: 'Term 1 2026' });
    const before = storeCounts(device.core);
    // Still set against the first student's charge: refused by the same rule as recording it.
    const wrong = await refusal(device.core, 'attention.fix', { id: item.id, args: { studentId: other.id } });
    expect(wrong).toMatchObject({ code: 'conflict', message: expect.stringMatching(/not an open charge of/) });
    expect(storeCounts(device.core)).toEqual(before);

    await call(device.core, 'attention.fix', { id: item.id, args: { studentId: other.id, allocations: [{ chargeId: charge.id, amountMinor: 3_000 }] } });
    expect(sqlite().prepare('select student_id from payments').pluck().all()).toEqual([other.id]);
  });

  it('refuses to change what identifies the payment, naming it, and changes nothing', async () => {
    const { payment, item } = await refusedPayment();
    const before = storeCounts(device.core);
    const receipt = await refusal(device.core, 'attention.fix', { id: item.id, args: { amountMinor: 100, receiptNo: 'TEST-D1-000099' } });
    expect(receipt).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/cannot change the receipt number.*receipt already given out stays valid/), issues: [{ path: 'receiptNo' }] });
    const id = await refusal(device.core, 'attention.fix', { id: item.id, args: { id: '0190c100-0000-7000-8000-00000000abcd' } });
    expect(id).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/cannot change the payment id/) });
    const who = await refusal(device.core, 'attention.fix', { id: item.id, args: { recordedBy: 'Someone Else' } });
    expect(who).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/person who recorded it/) });
    const unknown = await refusal(device.core, 'attention.fix', { id: item.id, args: { discount: 5 } });
    expect(unknown).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/"discount" is not part of a payment/) });
    const inherited = await refusal(device.core, 'attention.fix', { id: item.id, args: { toString: 'x' } });
    expect(inherited).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/"toString" is not part of a payment/) });
    // Giving them unchanged is fine: that is what a form sends back.
    expect(storeCounts(device.core)).toEqual(before);
    await call(device.core, 'attention.fix', { id: item.id, args: { id: payment.id, receiptNo: payment.receiptNo, allocations: [] } });
    expect(storeCounts(device.core)).toMatchObject({ payments: 1, needs_attention: 0 });
  });

  it('refuses a bad amount or a missing reference at its field, leaving the payment parked as it was', async () => {
    const { item } = await refusedPayment();
    const before = storeCounts(device.core);
    const zero = await refusal(device.core, 'attention.fix', { id: item.id, args: { amountMinor: 0 } });
    expect(zero).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^Check the corrected amount: Amount must be greater than zero\..*still in "needs attention"/), issues: [{ path: 'amountMinor' }] });
    const fraction = await refusal(device.core, 'attention.fix', { id: item.id, args: { amountMinor: 10.5 } });
    expect(fraction.issues).toEqual([{ path: 'amountMinor', message: expect.stringMatching(/whole number/) }]);
    const reference = await refusal(device.core, 'attention.fix', { id: item.id, args: { method: 'cheque' } });
    expect(reference).toMatchObject({ code: 'invalid_input', issues: [{ path: 'reference', message: expect.stringMatching(/needs the reference/) }] });
    const over = await refusal(device.core, 'attention.fix', { id: item.id, args: { amountMinor: 5_000 } });
    expect(over).toMatchObject({ code: 'invalid_input', issues: [{ path: 'allocations' }] });
    expect(storeCounts(device.core)).toEqual(before);
    expect(JSON.parse(parked()[0]!.args)).toEqual(item.args);
  });

  it('needs someone allowed to record payments, as resending does', async () => {
    const { item } = await refusedPayment();
    await signInAs(device.core, 'teacher');
    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'attention.fix', { id: item.id, args: { allocations: [] } })).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/^Correcting it needs someone allowed to do this: .*sign in here and correct it/),
    });
    expect(storeCounts(device.core)).toEqual(before);
    await signInAs(device.core, 'bursar');
    await call(device.core, 'attention.fix', { id: item.id, args: { allocations: [] } });
    expect(await refusal(device.core, 'attention.fix', { id: item.id, args: { allocations: [] } })).toMatchObject({ code: 'not_found' });
  });
});

describe('correcting other refused changes', () => {
  it('corrects an expense with the rules of the expense form', async () => {
    const expense = await call(device.core, 'expenses.record', { category: 'Kitchen', payee: 'Navas', amountMinor: 1_500, spentOn: '2026-03-02' });
    await refuse('expenses.record', 'No.');
    const [item] = (await call(device.core, 'attention.list', {})).rows;
    expect(item).toMatchObject({ fixable: true });
    expect(await refusal(device.core, 'attention.fix', { id: item!.id, args: { payee: ' ' } })).toMatchObject({ issues: [{ path: 'payee', message: 'Say who was paid.' }] });
    expect(await refusal(device.core, 'attention.fix', { id: item!.id, args: { method: 'bank_transfer' } })).toMatchObject({ issues: [{ path: 'reference' }] });
    await call(device.core, 'attention.fix', { id: item!.id, args: { payee: 'Naivas', method: 'bank_transfer', reference: 'TRX-1' } });
    expect(sqlite().prepare('select id, payee, reference, amount_minor from expenses').get()).toEqual({ id: expense.id, payee: 'Naivas', reference: 'TRX-1', amount_minor: 1_500 });
  });

  it('corrects the values a student save sent, on the same record with the same versions', async () => {
    const grade4: ClassRow = {
      id: '0190c100-0000-7000-8000-000000000004',
      grade: 'Grade 4',
      level: 4,
      stream: 'A',
      academic_year: 2026,
      class_teacher_id: null,
      grading_scale_id: null,
      name: 'Grade 4 A',
      deleted: false,
      meta: { f: {} },
    };
    await pullRows(device.core, 'classes', [grade4]);
    await signInAs(device.core, 'administrator');
    const student = enrolled(2);
    const profile = await call(device.core, 'students.profile', { id: student.id });
    await call(device.core, 'students.save', { id: student.id, values: { ...profile.values, first_name: 'Amina', medical_notes: 'Asthma' } });
    const [refused] = queued('students.save');
    await refuse('students.save', 'The first name was refused.');
    expect(sqlite().prepare('select first_name from students where id = ?').pluck().get(student.id)).toBe(student.first_name);
    const [item] = (await call(device.core, 'attention.list', {})).rows;
    expect(item).toMatchObject({ name: 'students.save', fixable: true, args: refused!.args });
    const row = (refused!.args.rows as { id: string; fields: Record<string, unknown> }[])[0]!;

    const before = storeCounts(device.core);
    const bad = await refusal(device.core, 'attention.fix', { id: item!.id, args: { rows: [{ id: row.id, fields: { first_name: '' } }] } });
    expect(bad).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^Check the corrected first name:/), issues: [{ path: 'rows.0.fields.first_name' }] });
    const otherRecord = await refusal(device.core, 'attention.fix', { id: item!.id, args: { rows: [{ id: enrolled(3).id, fields: { first_name: 'Amina' } }] } });
    expect(otherRecord).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/cannot change the record it writes/) });
    const notSent = await refusal(device.core, 'attention.fix', { id: item!.id, args: { rows: [{ id: row.id, fields: { class_id: grade4.id } }] } });
    expect(notSent).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/did not change the class/) });
    const removal = await refusal(device.core, 'attention.fix', { id: item!.id, args: { rows: [{ id: row.id, fields: { deleted: true } }] } });
    expect(removal).toMatchObject({ code: 'invalid_input' });
    expect(storeCounts(device.core)).toEqual(before);

    await call(device.core, 'attention.fix', { id: item!.id, args: { rows: [{ id: row.id, fields: { first_name: 'Aminah' } }] } });
    const [fixed] = queued('students.save');
    expect(fixed!.args).toEqual({ rows: [{ ...row, fields: { ...row.fields, first_name: 'Aminah' } }] });
    expect(sqlite().prepare('select first_name, medical_notes from students where id = ?').get(student.id)).toEqual({ first_name: 'Aminah', medical_notes: 'Asthma' });
  });

  it('says where to make again what cannot be corrected here', async () => {
    const student = enrolled();
    await call(device.core, 'payments.record', { studentId: student.id, amountMinor: 5_000 });
    await refuse('none', '');
    await call(device.core, 'refunds.record', { studentId: student.id, amountMinor: 2_000, reason: 'Overpaid' });
    await refuse('refunds.record', 'No.');
    const [item] = (await call(device.core, 'attention.list', {})).rows;
    expect(item).toMatchObject({ name: 'refunds.record', fixable: false, instead: expect.stringMatching(/^Record the refund again .* then discard this one\.$/) });
    expect(await refusal(device.core, 'attention.fix', { id: item!.id, args: { amountMinor: 1_000 } })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/cannot be corrected here/) });
    expect(storeCounts(device.core)).toMatchObject({ refunds: 0, needs_attention: 1 });
  });
});
