import type { Kysely, Transaction } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { formatMinor } from '../../../shared/money.js';
import { formatReceiptNo, type PaymentView, type RecordPaymentInput } from '../../../shared/domain/payments.js';
import { allocateOldestFirst } from '../../../shared/domain/ledger-math.js';
import { paymentRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import type { z } from 'zod';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { requireDevice, takeReceiptNumber } from '../device/device-state.js';
import { appendMutation } from '../outbox/outbox.js';
import { loadStudentLedger, type StudentLedger } from '../queries/student-ledger.js';
import { readPaymentView } from '../queries/payments.js';
import { chargeLabel } from '../queries/ledger-labels.js';
import { requireEnrolledStudent } from './enrolled-student.js';
import { assertDayOpen, tillOf } from './closed-day.js';

type ParsedInput = z.output<typeof RecordPaymentInput>;

async function describeCharge(tx: Transaction<LocalDatabase>, chargeId: string): Promise<string> {
  const c = await tx
    .selectFrom('charges as c')
    .leftJoin('fee_categories as f', 'f.id', 'c.category_id')
    .select(['f.name as category', 'c.description', 'c.term', 'c.due_on as dueOn'])
    .where('c.id', '=', chargeId)
    .executeTakeFirstOrThrow();
  return chargeLabel(c);
}

/** What the bursar set the payment against must be this student's open charges, each paid no
 * more than it still owes, in all no more than the payment (the server checks the same). */
async function checkAllocations(tx: Transaction<LocalDatabase>, args: MutationArgs<'payments.record'>, ledger: StudentLedger, student: string, currency: string) {
  const live = new Set(ledger.charges.map((c) => c.id));
  for (const a of args.allocations) {
    if (!live.has(a.chargeId)) {
      throw new AppError('conflict', `One of the charges this payment is set against is not an open charge of ${student} (it may have been voided). Choose from the charges still owed.`);
    }
    const owed = ledger.outstanding.get(a.chargeId) ?? 0;
    if (a.amountMinor > owed) {
      const label = await describeCharge(tx, a.chargeId);
      throw new AppError(
        'conflict',
        `${label} still owes ${formatMinor(owed, currency)}; ${formatMinor(a.amountMinor, currency)} cannot be set against it. Set less against it and leave the rest as credit.`,
      );
    }
  }
  const allocated = args.allocations.reduce((s, a) => s + a.amountMinor, 0);
  if (allocated > args.amountMinor) {
    throw new AppError('conflict', `The amounts set against charges (${formatMinor(allocated, currency)}) add up to more than the payment (${formatMinor(args.amountMinor, currency)}).`);
  }
}

/** The local effect of a payment (new or resent), with the rules the server applies too.
 * `ledger` is the student's position when the caller has just read it in this transaction. */
export async function writePaymentLocally(
  tx: Transaction<LocalDatabase>,
  args: MutationArgs<'payments.record'>,
  device: Device,
  author: SessionUser,
  ledger?: StudentLedger,
): Promise<void> {
  const student = await requireEnrolledStudent(tx, args.studentId, 'payments can only be recorded for enrolled students');
  await assertDayOpen(tx, tillOf(device, author), args.recordedAt, 'payments');
  await checkAllocations(tx, args, ledger ?? (await loadStudentLedger(tx, args.studentId)), student, args.currency);
  const row = paymentRowFromArgs(args, device.device_id, author.id);
  await tx.insertInto('payments').values({ ...row, allocations: JSON.stringify(row.allocations) }).execute();
}

/**
 * Records a payment inside the caller's transaction: the device's next receipt number, the
 * outbox mutation and the payment row, with every rule checked (a refusal rolls it all back).
 * `id` is new unless the caller derives it (an imported row, so a retry meets it).
 */
export async function recordPaymentIn(tx: Transaction<LocalDatabase>, device: Device, input: ParsedInput, author: SessionUser, id: string = uuidv7()): Promise<MutationArgs<'payments.record'>> {
  // Read once: it gives the default allocations (oldest due first, without a choice from the
  // bursar) and checks the ones given; appending the mutation changes no ledger row.
  const ledger = await loadStudentLedger(tx, input.studentId);
  const args: MutationArgs<'payments.record'> = {
    id,
    studentId: input.studentId,
    amountMinor: input.amountMinor,
    currency: device.currency,
    method: input.method,
    reference: input.reference ?? null,
    receiptNo: formatReceiptNo(device.receipt_series, await takeReceiptNumber(tx)),
    recordedAt: new Date().toISOString(),
    recordedBy: author.displayName,
    allocations: input.allocations ?? allocateOldestFirst(ledger.charges, ledger.outstanding, input.amountMinor),
  };
  await appendMutation(tx, 'payments.record', args, [{ table: 'payments', id: args.id }], author.id);
  await writePaymentLocally(tx, args, device, author, ledger);
  return args;
}

/**
 * Records a payment: the payment row, the device's next receipt number and the outbox
 * mutation are written in one SQLite transaction. Input is already schema-validated; the
 * business rules that need data are checked here (and again by the server).
 */
export async function recordPayment(db: Kysely<LocalDatabase>, input: ParsedInput, author: SessionUser): Promise<PaymentView> {
  const device = await requireDevice(db);
  const id = await db.transaction().execute(async (tx) => (await recordPaymentIn(tx, device, input, author)).id);
  return (await readPaymentView(db, id))!;
}
