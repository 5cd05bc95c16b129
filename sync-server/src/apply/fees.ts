import { sql } from 'kysely';
import { chargeRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { formatMinor } from '../../../shared/money.js';
import { insertCharges, insertFeeCategory } from '../ledger/rows.js';
import { reject, type Applier } from './types.js';

/** Creates a fee category (Tuition, Lunch…), active. Names are unique per school whatever their
 * case; a unique index holds the rule under concurrent pushes too. */
export const createFeeCategory: Applier<MutationArgs<'fees.createCategory'>> = async ({ trx, device, mutationId, authorId }, args) => {
  const { tenantId } = device;
  const sameId = await trx.selectFrom('fee_categories').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (sameId) return reject('A fee category with this id already exists; a category cannot be created twice under one id. Nothing was changed.');
  const sameName = await trx
    .selectFrom('fee_categories')
    .select('name')
    .where('tenant_id', '=', tenantId)
    .where(sql<string>`lower(name)`, '=', args.name.toLowerCase())
    .where('deleted', '=', false)
    .executeTakeFirst();
  if (sameName) {
    return reject(`A fee category named "${sameName.name}" already exists in this school (names are compared ignoring case); use it, or choose another name.`);
  }
  await insertFeeCategory(trx, tenantId, { id: args.id, name: args.name, active: true }, { mutationId, deviceId: device.deviceId, authorId });
  return { status: 'applied' };
};

/** Posts a charge (a fee a student owes) to the insert-only ledger: for an enrolled student of
 * this school, to an active category, in the school's currency. The charge id is its
 * idempotency key; a wrong charge is corrected by voiding it, never by changing it. */
export const postCharge: Applier<MutationArgs<'charges.post'>> = async ({ trx, device, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;
  const existing = await trx.selectFrom('charges').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (existing) return reject('A charge with this id was already posted by another change; a charge cannot be posted twice under one id.');

  const student = await trx
    .selectFrom('students')
    .select(['first_name', 'last_name', 'admission_no', 'status', 'deleted'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', args.studentId)
    .executeTakeFirst();
  if (!student || student.deleted) {
    // The id is not echoed: an answer never repeats an id that is not this school's.
    return reject('The student of this charge does not exist in this school (it may have been removed); the charge was not posted.');
  }
  const who = `${student.first_name} ${student.last_name} (${student.admission_no})`;
  if (student.status !== 'enrolled') {
    return reject(`${who} is ${student.status}, not enrolled; charges can only be posted to enrolled students.`);
  }

  const category = await trx
    .selectFrom('fee_categories')
    .select(['name', 'active', 'deleted'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', args.categoryId)
    .executeTakeFirst();
  if (!category || category.deleted) {
    return reject(`The fee category of this charge to ${who} does not exist in this school (it may have been removed); the charge was not posted.`);
  }
  if (!category.active) {
    return reject(`The fee category "${category.name}" is inactive; charges can only be posted to active categories. The charge to ${who} was not posted.`);
  }

  const tenant = await trx.selectFrom('tenants').select('currency').where('id', '=', tenantId).executeTakeFirstOrThrow();
  if (args.currency !== tenant.currency) {
    return reject(`The charge of ${formatMinor(args.amountMinor, args.currency)} to ${who} is in ${args.currency} but this school's currency is ${tenant.currency}; the charge was not posted.`);
  }

  await insertCharges(trx, tenantId, [chargeRowFromArgs(args, deviceId)], { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
