import { sql, type Kysely } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import type { Receipt } from '../../../shared/domain/bursary-views.js';
import type { Allocation } from '../../../shared/domain/ledger-math.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { AppError } from '../../../shared/api/errors.js';
import { isLive, isPending, studentName, voidReason } from './ledger-sql.js';
import { chargeLabel } from './ledger-labels.js';

type ReceiptDevice = Pick<Device, 'device_id' | 'device_name' | 'school_name' | 'time_zone'>;

/**
 * The student's balance over the entries made up to and including this payment, in the order
 * (recorded/posted time, id), voided entries excluded except the payment itself: a reprinted
 * receipt of a voided payment still shows the balance it left (and says VOID).
 */
function balanceAfter(db: Kysely<LocalDatabase>, p: { id: string; student_id: string; recorded_at: string }) {
  const upTo = (alias: string, at: string) => sql`(${sql.ref(`${alias}.${at}`)}, ${sql.ref(`${alias}.id`)}) <= (${p.recorded_at}, ${p.id})`;
  const total = (table: string, alias: string, at: string) =>
    sql<number>`(select coalesce(sum(${sql.ref(`${alias}.amount_minor`)}), 0) from ${sql.table(table)} as ${sql.raw(alias)}
       where ${sql.ref(`${alias}.student_id`)} = ${p.student_id} and ${upTo(alias, at)}
         and (${isLive(`${alias}.id`)} or ${sql.ref(`${alias}.id`)} = ${p.id}))`;
  return db
    .selectNoFrom(
      sql<number>`${total('charges', 'c', 'posted_at')} - ${total('payments', 'p', 'recorded_at')} - ${total('discounts', 'd', 'posted_at')} + ${total('refunds', 'r', 'refunded_at')}`.as(
        'balance',
      ),
    )
    .executeTakeFirstOrThrow();
}

/** Everything a printed receipt shows, from the payment, its allocations and the ledger. */
export async function paymentReceipt(db: Kysely<LocalDatabase>, paymentId: string, device: ReceiptDevice): Promise<Receipt> {
  return db.transaction().execute(async (tx) => {
    const p = await tx
      .selectFrom('payments as p')
      .innerJoin('students as s', 's.id', 'p.student_id')
      .leftJoin('devices as dv', 'dv.id', 'p.device_id')
      .selectAll('p')
      .select([
        studentName('s').as('student_name'),
        's.admission_no',
        's.class_name',
        'dv.name as device_name',
        voidReason('p.id').as('void_reason'),
        isPending('payments', 'p.id').as('pending'),
      ])
      .where('p.id', '=', paymentId)
      .executeTakeFirst();
    if (!p) throw new AppError('not_found', 'That payment is not on this device. It may have been recorded on another computer that has not synced yet.');

    const allocations = JSON.parse(p.allocations) as Allocation[];
    const charges =
      allocations.length === 0
        ? []
        : await tx
            .selectFrom('charges as c')
            .leftJoin('fee_categories as f', 'f.id', 'c.category_id')
            .select(['c.id', 'c.description', 'c.term', 'c.due_on', 'f.name as category'])
            .where(
              'c.id',
              'in',
              allocations.map((a) => a.chargeId),
            )
            .execute();
    const byId = new Map(charges.map((c) => [c.id, c]));
    const lines: Receipt['lines'] = allocations.map((a) => {
      const c = byId.get(a.chargeId);
      return { description: c ? chargeLabel({ category: c.category, description: c.description, term: c.term, dueOn: c.due_on }) : 'A fee not on this computer yet', amountMinor: a.amountMinor };
    });
    const credit = p.amount_minor - allocations.reduce((s, a) => s + a.amountMinor, 0);
    if (credit > 0) lines.push({ description: null, amountMinor: credit });

    const { balance } = await balanceAfter(tx, p);
    return {
      schoolName: device.school_name,
      currency: p.currency,
      receiptNo: p.receipt_no,
      paymentId: p.id,
      recordedAt: p.recorded_at,
      businessDate: schoolDate(p.recorded_at, device.time_zone),
      student: { id: p.student_id, name: p.student_name, admissionNo: p.admission_no, className: p.class_name },
      amountMinor: p.amount_minor,
      method: p.method,
      reference: p.reference,
      lines,
      balanceAfterMinor: Number(balance),
      recordedBy: p.recorded_by,
      // The devices table is synced to office computers; until it arrives, a payment taken here
      // still names this computer.
      deviceName: p.device_name ?? (p.device_id === device.device_id ? device.device_name : 'Another office computer'),
      voided: p.void_reason !== null,
      voidReason: p.void_reason,
      pending: p.pending === 1,
    };
  });
}
