import { paymentRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { allocateSeqs, appendChanges } from '../changes/append.js';
import { reject, type Applier } from './types.js';

/** Records a fee payment. The ledger is insert-only: the payment id is the idempotency key and
 * the receipt number comes from the authenticated device's own series. */
export const recordPayment: Applier<MutationArgs<'payments.record'>> = async ({ trx, device, mutationId, authorId }, args) => {
  const { tenantId, deviceId, receiptSeries } = device;

  const existing = await trx
    .selectFrom('payments')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', args.id)
    .executeTakeFirst();
  if (existing) {
    return reject(`Payment ${args.id} was already recorded by another change; a payment cannot be recorded twice under one id.`);
  }

  const student = await trx
    .selectFrom('students')
    .select(['first_name', 'last_name', 'admission_no', 'status', 'deleted'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', args.studentId)
    .executeTakeFirst();
  if (!student || student.deleted) {
    // The id is not echoed: an answer never repeats an id that is not this school's.
    return reject('The student of this payment does not exist in this school (it may have been removed); the payment was not recorded.');
  }
  if (student.status !== 'enrolled') {
    const who = `${student.first_name} ${student.last_name} (${student.admission_no})`;
    return reject(`${who} is ${student.status}, not enrolled; payments can only be recorded for enrolled students.`);
  }

  const tenant = await trx.selectFrom('tenants').select('currency').where('id', '=', tenantId).executeTakeFirstOrThrow();
  if (args.currency !== tenant.currency) {
    return reject(`The payment is in ${args.currency} but this school's currency is ${tenant.currency}.`);
  }

  if (!args.receiptNo.startsWith(`${receiptSeries}-`)) {
    return reject(`Receipt number ${args.receiptNo} is not from this device's receipt series ${receiptSeries}; a device may only issue its own receipt numbers.`);
  }
  const receiptTaken = await trx
    .selectFrom('payments')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('receipt_no', '=', args.receiptNo)
    .executeTakeFirst();
  if (receiptTaken) {
    return reject(`Receipt number ${args.receiptNo} is already used by another payment; each receipt number is issued once.`);
  }

  const seq = await allocateSeqs(trx, tenantId, 1);
  const row = paymentRowFromArgs(args, deviceId);
  await trx.insertInto('payments').values({ tenant_id: tenantId, ...row, _seq: seq }).execute();
  await appendChanges(trx, tenantId, [{ seq, table: 'payments', rowId: row.id, op: 'insert', row }], { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
