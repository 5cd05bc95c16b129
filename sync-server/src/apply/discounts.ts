import { discountRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { formatMinor } from '../../../shared/money.js';
import { insertDiscount } from '../ledger/rows.js';
import { discountBase, percentOf } from '../ledger/discount-base.js';
import { enrolledStudent } from '../ledger/student.js';
import { reject, type Applier } from './types.js';

/**
 * Grants a discount or scholarship to one student: an insert-only credit, always an amount. It
 * applies to the student's live charges of its category (or all of them), of its term when it
 * names one: a percentage must be that share of them (rounded half up), a fixed amount may not
 * exceed them, and there must be something to discount. The device worked the amount out from
 * the rows it had; if another office changed the charges since, the figures differ and the
 * grant is refused with the server's figure rather than silently changed.
 */
export const grantDiscount: Applier<MutationArgs<'discounts.grant'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;
  const what = args.kind === 'scholarship' ? 'scholarship' : 'discount';

  const sameId = await trx.selectFrom('discounts').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (sameId) return reject(`A ${what} with this id was already granted by another change; it cannot be granted twice under one id.`);

  const found = await enrolledStudent(trx, tenantId, args.studentId, {
    noun: what,
    notDone: `the ${what} was not granted`,
    onlyEnrolled: 'discounts and scholarships can only be granted to enrolled students',
  });
  if ('refusal' in found) return reject(found.refusal);
  const { student } = found;

  let categoryName: string | null = null;
  if (args.categoryId !== null) {
    const category = await trx.selectFrom('fee_categories').select(['name', 'deleted']).where('tenant_id', '=', tenantId).where('id', '=', args.categoryId).executeTakeFirst();
    if (!category || category.deleted) {
      return reject(`The fee category of this ${what} for ${student.who} does not exist in this school (it may have been removed); the ${what} was not granted.`);
    }
    categoryName = category.name;
  }

  const { currency } = school;
  const money = (n: number) => formatMinor(n, currency);
  const base = await discountBase(trx, tenantId, { studentId: student.id, categoryId: args.categoryId, term: args.term });
  const charges = `${student.firstName} ${student.lastName}'s ${categoryName ? `${categoryName} ` : ''}charges${args.term ? ` for ${args.term}` : ''}`;
  if (base === 0) {
    return reject(`${student.who} has no ${categoryName ? `${categoryName} ` : ''}charges${args.term ? ` for ${args.term}` : ''} to reduce; post the charges first, then grant the ${what}.`);
  }
  if (args.basis === 'percent') {
    const expected = percentOf(args.percentBp!, base);
    if (args.amountMinor !== expected) {
      return reject(
        `${args.percentBp! / 100}% of ${charges} (${money(base)}) is ${money(expected)}, not ${money(args.amountMinor)}: the charges changed after the ${what} was worked out. Grant it again. Nothing was changed.`,
      );
    }
  } else if (args.amountMinor > base) {
    return reject(`A ${what} of ${money(args.amountMinor)} is more than ${charges} (${money(base)}); a ${what} cannot exceed what it reduces, so grant at most ${money(base)}. Nothing was changed.`);
  }

  await insertDiscount(trx, tenantId, discountRowFromArgs(args, deviceId), { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
