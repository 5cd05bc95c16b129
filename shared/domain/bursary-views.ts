import { z } from 'zod';
import { IsoDate } from './fees.js';
import { PaymentMethod } from './payments.js';
import { ExpenseStatus } from './expenses.js';
import { MethodTotals } from './cashup.js';

// What the bursary screens read: list rows with their filters and cursors, the receipt, the
// dashboard and the cash-up. All derived from the ledger on the device, so they work offline.

/** Filters every ledger list understands; a list ignores the ones that do not apply to it. */
export const LedgerFilter = z
  .object({
    /** School dates, inclusive. */
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    className: z.string().trim().min(1).max(40).optional(),
    method: PaymentMethod.optional(),
    /** The staff member who recorded the entry. */
    staffId: z.uuid().optional(),
    categoryId: z.uuid().optional(),
    /** Expenses: category text. */
    expenseCategory: z.string().trim().min(1).max(60).optional(),
    expenseStatus: ExpenseStatus.optional(),
    studentId: z.uuid().optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'The end date is before the start date.' });
export type LedgerFilter = z.infer<typeof LedgerFilter>;

/** Newest first: the (timestamp, id) of the last row of the previous page. */
export const TimeCursor = z.object({ at: z.string().max(40), id: z.string().max(64) });
export type TimeCursor = z.infer<typeof TimeCursor>;

export const listInput = <C extends z.ZodType>(cursor: C) =>
  z.object({
    filter: LedgerFilter.default({}),
    after: cursor.nullable().default(null),
    limit: z.int().min(1).max(1000).default(200),
    /** Ask for the number of matching rows (first page; for "n of total" and export progress). */
    withTotal: z.boolean().default(false),
  });

const page = <R extends z.ZodType, C extends z.ZodType>(row: R, cursor: C) =>
  z.object({ rows: z.array(row), next: cursor.nullable(), total: z.int().nonnegative().nullable() });

export const PaymentListItem = z.object({
  id: z.string(),
  receiptNo: z.string(),
  studentId: z.string(),
  studentName: z.string(),
  admissionNo: z.string(),
  className: z.string().nullable(),
  amountMinor: z.int(),
  method: PaymentMethod,
  reference: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string().nullable(),
  /** The staff member who took it (payments.recorded_by_id), so the "recorded by" filter can
   * offer the people seen on the list to someone who may not list the staff. */
  recordedById: z.string().nullable().optional(),
  deviceName: z.string().nullable(),
  voided: z.boolean(),
  pending: z.boolean(),
  /** Another payment (not voided) carries the same method and reference. */
  duplicateReference: z.boolean(),
});
export type PaymentListItem = z.infer<typeof PaymentListItem>;

export const ChargeListItem = z.object({
  id: z.string(),
  studentId: z.string(),
  studentName: z.string(),
  admissionNo: z.string(),
  className: z.string().nullable(),
  category: z.string(),
  description: z.string(),
  term: z.string().nullable(),
  dueOn: z.string(),
  amountMinor: z.int(),
  postedAt: z.string(),
  postedBy: z.string().nullable(),
  voided: z.boolean(),
  pending: z.boolean(),
});
export type ChargeListItem = z.infer<typeof ChargeListItem>;

export const ExpenseListItem = z.object({
  id: z.string(),
  category: z.string(),
  payee: z.string(),
  description: z.string(),
  amountMinor: z.int(),
  method: PaymentMethod,
  reference: z.string().nullable(),
  spentOn: z.string(),
  attachments: z.array(z.string()),
  recordedAt: z.string(),
  recordedBy: z.string().nullable(),
  recordedById: z.string().nullable(),
  status: ExpenseStatus,
  decidedBy: z.string().nullable(),
  decisionNote: z.string().nullable(),
  pending: z.boolean(),
});
export type ExpenseListItem = z.infer<typeof ExpenseListItem>;

/** Arrears are listed by student name: (last name, first name, id) of the previous page's last row. */
export const NameCursor = z.object({ lastName: z.string().max(80), firstName: z.string().max(80), id: z.string().max(64) });
export type NameCursor = z.infer<typeof NameCursor>;

export const ArrearsListItem = z.object({
  studentId: z.string(),
  studentName: z.string(),
  admissionNo: z.string(),
  className: z.string().nullable(),
  guardianPhone: z.string().nullable(),
  balanceMinor: z.int(),
  notDueMinor: z.int(),
  d0to30Minor: z.int(),
  d31to60Minor: z.int(),
  d61to90Minor: z.int(),
  d90plusMinor: z.int(),
});
export type ArrearsListItem = z.infer<typeof ArrearsListItem>;

export const PaymentsPage = page(PaymentListItem, TimeCursor);
export const ChargesPage = page(ChargeListItem, TimeCursor);
export const ExpensesPage = page(ExpenseListItem, TimeCursor);
export const ArrearsPage = page(ArrearsListItem, NameCursor);

/** Everything a printed receipt shows. */
export const Receipt = z.object({
  schoolName: z.string(),
  currency: z.string(),
  receiptNo: z.string(),
  paymentId: z.string(),
  recordedAt: z.string(),
  /** The school date it was taken, in the school's time zone. */
  businessDate: z.string(),
  student: z.object({ id: z.string(), name: z.string(), admissionNo: z.string(), className: z.string().nullable() }),
  amountMinor: z.int(),
  method: PaymentMethod,
  reference: z.string().nullable(),
  /** What it paid for; `description` null for the part carried forward as credit. */
  lines: z.array(z.object({ description: z.string().nullable(), amountMinor: z.int() })),
  /** The student's balance right after this payment (entries made up to and including it). */
  balanceAfterMinor: z.int(),
  recordedBy: z.string().nullable(),
  deviceName: z.string(),
  voided: z.boolean(),
  voidReason: z.string().nullable(),
  pending: z.boolean(),
});
export type Receipt = z.infer<typeof Receipt>;

export const ClassCollection = z.object({
  className: z.string(),
  chargedMinor: z.int(),
  collectedMinor: z.int(),
  outstandingMinor: z.int(),
  /** Collected ÷ charged, 0–1 (null when nothing was charged). */
  rate: z.number().nullable(),
});
export type ClassCollection = z.infer<typeof ClassCollection>;

export const BursaryDashboard = z.object({
  currency: z.string(),
  today: z.string(),
  term: z.object({ name: z.string(), startsOn: z.string(), endsOn: z.string() }).nullable(),
  collectedTodayMinor: z.int(),
  collectedTermMinor: z.int(),
  /** Everything owed now across the school (positive balances only). */
  outstandingMinor: z.int(),
  studentsInArrears: z.int().nonnegative(),
  byClass: z.array(ClassCollection),
  /** Collected per day over the last 30 school days, oldest first (the chart). */
  daily: z.array(z.object({ date: z.string(), collectedMinor: z.int() })),
  /** Outstanding by fee category. */
  byCategory: z.array(z.object({ category: z.string(), chargedMinor: z.int(), outstandingMinor: z.int() })),
});
export type BursaryDashboard = z.infer<typeof BursaryDashboard>;

export const CashUpView = z.object({
  businessDate: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  deviceName: z.string(),
  /** From the ledger: payments − refunds − cash expenses, by method, voided entries excluded. */
  expected: MethodTotals,
  /** Entries behind `expected`, for the bursar to check against the till. */
  paymentCount: z.int().nonnegative(),
  refundCount: z.int().nonnegative(),
  expenseCount: z.int().nonnegative(),
  closed: z
    .object({ id: z.string(), counted: MethodTotals, expected: MethodTotals, differenceMinor: z.int(), note: z.string(), closedAt: z.string(), pending: z.boolean() })
    .nullable(),
});
export type CashUpView = z.infer<typeof CashUpView>;

export const CashUpListItem = z.object({
  id: z.string(),
  businessDate: z.string(),
  staffName: z.string(),
  deviceName: z.string().nullable(),
  expectedMinor: z.int(),
  countedMinor: z.int(),
  differenceMinor: z.int(),
  note: z.string(),
  closedAt: z.string(),
  pending: z.boolean(),
});
export type CashUpListItem = z.infer<typeof CashUpListItem>;

export const FeeStructureView = z.object({
  id: z.string(),
  className: z.string(),
  term: z.string(),
  active: z.boolean(),
  items: z.array(
    z.object({
      categoryId: z.string(),
      category: z.string(),
      amountMinor: z.int(),
      instalments: z.array(z.object({ dueOn: z.string(), amountMinor: z.int() })),
    }),
  ),
  totalMinor: z.int(),
  /** Enrolled students of the class, and how many of them already carry its charges. */
  studentsInClass: z.int().nonnegative(),
  studentsCharged: z.int().nonnegative(),
  pending: z.boolean(),
});
export type FeeStructureView = z.infer<typeof FeeStructureView>;
