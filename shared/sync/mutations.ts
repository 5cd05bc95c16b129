import { z } from 'zod';
import { AmountMinor, PaymentMethod, PaymentReference, RECEIPT_NO_PATTERN } from '../domain/payments.js';
import { CURRENCY_PATTERN } from '../money.js';
import type { PaymentRow } from '../domain/payments.js';
import type { ChargeRow, VoidRow } from '../domain/fees.js';
import { DisplayName } from '../domain/staff.js';
import { IsoDate, VoidableTable, VoidReason } from '../domain/fees.js';
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
  'fees.createCategory': z.object({ id: z.uuid(), name: z.string().trim().min(1).max(60) }),
  'charges.post': z.object({
    id: z.uuid(),
    studentId: z.uuid(),
    categoryId: z.uuid(),
    description: z.string().trim().max(120),
    amountMinor: AmountMinor,
    currency: z.string().regex(CURRENCY_PATTERN),
    term: z.string().trim().max(40).nullable(),
    dueOn: IsoDate,
    postedAt: z.iso.datetime({ offset: true }),
    postedBy: z.string().max(80).nullable(),
  }),
  /** Reverses one payment or charge, with a reason; the original is never changed. */
  'ledger.void': z.object({
    id: z.uuid(),
    targetTable: VoidableTable,
    targetId: z.uuid(),
    reason: VoidReason,
    voidedAt: z.iso.datetime({ offset: true }),
    voidedBy: z.string().max(80).nullable(),
  }),
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
  'fees.createCategory': 'fees.manage',
  'charges.post': 'fees.manage',
  'ledger.void': 'payments.void',
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

/** The charge row a `charges.post` mutation writes, on the device and on the server alike. */
export function chargeRowFromArgs(args: MutationArgs<'charges.post'>, deviceId: string): ChargeRow {
  return {
    id: args.id,
    student_id: args.studentId,
    category_id: args.categoryId,
    description: args.description,
    amount_minor: args.amountMinor,
    currency: args.currency,
    term: args.term,
    due_on: args.dueOn,
    posted_at: args.postedAt,
    posted_by: args.postedBy,
    device_id: deviceId,
  };
}

/** The void row a `ledger.void` mutation writes, on the device and on the server alike. */
export function voidRowFromArgs(args: MutationArgs<'ledger.void'>, deviceId: string): VoidRow {
  return {
    id: args.id,
    target_table: args.targetTable,
    target_id: args.targetId,
    reason: args.reason,
    voided_at: args.voidedAt,
    voided_by: args.voidedBy,
    device_id: deviceId,
  };
}
