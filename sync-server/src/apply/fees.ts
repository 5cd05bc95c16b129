import { sql } from 'kysely';
import { chargeRowFromArgs, structureChargeId, type MutationArgs } from '../../../shared/sync/mutations.js';
import { formatMinor } from '../../../shared/money.js';
import { insertCharges, insertFeeCategory } from '../ledger/rows.js';
import { enrolledStudent } from '../ledger/student.js';
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
 * idempotency key; a wrong charge is corrected by voiding it, never by changing it.
 *
 * A charge applied from a fee structure has an id derived from the structure, the student and
 * the instalment (structureChargeId). Two offices applying the same structure offline send the
 * same id: the second is answered 'applied' and changes nothing, so the student is charged once. */
export const postCharge: Applier<MutationArgs<'charges.post'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;
  const existing = await trx
    .selectFrom('charges')
    .select(['student_id', 'structure_id'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', args.id)
    .executeTakeFirst();
  if (existing) {
    if (args.structureId !== null && existing.structure_id === args.structureId && existing.student_id === args.studentId) return { status: 'applied' };
    return reject('A charge with this id was already posted by another change; a charge cannot be posted twice under one id.');
  }

  const found = await enrolledStudent(trx, tenantId, args.studentId, {
    noun: 'charge',
    notDone: 'the charge was not posted',
    onlyEnrolled: 'charges can only be posted to enrolled students',
  });
  if ('refusal' in found) return reject(found.refusal);
  const { who } = found.student;

  if (args.structureId !== null) {
    const structure = await trx
      .selectFrom('fee_structures')
      .select(['class_name', 'term', 'deleted'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', args.structureId)
      .executeTakeFirst();
    if (!structure || structure.deleted) {
      return reject(`The fee structure this charge to ${who} comes from does not exist in this school (it may have been removed); the charge was not posted.`);
    }
    if (args.id !== structureChargeId(args.structureId, args.studentId, args.categoryId, args.dueOn)) {
      // Any other id would let a second office charge the same instalment again.
      return reject(
        `This charge to ${who} says it comes from the ${structure.class_name} fee structure for ${structure.term}, but its id is not that structure's; apply the structure again from the Fees screen. The charge was not posted.`,
      );
    }
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

  const { currency } = school;
  if (args.currency !== currency) {
    return reject(`The charge of ${formatMinor(args.amountMinor, args.currency)} to ${who} is in ${args.currency} but this school's currency is ${currency}; the charge was not posted.`);
  }

  await insertCharges(trx, tenantId, [chargeRowFromArgs(args, deviceId)], { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
