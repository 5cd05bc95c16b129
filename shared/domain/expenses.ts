import { z } from 'zod';
import { CURRENCY_PATTERN } from '../money.js';
import { AmountMinor, PaymentMethod } from './payments.js';
import { IsoDate } from './fees.js';

/** A file name only (the file itself stays in the office's records): no folders, no control
 * characters, so it is safe to show and to put in a CSV. */
export const AttachmentName = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .regex(/^[^/\\\u0000-\u001f]+$/, { error: 'An attachment is a file name like "invoice-0423.pdf", without folders.' });

/** Money the school spent: insert-only, reversed by a void; approved or rejected by a second
 * person (never the one who recorded it). */
export const ExpenseRow = z.object({
  id: z.uuid(),
  category: z.string().trim().min(1).max(60),
  payee: z.string().trim().min(1).max(120),
  description: z.string().max(200),
  amount_minor: AmountMinor,
  currency: z.string().regex(CURRENCY_PATTERN),
  method: PaymentMethod,
  reference: z.string().max(64).nullable(),
  spent_on: IsoDate,
  attachments: z.array(AttachmentName).max(10),
  recorded_at: z.string(),
  recorded_by: z.string().max(80).nullable(),
  recorded_by_id: z.uuid().nullable(),
  device_id: z.uuid(),
});
export type ExpenseRow = z.infer<typeof ExpenseRow>;

export const EXPENSE_DECISIONS = ['approved', 'rejected'] as const;
export const ExpenseDecision = z.enum(EXPENSE_DECISIONS);
export type ExpenseDecision = z.infer<typeof ExpenseDecision>;

/** The second person's decision on an expense: insert-only, one per expense. */
export const ExpenseApprovalRow = z.object({
  id: z.uuid(),
  expense_id: z.uuid(),
  decision: ExpenseDecision,
  note: z.string().max(200),
  decided_at: z.string(),
  decided_by: z.string().max(80).nullable(),
  decided_by_id: z.uuid().nullable(),
  device_id: z.uuid(),
});
export type ExpenseApprovalRow = z.infer<typeof ExpenseApprovalRow>;

export const EXPENSE_STATUSES = ['pending', 'approved', 'rejected', 'voided'] as const;
export const ExpenseStatus = z.enum(EXPENSE_STATUSES);
export type ExpenseStatus = z.infer<typeof ExpenseStatus>;
