import type { MutationArgs } from '../../../shared/sync/mutations.js';
import { insertLogin } from '../staff/rows.js';
import type { Applier } from './types.js';

/** A sign-in the device checked itself while offline, for the school's login history. Insert
 * only and idempotent by id: the same attempt pushed twice is one row. The device id comes
 * from the token, never from the arguments. */
export const recordLogin: Applier<MutationArgs<'logins.record'>> = async ({ trx, device, mutationId, authorId }, args) => {
  await insertLogin(
    trx,
    device.tenantId,
    { id: args.id, user_id: args.userId, username: args.username, device_id: device.deviceId, at: args.at, success: args.success, offline: true, reason: args.reason },
    { mutationId, deviceId: device.deviceId, authorId },
  );
  return { status: 'applied' };
};
