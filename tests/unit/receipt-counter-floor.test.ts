// The receipt counter's floor (migration 0015): a payment of this device's series that arrives
// from elsewhere (pulled after a restore or a rebuild) lifts the counter past it, so the next
// number is new; other devices' payments leave it alone.
import { afterEach, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import type { PaymentRow } from '../../shared/domain/payments.js';
import { call, openTestDevice, pullRows, storeCounts, type TestDevice } from '../support/local-device.js';

let device: TestDevice | undefined;
afterEach(async () => {
  await device?.dispose();
  device = undefined;
});

function pulledPayment(d: TestDevice, receiptNo: string, deviceId: string): PaymentRow {
  return {
    id: uuidv7(),
    student_id: d.students[0]!.id,
    amount_minor: 5_000,
    currency: 'KES',
    method: 'cash',
    reference: null,
    receipt_no: receiptNo,
    recorded_at: new Date().toISOString(),
    recorded_by: 'Bursar Person',
    recorded_by_id: null,
    device_id: deviceId,
    allocations: [],
  };
}

it('lifts the counter past a pulled payment of this device series, and only of this series', async () => {
  device = await openTestDevice({ students: 1 });
  const first = await call(device.core, 'payments.record', { studentId: device.students[0]!.id, amountMinor: 1_000, method: 'cash' });
  expect(first.receiptNo).toBe('TEST-D1-000001');

  // Another till's payments (another series, even a longer number) change nothing.
  await pullRows(device.core, 'payments', [pulledPayment(device, 'TEST-D12-000900', uuidv7()), pulledPayment(device, 'TEST-D2-000050', uuidv7())]);
  expect(storeCounts(device.core).nextReceiptNo).toBe(2);

  // This device's number 41, issued by a copy of this database that was lost, comes back from the server.
  await pullRows(device.core, 'payments', [pulledPayment(device, 'TEST-D1-000041', device.core.device.device_id)]);
  expect(storeCounts(device.core).nextReceiptNo).toBe(42);
  const next = await call(device.core, 'payments.record', { studentId: device.students[0]!.id, amountMinor: 1_000, method: 'cash' });
  expect(next.receiptNo).toBe('TEST-D1-000042');

  // An older one of this series never moves it back.
  await pullRows(device.core, 'payments', [pulledPayment(device, 'TEST-D1-000007', device.core.device.device_id)]);
  expect(storeCounts(device.core).nextReceiptNo).toBe(43);
});
