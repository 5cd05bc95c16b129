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
  /** The fee structure this charge was applied from (its id is derived from structure, student
   * and line, so two offices applying the same structure offline charge the student once). */
  structure_id: z.uuid().nullable(),
});
export type ChargeRow = z.infer<typeof ChargeRow>;

export const Instalment = z.object({ dueOn: IsoDate, amountMinor: AmountMinor });
export type Instalment = z.infer<typeof Instalment>;

/** One fee of a structure, e.g. tuition 1,200.00, optionally paid in instalments with due dates. */
export const FeeStructureItem = z
  .object({
    categoryId: z.uuid({ error: 'Choose a fee category.' }),
    amountMinor: AmountMinor,
    /** At least one: a fee paid at once has a single instalment of its whole amount. */
    instalments: z.array(Instalment).min(1, { error: 'Give the fee a due date.' }).max(12, { error: 'At most 12 instalments.' }),
  })
  .refine((i) => i.instalments.reduce((s, x) => s + x.amountMinor, 0) === i.amountMinor, {
    path: ['instalments'],
    error: 'The instalments must add up to the fee.',
  })
  .refine((i) => i.instalments.every((x, n) => n === 0 || i.instalments[n - 1]!.dueOn < x.dueOn), {
    path: ['instalments'],
    error: 'Instalment due dates must be in order, one per date.',
  });
export type FeeStructureItem = z.infer<typeof FeeStructureItem>;

export const FeeStructureItems = z
  .array(FeeStructureItem)
  .min(1, { error: 'Add at least one fee to the structure.' })
  .max(30)
  .refine((items) => new Set(items.map((i) => i.categoryId)).size === items.length, { error: 'Each fee category may appear once in a structure.' });

/** What a class pays in a term ("Grade 4, Term 1: tuition 1,200.00, lunch 300.00"). Editable:
 * the latest save wins in server order; charges already applied from it are not changed. */
export const FeeStructureRow = z.object({
  id: z.uuid(),
  class_name: z.string().trim().min(1).max(40),
  term: z.string().trim().min(1).max(40),
  items: FeeStructureItems,
  active: z.boolean(),
});
export type FeeStructureRow = z.infer<typeof FeeStructureRow>;

export const DISCOUNT_KINDS = ['discount', 'scholarship'] as const;
export const DiscountKind = z.enum(DISCOUNT_KINDS);
export const DISCOUNT_BASES = ['percent', 'fixed'] as const;
export const DiscountBasis = z.enum(DISCOUNT_BASES);

/** A discount or scholarship granted to one student: an insert-only credit on the ledger. A
 * percentage is turned into an amount when it is granted (of that category's charges for the
 * term, or of all the term's charges), so the ledger only ever holds amounts. */
export const DiscountRow = z.object({
  id: z.uuid(),
  student_id: z.uuid(),
  /** The fee category it reduces, or null for the student's whole bill. */
  category_id: z.uuid().nullable(),
  kind: DiscountKind,
  basis: DiscountBasis,
  /** For percentages: basis points (2500 = 25%). */
  percent_bp: z.int().min(1).max(10_000).nullable(),
  amount_minor: AmountMinor,
  term: z.string().max(40).nullable(),
  reason: z.string().max(200),
  posted_at: z.string(),
  posted_by: z.string().max(80).nullable(),
  device_id: z.uuid(),
});
export type DiscountRow = z.infer<typeof DiscountRow>;

export const VOIDABLE_TABLES = ['payments', 'charges', 'discounts', 'refunds', 'expenses'] as const;
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
  kind: z.enum(['charge', 'payment', 'discount', 'refund']),
  id: z.string(),
  date: z.string(),
  description: z.string(),
  /** What the student owes more (charges, refunds paid out). */
  debitMinor: z.int(),
  /** What reduces the bill (payments, discounts). */
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
  /** Charges − payments − discounts + refunds, voided entries excluded: positive = owed,
   * negative = credit carried forward. */
  balanceMinor: z.int(),
  /** Overpayments and unused discounts, available to refund or to settle later charges. */
  creditMinor: z.int().nonnegative(),
  /** What is still owed, by how long past due (on the school's today). */
  arrears: z.object({
    notDueMinor: z.int(),
    d0to30Minor: z.int(),
    d31to60Minor: z.int(),
    d61to90Minor: z.int(),
    d90plusMinor: z.int(),
  }),
  /** Still owed per charge, oldest due first (what a payment would settle). */
  openCharges: z.array(z.object({ chargeId: z.string(), description: z.string(), dueOn: z.string(), outstandingMinor: z.int().positive() })),
});
export type Statement = z.infer<typeof Statement>;
