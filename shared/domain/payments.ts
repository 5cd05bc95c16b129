import { z } from 'zod';
import { CURRENCY_PATTERN, DEFAULT_MAX_PAYMENT_MINOR } from '../money.js';

export const PAYMENT_METHODS = ['cash', 'bank_transfer', 'mobile_money', 'cheque', 'card'] as const;
export const PaymentMethod = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** Methods whose payments carry the bank's or network's reference number. */
export const METHODS_WITH_REFERENCE: readonly PaymentMethod[] = ['bank_transfer', 'mobile_money', 'cheque'];

export const RECEIPT_SERIES_PATTERN = /^[A-Z0-9]{2,8}-D[0-9]{1,4}$/;
export const RECEIPT_NO_PATTERN = /^[A-Z0-9]{2,8}-D[0-9]{1,4}-[0-9]{6,}$/;

export const AmountMinor = z
  .int({ error: 'Amount must be a whole number of minor units (cents), not a fraction.' })
  .positive({ error: 'Amount must be greater than zero.' })
  .max(DEFAULT_MAX_PAYMENT_MINOR, { error: 'Amount is larger than any single fee payment this school accepts; check for an extra zero.' });

export const PaymentReference = z.string().trim().min(1).max(64);

/** Part of a payment set against one charge (what the receipt says it paid for). */
export const AllocationSchema = z.object({ chargeId: z.uuid(), amountMinor: AmountMinor });
export const Allocations = z
  .array(AllocationSchema)
  .max(100)
  .refine((a) => new Set(a.map((x) => x.chargeId)).size === a.length, { error: 'Each charge may be paid once per payment.' });

/** A payment as synced between server and devices (column names as stored). */
export const PaymentRow = z.object({
  id: z.uuid(),
  student_id: z.uuid(),
  amount_minor: AmountMinor,
  currency: z.string().regex(CURRENCY_PATTERN),
  method: PaymentMethod,
  reference: z.string().max(64).nullable(),
  receipt_no: z.string().regex(RECEIPT_NO_PATTERN),
  recorded_at: z.string(),
  recorded_by: z.string().max(80).nullable(),
  /** The staff member who took it (the mutation's author), for cash-up and the bursar filter. */
  recorded_by_id: z.uuid().nullable(),
  device_id: z.uuid(),
  /** The charges it settled when it was recorded; the rest is credit carried forward. */
  allocations: Allocations,
});
export type PaymentRow = z.infer<typeof PaymentRow>;

/** Money paid back to a student's family (an overpayment): insert-only, reversed by a void. */
export const RefundRow = z.object({
  id: z.uuid(),
  student_id: z.uuid(),
  amount_minor: AmountMinor,
  currency: z.string().regex(CURRENCY_PATTERN),
  method: PaymentMethod,
  reference: z.string().max(64).nullable(),
  reason: z.string().max(200),
  refunded_at: z.string(),
  refunded_by: z.string().max(80).nullable(),
  refunded_by_id: z.uuid().nullable(),
  device_id: z.uuid(),
});
export type RefundRow = z.infer<typeof RefundRow>;

/** What the bursar submits from the payment form. */
export const RecordPaymentInput = z
  .object({
    studentId: z.uuid({ error: 'Choose a student.' }),
    amountMinor: AmountMinor,
    method: PaymentMethod.default('cash'),
    reference: PaymentReference.optional(),
    /** Which charges it pays; omitted: the oldest-due charges first, the rest as credit. */
    allocations: Allocations.optional(),
  })
  .refine((p) => (p.allocations ?? []).reduce((s, a) => s + a.amountMinor, 0) <= p.amountMinor, {
    path: ['allocations'],
    error: 'The amounts set against charges add up to more than the payment.',
  })
  .refine((p) => !METHODS_WITH_REFERENCE.includes(p.method) || p.reference !== undefined, {
    path: ['reference'],
    error: 'This payment method needs the reference number from the bank slip, cheque or message.',
  });
export type RecordPaymentInput = z.input<typeof RecordPaymentInput>;

export const PaymentView = z.object({
  id: z.string(),
  studentId: z.string(),
  amountMinor: z.number(),
  currency: z.string(),
  method: PaymentMethod,
  reference: z.string().nullable(),
  receiptNo: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string().nullable(),
  pending: z.boolean(),
  /** Reversed by a void (the payment row itself is never changed). */
  voided: z.boolean(),
  allocations: z.array(z.object({ chargeId: z.string(), amountMinor: z.int() })),
  /** Receipt numbers of other (not voided) payments with the same method and reference: a
   * bank slip or mobile-money message entered twice. Flagged, never refused. */
  duplicateReferenceOf: z.array(z.string()),
});
export type PaymentView = z.infer<typeof PaymentView>;

export function formatReceiptNo(series: string, n: number): string {
  return `${series}-${String(n).padStart(6, '0')}`;
}
