import { paymentRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { formatMinor } from '../../../shared/money.js';
import { closedDayRefusal } from '../ledger/closed-day.js';
import { insertPayment } from '../ledger/rows.js';
import { enrolledStudent, type LedgerStudent } from '../ledger/student.js';
import { loadLedgerRows, settleAsSeenBy } from '../ledger/student-ledger.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { reject, type Applier } from './types.js';

/** Records a fee payment. The ledger is insert-only: the payment id is the idempotency key and
 * the receipt number comes from the authenticated device's own series. */
export const recordPayment: Applier<MutationArgs<'payments.record'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId, receiptSeries } = device;

  // One read for both keys a payment must not share: its id and its receipt number.
  const clashes = await trx
    .selectFrom('payments')
    .select(['id', 'receipt_no'])
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb.or([eb('id', '=', args.id), eb('receipt_no', '=', args.receiptNo)]))
    .execute();
  if (clashes.some((p) => p.id === args.id)) {
    return reject(`Payment ${args.id} was already recorded by another change; a payment cannot be recorded twice under one id.`);
  }

  const found = await enrolledStudent(trx, tenantId, args.studentId, {
    noun: 'payment',
    notDone: 'the payment was not recorded',
    onlyEnrolled: 'payments can only be recorded for enrolled students',
  });
  if ('refusal' in found) return reject(found.refusal);

  const { currency, timeZone } = school;
  if (args.currency !== currency) {
    return reject(`The payment is in ${args.currency} but this school's currency is ${currency}.`);
  }

  if (!args.receiptNo.startsWith(`${receiptSeries}-`)) {
    return reject(`Receipt number ${args.receiptNo} is not from this device's receipt series ${receiptSeries}; a device may only issue its own receipt numbers.`);
  }
  if (clashes.some((p) => p.receipt_no === args.receiptNo)) {
    return reject(`Receipt number ${args.receiptNo} is already used by another payment; each receipt number is issued once.`);
  }

  const closed = await closedDayRefusal(trx, tenantId, { deviceId, staffId: authorId, at: args.recordedAt, timeZone, what: 'payment' });
  if (closed) return reject(closed);

  const badAllocation = await allocationRefusal(trx, tenantId, deviceId, found.student, args, currency);
  if (badAllocation) return reject(badAllocation);

  await insertPayment(trx, tenantId, paymentRowFromArgs(args, deviceId, authorId), { mutationId, deviceId, authorId });
  return { status: 'applied' };
};

/**
 * Why the charges a payment says it settles cannot be, or null. Each must be one of this
 * student's charges, not voided by this device, and owe at least its part; together they are
 * at most the payment. What a charge owes is what this device can have known (settleAsSeenBy):
 * two offices may settle the same charge offline, and that money is still received; settle()
 * then counts the part a charge no longer owes as credit, so nothing is lost or counted twice.
 */
async function allocationRefusal(
  trx: TenantTrx,
  tenantId: string,
  deviceId: string,
  student: LedgerStudent,
  args: MutationArgs<'payments.record'>,
  currency: string,
): Promise<string | null> {
  if (args.allocations.length === 0) return null;
  const money = (n: number) => formatMinor(n, currency);
  const allocated = args.allocations.reduce((s, a) => s + a.amountMinor, 0);
  if (allocated > args.amountMinor) {
    return `The amounts set against charges (${money(allocated)}) add up to more than the payment of ${money(args.amountMinor)}; set at most the payment against charges. The payment was not recorded.`;
  }
  const rows = await loadLedgerRows(trx, tenantId, student.id);
  const seen = settleAsSeenBy(rows, deviceId);
  const names = await categoryNames(trx, tenantId);
  for (const a of args.allocations) {
    const charge = rows.charges.find((c) => c.id === a.chargeId);
    // Not this student's charge (or not this school's): the id is not repeated.
    if (!charge) return `One of the charges this payment is set against is not a charge of ${student.who}; set it against that student's own charges. The payment was not recorded.`;
    const what = `the ${names.get(charge.categoryId) ?? 'fee'} charge due ${charge.dueOn}`;
    if (charge.voidedOn === deviceId) {
      return `This payment is set against ${what}, which was voided; set it against ${student.who}'s open charges and record it again.`;
    }
    const owed = seen.outstanding.get(charge.id) ?? 0;
    if (a.amountMinor > owed) {
      const still = owed === 0 ? 'is already paid' : `still owes only ${money(owed)}`;
      return `This payment sets ${money(a.amountMinor)} against ${what} of ${student.who}, which ${still}; set no more than the charge owes against it (the rest is kept as credit). The payment was not recorded.`;
    }
  }
  return null;
}

async function categoryNames(trx: TenantTrx, tenantId: string): Promise<Map<string, string>> {
  const rows = await trx.selectFrom('fee_categories').select(['id', 'name']).where('tenant_id', '=', tenantId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
