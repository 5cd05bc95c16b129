import { cashUpRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { findCashUp, schoolDateTime } from '../ledger/closed-day.js';
import { insertCashUp } from '../ledger/rows.js';
import { reject, type Applier } from './types.js';

/**
 * Closes the author's day on this device: at most once per (device, bursar, business date), a
 * unique key holding that under concurrent pushes too. The expected figures are stored as the
 * device sent them: they are what the bursar counted against, from the ledger that device held.
 * From then on the server refuses that bursar's payments, refunds and expenses into that day on
 * that device (see closed-day.ts).
 */
export const closeCashUp: Applier<MutationArgs<'cashup.close'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;
  // MUTATION_PERMISSION requires a signed-in author, so this only guards the type.
  if (!authorId) return reject('A cash-up is closed by the signed-in bursar; sign in, then close the day again.');

  const sameId = await trx.selectFrom('cash_ups').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (sameId) return reject('A cash-up with this id was already recorded by another change; it cannot be recorded twice under one id.');

  const earlier = await findCashUp(trx, tenantId, { deviceId, staffId: authorId, businessDate: args.businessDate });
  if (earlier) {
    return reject(`${earlier.staffName}'s day ${args.businessDate} on this computer was already closed at ${schoolDateTime(earlier.closedAt, school.timeZone)}; a day is closed once. Nothing was changed.`);
  }

  await insertCashUp(trx, tenantId, cashUpRowFromArgs(args, deviceId, authorId), { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
