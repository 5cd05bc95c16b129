import type { Kysely, Transaction } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { formatMinor } from '../../../shared/money.js';
import type { ApiParsedInput } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { refundRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { appendMutation } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';
import { loadStudentLedger } from '../queries/student-ledger.js';
import { requireEnrolledStudent } from './enrolled-student.js';
import { assertDayOpen, tillOf } from './closed-day.js';

/** The local effect of a refund (new or resent): only credit the student has now can be paid
 * back, and not into a day the bursar has closed (the server checks both again). */
export async function writeRefundLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'refunds.record'>, device: Device, author: SessionUser): Promise<void> {
  const student = await requireEnrolledStudent(tx, args.studentId, 'refunds are paid to enrolled students only');
  await assertDayOpen(tx, tillOf(device, author), args.refundedAt, 'refunds');
  const { creditMinor } = await loadStudentLedger(tx, args.studentId);
  if (args.amountMinor > creditMinor) {
    throw new AppError(
      'conflict',
      creditMinor === 0
        ? `${student} has no credit to refund. Only overpayments and unused discounts can be paid back.`
        : `${student} has ${formatMinor(creditMinor, args.currency)} of credit; a refund can be at most that.`,
    );
  }
  await tx.insertInto('refunds').values(refundRowFromArgs(args, device.device_id, author.id)).execute();
}

/** Pays back part or all of a student's credit (an overpayment). */
export async function recordRefund(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'refunds.record'>): Promise<string> {
  const device = await requireDevice(db);
  const args: MutationArgs<'refunds.record'> = {
    id: uuidv7(),
    studentId: input.studentId,
    amountMinor: input.amountMinor,
    currency: device.currency,
    method: input.method,
    reference: input.reference ?? null,
    reason: input.reason,
    refundedAt: new Date().toISOString(),
    refundedBy: author.displayName,
  };
  await db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'refunds.record', args, [{ table: 'refunds', id: args.id }], author.id);
    await writeRefundLocally(tx, args, device, author);
  });
  return args.id;
}
