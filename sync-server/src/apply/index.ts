import type { MutationArgs, MutationName } from '../../../shared/sync/mutations.js';
import { closeCashUp } from './cashups.js';
import { grantDiscount } from './discounts.js';
import { decideExpense, recordExpense } from './expenses.js';
import { createFeeCategory, postCharge } from './fees.js';
import { recordLogin } from './logins.js';
import { recordPayment } from './payments.js';
import { recordRefund } from './refunds.js';
import { updateRole } from './roles.js';
import { updateStaffMember } from './staff.js';
import { saveStructure } from './structures.js';
import type { Applier } from './types.js';
import { voidEntry } from './voids.js';

/** One applier per mutation name; a new mutation plugs in here (the type forces it). */
export const appliers: { [K in MutationName]: Applier<MutationArgs<K>> } = {
  'payments.record': recordPayment,
  'roles.update': updateRole,
  'staff.update': updateStaffMember,
  'fees.createCategory': createFeeCategory,
  'charges.post': postCharge,
  'fees.saveStructure': saveStructure,
  'discounts.grant': grantDiscount,
  'refunds.record': recordRefund,
  'expenses.record': recordExpense,
  'expenses.decide': decideExpense,
  'cashup.close': closeCashUp,
  'ledger.void': voidEntry,
  'logins.record': recordLogin,
};
