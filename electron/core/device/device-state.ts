import type { Kysely, Transaction } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import type { EnrolResponse } from '../../../shared/sync/protocol.js';
import { AppError } from '../../../shared/api/errors.js';

export async function readDevice(db: Kysely<LocalDatabase>): Promise<Device | undefined> {
  return db.selectFrom('device').selectAll().where('id', '=', 1).executeTakeFirst();
}

export async function requireDevice(db: Kysely<LocalDatabase>): Promise<Device> {
  const device = await readDevice(db);
  if (!device) {
    throw new AppError('unavailable', 'This computer is not enrolled with a school yet. Ask your administrator for an enrolment code.');
  }
  return device;
}

export async function saveEnrolment(
  db: Kysely<LocalDatabase>,
  serverUrl: string,
  deviceName: string,
  enrolment: EnrolResponse,
): Promise<Device> {
  const row = {
    id: 1,
    device_id: enrolment.deviceId,
    device_name: deviceName,
    token: enrolment.token,
    server_url: serverUrl,
    school_id: enrolment.school.id,
    school_name: enrolment.school.name,
    currency: enrolment.school.currency,
    receipt_series: enrolment.receiptSeries,
    next_receipt_no: 1,
    enrolled_at: new Date().toISOString(),
    profile: enrolment.profile,
    time_zone: enrolment.school.timeZone,
  };
  await db.insertInto('device').values(row).execute();
  return row;
}

/** Takes the next number of this device's receipt series inside the caller's transaction, so a
 * number is used exactly when the payment that carries it is saved. */
export async function takeReceiptNumber(tx: Transaction<LocalDatabase>): Promise<number> {
  const row = await tx
    .updateTable('device')
    .set((eb) => ({ next_receipt_no: eb('next_receipt_no', '+', 1) }))
    .where('id', '=', 1)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('receipt_hold').select('id'))))
    .returning('next_receipt_no')
    .executeTakeFirst();
  if (!row) throw RECEIPTS_HELD;
  return row.next_receipt_no - 1;
}

/** See store/recover.ts: a rebuilt database waits for the server's payments before numbering. */
const RECEIPTS_HELD = new AppError(
  'unavailable',
  "This computer's database was rebuilt after damage and has not caught up with the server yet, so it cannot tell which receipt numbers are free. Connect to the network and wait for the first sync to finish, then record the payment again.",
);
