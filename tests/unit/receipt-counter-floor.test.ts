// The hold on receipt numbers after a rebuild (migration 0015): while it is on, payments.record
// issues no number; when the pull catches up with the server, the counter goes past the highest
// number of this device's series among the pulled payments (other series do not count) and the
// hold is released. A push's "last synced" does not release it.
import { afterEach, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import type { PaymentRow } from '../../shared/domain/payments.js';
import { call, openTestDevice, pullRows, refusal, storeCounts, type TestDevice } from '../support/local-device.js';

let device: TestDevice | undefined;
afterEach(async () => {
  await device?.dispose();
  device = undefined;
});

function pulledPayment(d: TestDevice, receiptNo: string): PaymentRow {
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
    device_id: d.core.device.device_id,
    allocations: [],
  };
}

it('holds new receipt numbers until the pull has caught up, then continues past the highest of this series', async () => {
  device = await openTestDevice({ students: 1 });
  const sqlite = device.core.store.sqlite;
  sqlite.prepare("insert into receipt_hold (id, since) values (1, '2026-11-22T06:00:00.000Z')").run();
  const input = { studentId: device.students[0]!.id, amountMinor: 1_000, method: 'cash' as const };
  const counts = storeCounts(device.core);
  expect(await refusal(device.core, 'payments.record', input)).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/rebuilt after damage/) });
  expect(storeCounts(device.core)).toEqual(counts);

  // Pulled: this device's 41 (issued by the lost database), and other tills' higher numbers.
  await pullRows(device.core, 'payments', [
    pulledPayment(device, 'TEST-D1-000041'),
    pulledPayment(device, 'TEST-D1-000007'),
    pulledPayment(device, 'TEST-D12-000900'),
    pulledPayment(device, 'TEST-D2-000050'),
  ]);
  // A push's "last synced" and a page that is not up to date release nothing.
  sqlite.prepare("update sync_state set last_sync_at = '2026-11-22T06:01:00.000Z' where id = 1").run();
  sqlite.prepare("update sync_state set shape_handle = 'h', shape_offset = '5_0', last_sync_at = coalesce(null, last_sync_at) where id = 1").run();
  expect(sqlite.prepare('select count(*) from receipt_hold').pluck().get()).toBe(1);

  // The pull's up-to-date (the statement the sync client runs).
  sqlite.prepare("update sync_state set shape_handle = 'h', shape_offset = '9_0', last_sync_at = coalesce('2026-11-22T06:02:00.000Z', last_sync_at) where id = 1").run();
  expect(sqlite.prepare('select count(*) from receipt_hold').pluck().get()).toBe(0);
  expect(storeCounts(device.core).nextReceiptNo).toBe(42);
  expect((await call(device.core, 'payments.record', input)).receiptNo).toBe('TEST-D1-000042');
});
