import { z } from 'zod';
import { AmountMinor, PaymentMethod, PaymentReference, RECEIPT_NO_PATTERN } from '../domain/payments.js';
import { CURRENCY_PATTERN } from '../money.js';

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
} as const;

export type MutationName = keyof typeof mutationArgs;
export type MutationArgs<K extends MutationName> = z.infer<(typeof mutationArgs)[K]>;
export const MUTATION_NAMES = Object.keys(mutationArgs) as MutationName[];

/** Bumped when a mutation's arguments change incompatibly; the server refuses versions it cannot read. */
export const MUTATION_SCHEMA_VERSION = 1;
