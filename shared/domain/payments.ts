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
  device_id: z.uuid(),
});
export type PaymentRow = z.infer<typeof PaymentRow>;

/** What the bursar submits from the payment form. */
export const RecordPaymentInput = z
  .object({
    studentId: z.uuid({ error: 'Choose a student.' }),
    amountMinor: AmountMinor,
    method: PaymentMethod.default('cash'),
    reference: PaymentReference.optional(),
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
});
export type PaymentView = z.infer<typeof PaymentView>;

export function formatReceiptNo(series: string, n: number): string {
  return `${series}-${String(n).padStart(6, '0')}`;
}
