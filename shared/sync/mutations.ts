import { z } from 'zod';
import { AmountMinor, PaymentMethod, PaymentReference, RECEIPT_NO_PATTERN } from '../domain/payments.js';
import { CURRENCY_PATTERN } from '../money.js';
import type { PaymentRow } from '../domain/payments.js';
import { DisplayName } from '../domain/staff.js';
import { Permission } from '../domain/permissions.js';
import type { Permission as PermissionName } from '../domain/permissions.js';

/** Arguments of each mutation a device may push. The server re-validates them with the same
 * schemas and re-checks every business rule: the device is never trusted. */
export const mutationArgs = {
  'payments.record': z.object({
    id: z.uuid(),
    studentId: z.uuid(),
    amountMinor: AmountMinor,
    currency: z.string().regex(CURRENCY_PATTERN),
    method: PaymentMethod,
    reference: PaymentReference.nullable(),
    receiptNo: z.string().regex(RECEIPT_NO_PATTERN),
    recordedAt: z.iso.datetime({ offset: true }),
    recordedBy: z.string().max(80).nullable(),
  }),
  'roles.update': z.object({
    roleId: z.uuid(),
    permissions: z.array(Permission).max(64),
  }),
  /** An administrator changes a staff member's role, name, or disables/enables the account. */
  'staff.update': z
    .object({
      staffId: z.uuid(),
      roleId: z.uuid().optional(),
      displayName: DisplayName.optional(),
      active: z.boolean().optional(),
    })
    .refine((a) => a.roleId !== undefined || a.displayName !== undefined || a.active !== undefined, { error: 'Nothing to change.' }),
  /** A sign-in made on the device while offline, for the school's login history. */
  'logins.record': z.object({
    id: z.uuid(),
    userId: z.uuid().nullable(),
    username: z.string().max(64),
    at: z.iso.datetime({ offset: true }),
    success: z.boolean(),
    reason: z.string().max(200).nullable(),
  }),
} as const;

export type MutationName = keyof typeof mutationArgs;
export type MutationArgs<K extends MutationName> = z.infer<(typeof mutationArgs)[K]>;
export const MUTATION_NAMES = Object.keys(mutationArgs) as MutationName[];

/** The permission the author of each mutation must hold when the server applies it (null: any
 * signed-in staff member, or the device itself). */
export const MUTATION_PERMISSION: Record<MutationName, PermissionName | null> = {
  'payments.record': 'payments.record',
  'roles.update': 'roles.manage',
  'staff.update': 'staff.manage',
  'logins.record': null,
};

/** Bumped when a mutation's arguments change incompatibly; the server refuses versions it cannot read. */
export const MUTATION_SCHEMA_VERSION = 1;

/** The payment row a `payments.record` mutation writes, on the device and on the server alike;
 * the device id is the author's (on the server: from its token, never from the arguments). */
export function paymentRowFromArgs(args: MutationArgs<'payments.record'>, deviceId: string): PaymentRow {
  return {
    id: args.id,
    student_id: args.studentId,
    amount_minor: args.amountMinor,
    currency: args.currency,
    method: args.method,
    reference: args.reference,
    receipt_no: args.receiptNo,
    recorded_at: args.recordedAt,
    recorded_by: args.recordedBy,
    device_id: deviceId,
  };
}
