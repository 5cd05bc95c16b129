import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { formatReceiptNo, type PaymentView, type RecordPaymentInput } from '../../../shared/domain/payments.js';
import { paymentRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import type { z } from 'zod';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { requireDevice, takeReceiptNumber } from '../device/device-state.js';
import { appendMutation, type RowRef } from '../outbox/outbox.js';

type ParsedInput = z.output<typeof RecordPaymentInput>;

/** The local effect of a payment (new or resent): the student must be here and enrolled. */
export async function writePaymentLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'payments.record'>, deviceId: string): Promise<RowRef[]> {
  const student = await tx
    .selectFrom('students')
    .select(['id', 'status', 'first_name', 'last_name', 'admission_no'])
    .where('id', '=', args.studentId)
    .executeTakeFirst();
  if (!student) {
    throw new AppError('not_found', 'That student is not on this device. Search again, or sync to fetch new students.');
  }
  if (student.status !== 'enrolled') {
    throw new AppError(
      'conflict',
      `${student.first_name} ${student.last_name} (${student.admission_no}) is ${student.status}; payments can only be recorded for enrolled students.`,
    );
  }
  await tx.insertInto('payments').values(paymentRowFromArgs(args, deviceId)).onConflict((oc) => oc.doNothing()).execute();
  return [{ table: 'payments', id: args.id }];
}

/**
 * Records a payment: the payment row, the device's next receipt number and the outbox
 * mutation are written in one SQLite transaction. Input is already schema-validated; the
 * business rules that need data are checked here (and again by the server).
 */
export async function recordPayment(db: Kysely<LocalDatabase>, input: ParsedInput, author: SessionUser): Promise<PaymentView> {
  const device = await requireDevice(db);
  return db.transaction().execute(async (tx) => {
    const args: MutationArgs<'payments.record'> = {
      id: uuidv7(),
      studentId: input.studentId,
      amountMinor: input.amountMinor,
      currency: device.currency,
      method: input.method,
      reference: input.reference ?? null,
      receiptNo: formatReceiptNo(device.receipt_series, await takeReceiptNumber(tx)),
      recordedAt: new Date().toISOString(),
      recordedBy: author.displayName,
    };
    const rows: RowRef[] = [{ table: 'payments', id: args.id }];
    await appendMutation(tx, 'payments.record', args, rows, author.id);
    await writePaymentLocally(tx, args, device.device_id);
    return {
      id: args.id,
      studentId: args.studentId,
      amountMinor: args.amountMinor,
      currency: args.currency,
      method: args.method,
      reference: args.reference,
      receiptNo: args.receiptNo,
      recordedAt: args.recordedAt,
      recordedBy: args.recordedBy,
      pending: true,
      voided: false,
    };
  });
}
