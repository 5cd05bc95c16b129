import type { MutationArgs, MutationName } from '../../../shared/sync/mutations.js';
import { createFeeCategory, postCharge } from './fees.js';
import { recordLogin } from './logins.js';
import { recordPayment } from './payments.js';
import { updateRole } from './roles.js';
import { updateStaffMember } from './staff.js';
import type { Applier } from './types.js';
import { voidEntry } from './voids.js';

/** One applier per mutation name; a new mutation plugs in here (the type forces it). */
export const appliers: { [K in MutationName]: Applier<MutationArgs<K>> } = {
  'payments.record': recordPayment,
  'roles.update': updateRole,
  'staff.update': updateStaffMember,
  'fees.createCategory': createFeeCategory,
  'charges.post': postCharge,
  'ledger.void': voidEntry,
  'logins.record': recordLogin,
};
