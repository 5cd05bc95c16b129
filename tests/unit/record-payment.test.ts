import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDevice, staffFor, type TestDevice } from '../support/local-device.js';
import type { PaymentView } from '../../shared/domain/payments.js';

let device: TestDevice;

beforeEach(async () => {
  device = await openTestDevice({ students: 60 });
});
afterEach(() => device.dispose());

function counts() {
  const { sqlite } = device.core.store;
  const one = (sql: string) => (sqlite.prepare(sql).pluck().get() as number);
  return {
    payments: one('select count(*) from payments'),
    outbox: one("select count(*) from outbox where name = 'payments.record'"),
    outboxRows: one("select count(*) from outbox_rows where table_name = 'payments'"),
    nextReceipt: one('select next_receipt_no from device'),
  };
}

const enrolled = () => device.students.find((s) => s.status === 'enrolled')!;
const withdrawn = () => device.students.find((s) => s.status === 'withdrawn')!;

describe('payments.record', () => {
  it('writes the payment, a receipt number from the device series and one outbox mutation together', async () => {
    const student = enrolled();
    const reply = await device.core.dispatch('payments.record', { studentId: student.id, amountMinor: 150_000, method: 'cash' });
    expect(reply.ok).toBe(true);
    const payment = (reply as { value: PaymentView }).value;
    expect(payment).toMatchObject({ studentId: student.id, amountMinor: 150_000, currency: 'KES', receiptNo: 'TEST-D1-000001', pending: true, allocations: [], duplicateReferenceOf: [] });
    expect(counts()).toEqual({ payments: 1, outbox: 1, outboxRows: 1, nextReceipt: 2 });

    const outbox = device.core.store.sqlite.prepare("select * from outbox where name = 'payments.record'").get() as { args: string; author_id: string };
    expect(outbox.author_id).toBe(staffFor('bursar').id);
    expect(JSON.parse(outbox.args)).toMatchObject({ id: payment.id, amountMinor: 150_000, receiptNo: 'TEST-D1-000001', currency: 'KES', recordedBy: 'Bursar Person' });

    const row = device.core.store.sqlite.prepare('select recorded_by_id, allocations from payments').get();
    expect(row).toEqual({ recorded_by_id: staffFor('bursar').id, allocations: '[]' });

    const listed = await device.core.dispatch('payments.listForStudent', { studentId: student.id });
    expect(listed).toEqual({ ok: true, value: { rows: [payment] } });
  });

  it('numbers receipts consecutively and gives mutations increasing device sequence numbers', async () => {
    const student = enrolled();
    const receipts: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const reply = await device.core.dispatch('payments.record', { studentId: student.id, amountMinor: 100 * i });
      receipts.push((reply as { value: PaymentView }).value.receiptNo);
    }
    expect(receipts).toEqual(['TEST-D1-000001', 'TEST-D1-000002', 'TEST-D1-000003', 'TEST-D1-000004', 'TEST-D1-000005']);
    const seqs = device.core.store.sqlite.prepare("select seq from outbox where name = 'payments.record' order by seq").pluck().all() as number[];
    expect(seqs).toHaveLength(5);
    expect(seqs.map((s) => s - seqs[0]!)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps a reference for methods that have one and requires it', async () => {
    const student = enrolled();
    const ok = await device.core.dispatch('payments.record', { studentId: student.id, amountMinor: 5000, method: 'mobile_money', reference: 'QK7PL2M9XZ' });
    expect(ok.ok && (ok.value as PaymentView).reference).toBe('QK7PL2M9XZ');
    const missing = await device.core.dispatch('payments.record', { studentId: student.id, amountMinor: 5000, method: 'bank_transfer' });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error.issues?.[0]?.path).toBe('reference');
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a zero amount', { amountMinor: 0 }, /greater than zero/],
    ['a negative amount', { amountMinor: -500 }, /greater than zero/],
    ['a fractional amount of minor units', { amountMinor: 10.5 }, /whole number of minor units/],
    ['an absurdly large amount', { amountMinor: 5_000_000_000_000 }, /larger than any single fee payment/],
    ['an amount sent as text', { amountMinor: '1000' }, /amountMinor/],
    ['an unknown payment method', { method: 'bitcoin' }, /method/],
    ['a missing student', { studentId: undefined }, /Choose a student/],
    ['a student id that is not an id', { studentId: "1' or 1=1 --" }, /Choose a student/],
  ];

  for (const [what, patch, message] of bad) {
    it(`rejects ${what} and saves nothing`, async () => {
      const before = counts();
      const reply = await device.core.dispatch('payments.record', { studentId: enrolled().id, amountMinor: 1000, method: 'cash', ...patch });
      expect(reply.ok).toBe(false);
      expect(!reply.ok && reply.error.code).toBe('invalid_input');
      expect(!reply.ok && reply.error.message).toMatch(message);
      expect(counts()).toEqual(before);
    });
  }

  it('rejects an unknown student and saves nothing', async () => {
    const before = counts();
    const reply = await device.core.dispatch('payments.record', { studentId: '01900000-0000-7000-8000-000000000000', amountMinor: 1000 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringMatching(/not on this device/) } });
    expect(counts()).toEqual(before);
  });

  it('rejects a withdrawn student by name and saves nothing', async () => {
    const before = counts();
    const student = withdrawn();
    const reply = await device.core.dispatch('payments.record', { studentId: student.id, amountMinor: 1000 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!reply.ok && reply.error.message).toContain(student.admission_no);
    expect(counts()).toEqual(before);
  });

  it('is all-or-nothing: when the outbox write fails, no payment and no receipt number are used', async () => {
    const { sqlite } = device.core.store;
    sqlite.exec(`create temp trigger fail_outbox before insert on outbox begin select raise(abort, 'disk full'); end`);
    const before = counts();
    const reply = await device.core.dispatch('payments.record', { studentId: enrolled().id, amountMinor: 1000 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(counts()).toEqual(before);
    sqlite.exec('drop trigger fail_outbox');
  });

  it('refuses unknown methods and bad input at the dispatch boundary', async () => {
    expect(await device.core.dispatch('payments.delete', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await device.core.dispatch('sync.status', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await device.core.dispatch('payments.record', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
