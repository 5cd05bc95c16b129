import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { formatReceiptNo, type PaymentView, type RecordPaymentInput } from '../../../shared/domain/payments.js';
import { paymentRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import type { z } from 'zod';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { requireDevice, takeReceiptNumber } from '../device/device-state.js';
import { appendMutation } from '../outbox/outbox.js';

type ParsedInput = z.output<typeof RecordPaymentInput>;

/**
 * Records a payment: the payment row, the device's next receipt number and the outbox
 * mutation are written in one SQLite transaction. Input is already schema-validated; the
 * business rules that need data are checked here (and again by the server).
 */
export async function recordPayment(db: Kysely<LocalDatabase>, input: ParsedInput, author: SessionUser): Promise<PaymentView> {
  const recordedBy = author.displayName;
  const device = await requireDevice(db);
  return db.transaction().execute(async (tx) => {
    const student = await tx
      .selectFrom('students')
      .select(['id', 'status', 'first_name', 'last_name', 'admission_no'])
      .where('id', '=', input.studentId)
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
    const receiptNo = formatReceiptNo(device.receipt_series, await takeReceiptNumber(tx));
    const args: MutationArgs<'payments.record'> = {
      id: uuidv7(),
      studentId: input.studentId,
      amountMinor: input.amountMinor,
      currency: device.currency,
      method: input.method,
      reference: input.reference ?? null,
      receiptNo,
      recordedAt: new Date().toISOString(),
      recordedBy,
    };
    await appendMutation(tx, 'payments.record', args, [{ table: 'payments', id: args.id }], author.id);
    await tx.insertInto('payments').values(paymentRowFromArgs(args, device.device_id)).execute();
    return {
      id: args.id,
      studentId: args.studentId,
      amountMinor: args.amountMinor,
      currency: args.currency,
      method: args.method,
      reference: args.reference,
      receiptNo,
      recordedAt: args.recordedAt,
      recordedBy,
      pending: true,
    };
  });
}
