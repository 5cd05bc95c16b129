import { voidRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import type { VoidableTable } from '../../../shared/domain/fees.js';
import { formatMinor } from '../../../shared/money.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { insertVoid } from '../ledger/rows.js';
import { reject, type Applier, type SchoolSettings } from './types.js';

const WHAT: Record<VoidableTable, string> = { payments: 'payment', charges: 'charge', discounts: 'discount', refunds: 'refund', expenses: 'expense' };

type Describe = (trx: TenantTrx, tenantId: string, school: SchoolSettings, id: string) => Promise<string | undefined>;

// How an entry is named in a refusal: the receipt, category or payee, the amount and who.
const describe: Record<VoidableTable, Describe> = {
  payments: async (trx, tenantId, _school, id) => {
    const p = await trx
      .selectFrom('payments')
      .innerJoin('students', (j) => j.onRef('students.tenant_id', '=', 'payments.tenant_id').onRef('students.id', '=', 'payments.student_id'))
      .select(['payments.receipt_no', 'payments.amount_minor', 'payments.currency', 'students.first_name', 'students.last_name'])
      .where('payments.tenant_id', '=', tenantId)
      .where('payments.id', '=', id)
      .executeTakeFirst();
    return p && `Payment ${p.receipt_no} (${formatMinor(p.amount_minor, p.currency)} from ${p.first_name} ${p.last_name})`;
  },
  charges: async (trx, tenantId, _school, id) => {
    const c = await trx
      .selectFrom('charges')
      .innerJoin('students', (j) => j.onRef('students.tenant_id', '=', 'charges.tenant_id').onRef('students.id', '=', 'charges.student_id'))
      .innerJoin('fee_categories', (j) => j.onRef('fee_categories.tenant_id', '=', 'charges.tenant_id').onRef('fee_categories.id', '=', 'charges.category_id'))
      .select(['fee_categories.name', 'charges.amount_minor', 'charges.currency', 'students.first_name', 'students.last_name'])
      .where('charges.tenant_id', '=', tenantId)
      .where('charges.id', '=', id)
      .executeTakeFirst();
    return c && `The ${c.name} charge (${formatMinor(c.amount_minor, c.currency)} to ${c.first_name} ${c.last_name})`;
  },
  discounts: async (trx, tenantId, school, id) => {
    const d = await trx
      .selectFrom('discounts')
      .innerJoin('students', (j) => j.onRef('students.tenant_id', '=', 'discounts.tenant_id').onRef('students.id', '=', 'discounts.student_id'))
      .leftJoin('fee_categories', (j) => j.onRef('fee_categories.tenant_id', '=', 'discounts.tenant_id').onRef('fee_categories.id', '=', 'discounts.category_id'))
      .select(['discounts.kind', 'fee_categories.name', 'discounts.amount_minor', 'students.first_name', 'students.last_name'])
      .where('discounts.tenant_id', '=', tenantId)
      .where('discounts.id', '=', id)
      .executeTakeFirst();
    if (!d) return undefined;
    const { currency } = school;
    return `The ${d.name ? `${d.name} ` : ''}${d.kind} (${formatMinor(d.amount_minor, currency)} for ${d.first_name} ${d.last_name})`;
  },
  refunds: async (trx, tenantId, _school, id) => {
    const r = await trx
      .selectFrom('refunds')
      .innerJoin('students', (j) => j.onRef('students.tenant_id', '=', 'refunds.tenant_id').onRef('students.id', '=', 'refunds.student_id'))
      .select(['refunds.amount_minor', 'refunds.currency', 'students.first_name', 'students.last_name'])
      .where('refunds.tenant_id', '=', tenantId)
      .where('refunds.id', '=', id)
      .executeTakeFirst();
    return r && `The refund (${formatMinor(r.amount_minor, r.currency)} to ${r.first_name} ${r.last_name})`;
  },
  expenses: async (trx, tenantId, _school, id) => {
    const e = await trx
      .selectFrom('expenses')
      .select(['category', 'payee', 'amount_minor', 'currency'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return e && `The ${e.category} expense (${formatMinor(e.amount_minor, e.currency)} to ${e.payee})`;
  },
};

/** Reverses one ledger entry (a payment, charge, discount, refund or expense) of this school,
 * with a reason. The entry itself is never changed; an entry is voided at most once (the voids
 * table's unique key holds that even under concurrent pushes), and a void is never the target
 * of another void. */
export const voidEntry: Applier<MutationArgs<'ledger.void'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;
  const what = WHAT[args.targetTable];

  const sameId = await trx.selectFrom('voids').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (sameId) return reject('A void with this id was already recorded by another change; a void cannot be recorded twice under one id.');

  const entry = await describe[args.targetTable](trx, tenantId, school, args.targetId);
  if (!entry) {
    const isVoid = await trx.selectFrom('voids').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.targetId).executeTakeFirst();
    if (isVoid) return reject('The entry to void is itself a void; a void cannot be voided. Nothing was changed.');
    // The id is not echoed: an answer never repeats an id that is not this school's.
    return reject(`The ${what} to void does not exist in this school (check that it was recorded and has synced); nothing was voided.`);
  }

  const earlier = await trx
    .selectFrom('voids')
    .leftJoin('sync_changes', (j) =>
      j.onRef('sync_changes.tenant_id', '=', 'voids.tenant_id').onRef('sync_changes.row_id', '=', 'voids.id').on('sync_changes.table_name', '=', 'voids'),
    )
    .leftJoin('staff', (j) => j.onRef('staff.tenant_id', '=', 'sync_changes.tenant_id').onRef('staff.id', '=', 'sync_changes.author_id'))
    .select(['voids.voided_at', 'voids.voided_by', 'voids.reason', 'staff.display_name'])
    .where('voids.tenant_id', '=', tenantId)
    .where('voids.target_table', '=', args.targetTable)
    .where('voids.target_id', '=', args.targetId)
    .executeTakeFirst();
  if (earlier) {
    const { timeZone } = school;
    const by = earlier.display_name ?? earlier.voided_by ?? 'an unknown staff member';
    return reject(`${entry} was already voided on ${schoolDate(earlier.voided_at, timeZone)} by ${by}: ${earlier.reason}`);
  }

  await insertVoid(trx, tenantId, voidRowFromArgs(args, deviceId), { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
