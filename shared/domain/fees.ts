import { z } from 'zod';
import { CURRENCY_PATTERN } from '../money.js';
import { AmountMinor } from './payments.js';

/** A kind of fee (tuition, lunch, transport…): editable, synced. */
export const FeeCategoryRow = z.object({
  id: z.uuid(),
  name: z.string().trim().min(1).max(60),
  active: z.boolean(),
});
export type FeeCategoryRow = z.infer<typeof FeeCategoryRow>;

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const IsoDate = z
  .string()
  .regex(ISO_DATE, { error: 'Use a date like 2026-01-31.' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { error: 'That date does not exist.' });

/** A fee charged to a student: an insert-only ledger row. Mistakes are corrected by a void. */
export const ChargeRow = z.object({
  id: z.uuid(),
  student_id: z.uuid(),
  category_id: z.uuid(),
  description: z.string().max(120),
  amount_minor: AmountMinor,
  currency: z.string().regex(CURRENCY_PATTERN),
  term: z.string().max(40).nullable(),
  due_on: IsoDate,
  posted_at: z.string(),
  posted_by: z.string().max(80).nullable(),
  device_id: z.uuid(),
});
export type ChargeRow = z.infer<typeof ChargeRow>;

export const VOIDABLE_TABLES = ['payments', 'charges'] as const;
export const VoidableTable = z.enum(VOIDABLE_TABLES);
export type VoidableTable = z.infer<typeof VoidableTable>;

export const VoidReason = z.string().trim().min(3, { error: 'Give the reason for the void (at least 3 characters).' }).max(200);

/** The reversal of one payment or charge: insert-only, at most one per entry, never voided itself. */
export const VoidRow = z.object({
  id: z.uuid(),
  target_table: VoidableTable,
  target_id: z.uuid(),
  reason: VoidReason,
  voided_at: z.string(),
  voided_by: z.string().max(80).nullable(),
  device_id: z.uuid(),
});
export type VoidRow = z.infer<typeof VoidRow>;

/** One line of a student's statement, oldest first, with the balance after it. */
export const StatementEntry = z.object({
  kind: z.enum(['charge', 'payment']),
  id: z.string(),
  date: z.string(),
  description: z.string(),
  /** What the student owes more (charges). */
  debitMinor: z.int(),
  /** What the student paid (payments). */
  creditMinor: z.int(),
  balanceMinor: z.int(),
  voided: z.boolean(),
  voidReason: z.string().nullable(),
  pending: z.boolean(),
});
export type StatementEntry = z.infer<typeof StatementEntry>;

export const Statement = z.object({
  studentId: z.string(),
  currency: z.string(),
  entries: z.array(StatementEntry),
  /** Charges minus payments, voided entries excluded: positive = owed, negative = credit. */
  balanceMinor: z.int(),
});
export type Statement = z.infer<typeof Statement>;
