import { refundRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { formatMinor } from '../../../shared/money.js';
import { closedDayRefusal } from '../ledger/closed-day.js';
import { insertRefund } from '../ledger/rows.js';
import { enrolledStudent } from '../ledger/student.js';
import { loadStudentLedger } from '../ledger/student-ledger.js';
import { reject, type Applier } from './types.js';

/** Pays back part of a student's credit (an overpayment or an unused discount): never more
 * than the credit the server's ledger shows at that moment, so two offices refunding the same
 * credit offline cannot both pay it out. Insert-only; a wrong refund is voided. */
export const recordRefund: Applier<MutationArgs<'refunds.record'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;

  const sameId = await trx.selectFrom('refunds').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (sameId) return reject('A refund with this id was already recorded by another change; a refund cannot be recorded twice under one id.');

  const found = await enrolledStudent(trx, tenantId, args.studentId, {
    noun: 'refund',
    notDone: 'nothing was refunded',
    onlyEnrolled: 'refunds can only be recorded for enrolled students',
  });
  if ('refusal' in found) return reject(found.refusal);
  const { student } = found;

  const { currency, timeZone } = school;
  if (args.currency !== currency) {
    return reject(`The refund is in ${args.currency} but this school's currency is ${currency}; nothing was refunded.`);
  }

  const closed = await closedDayRefusal(trx, tenantId, { deviceId, staffId: authorId, at: args.refundedAt, timeZone, what: 'refund' });
  if (closed) return reject(closed);

  const { creditMinor } = await loadStudentLedger(trx, tenantId, student.id);
  if (args.amountMinor > creditMinor) {
    const credit = creditMinor === 0 ? 'has no credit' : `has a credit of only ${formatMinor(creditMinor, currency)}`;
    return reject(
      `${student.who} ${credit}, so a refund of ${formatMinor(args.amountMinor, currency)} cannot be paid; a refund can only pay back credit. Nothing was refunded.`,
    );
  }

  await insertRefund(trx, tenantId, refundRowFromArgs(args, deviceId, authorId), { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
