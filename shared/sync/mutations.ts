import { z } from 'zod';
import { Allocations, AmountMinor, PaymentMethod, PaymentReference, RECEIPT_NO_PATTERN } from '../domain/payments.js';
import { CURRENCY_PATTERN } from '../money.js';
import type { PaymentRow, RefundRow } from '../domain/payments.js';
import type { ChargeRow, DiscountRow, FeeStructureRow, VoidRow } from '../domain/fees.js';
import { DisplayName } from '../domain/staff.js';
import { DiscountBasis, DiscountKind, FeeStructureItems, IsoDate, VoidableTable, VoidReason } from '../domain/fees.js';
import { AttachmentName, ExpenseDecision, type ExpenseApprovalRow, type ExpenseRow } from '../domain/expenses.js';
import { CountedTotals, MethodTotals, sumTotals, type CashUpRow } from '../domain/cashup.js';
import { Permission } from '../domain/permissions.js';
import { derivedId } from '../ids.js';
import type { Permission as PermissionName } from '../domain/permissions.js';
import { saveArgs } from '../domain/records.js';
import { ConflictResolution } from '../domain/conflicts.js';
import { EDITABLE } from './editable.js';
import type { MessageRow } from '../domain/messages.js';

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
    /** Absent in mutations queued before allocations existed: all of it is credit then. */
    allocations: Allocations.default([]),
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
    /** Set when the charge comes from applying a fee structure; its id is then derived
     * (structureChargeId), and a second office applying the same line changes nothing. */
    structureId: z.uuid().nullable().default(null),
  }),
  /** Creates or replaces a class's fee structure for a term (the latest save wins). */
  'fees.saveStructure': z.object({
    id: z.uuid(),
    className: z.string().trim().min(1, { error: 'Name the class, e.g. "Grade 4".' }).max(40),
    term: z.string().trim().min(1, { error: 'Name the term, e.g. "Term 1 2027".' }).max(40),
    items: FeeStructureItems,
    active: z.boolean(),
  }),
  /** A discount or scholarship for one student, as an amount (a percentage already worked out). */
  'discounts.grant': z
    .object({
      id: z.uuid(),
      studentId: z.uuid(),
      categoryId: z.uuid().nullable(),
      kind: DiscountKind,
      basis: DiscountBasis,
      percentBp: z.int().min(1).max(10_000).nullable(),
      amountMinor: AmountMinor,
      term: z.string().trim().max(40).nullable(),
      reason: VoidReason,
      postedAt: z.iso.datetime({ offset: true }),
      postedBy: z.string().max(80).nullable(),
    })
    .refine((d) => (d.basis === 'percent') === (d.percentBp !== null), { path: ['percentBp'], error: 'A percentage discount names its percentage; a fixed one does not.' }),
  /** Pays back part of a student's credit (an overpayment). */
  'refunds.record': z.object({
    id: z.uuid(),
    studentId: z.uuid(),
    amountMinor: AmountMinor,
    currency: z.string().regex(CURRENCY_PATTERN),
    method: PaymentMethod,
    reference: PaymentReference.nullable(),
    reason: VoidReason,
    refundedAt: z.iso.datetime({ offset: true }),
    refundedBy: z.string().max(80).nullable(),
  }),
  'expenses.record': z.object({
    id: z.uuid(),
    category: z.string().trim().min(1, { error: 'Choose or type an expense category.' }).max(60),
    payee: z.string().trim().min(1, { error: 'Say who was paid.' }).max(120),
    description: z.string().trim().max(200),
    amountMinor: AmountMinor,
    currency: z.string().regex(CURRENCY_PATTERN),
    method: PaymentMethod,
    reference: PaymentReference.nullable(),
    spentOn: IsoDate,
    attachments: z.array(AttachmentName).max(10, { error: 'At most 10 attachments per expense.' }),
    recordedAt: z.iso.datetime({ offset: true }),
    recordedBy: z.string().max(80).nullable(),
  }),
  /** A second person approves or rejects an expense (never the person who recorded it). */
  'expenses.decide': z.object({
    id: z.uuid(),
    expenseId: z.uuid(),
    decision: ExpenseDecision,
    note: z.string().trim().max(200),
    decidedAt: z.iso.datetime({ offset: true }),
    decidedBy: z.string().max(80).nullable(),
  }),
  /** Closes the author's day on this device: expected (from the ledger) against counted. */
  'cashup.close': z.object({
    id: z.uuid(),
    businessDate: IsoDate,
    staffName: z.string().max(80),
    expected: MethodTotals,
    counted: CountedTotals,
    note: z.string().trim().max(500),
    closedAt: z.iso.datetime({ offset: true }),
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
  // ---- the school office (issue 5): editable records, merged field by field ----
  'students.save': saveArgs(EDITABLE.students.fields),
  'guardians.save': saveArgs(EDITABLE.guardians.fields),
  'studentGuardians.save': saveArgs(EDITABLE.student_guardians.fields),
  'classes.save': saveArgs(EDITABLE.classes.fields),
  'subjects.save': saveArgs(EDITABLE.subjects.fields),
  'classSubjects.save': saveArgs(EDITABLE.class_subjects.fields),
  'studentSubjects.save': saveArgs(EDITABLE.student_subjects.fields),
  'events.save': saveArgs(EDITABLE.events.fields),
  'gradingScales.save': saveArgs(EDITABLE.grading_scales.fields),
  'assessments.save': saveArgs(EDITABLE.assessments.fields),
  'scores.save': saveArgs(EDITABLE.scores.fields),
  'reportComments.save': saveArgs(EDITABLE.report_comments.fields),
  'attendanceSessions.save': saveArgs(EDITABLE.attendance_sessions.fields),
  'attendance.mark': saveArgs(EDITABLE.attendance_records.fields),
  /** A message to staff (the sender is the mutation's author; the server takes the name from the staff row). */
  'messages.send': z.object({
    id: z.uuid(),
    toStaffIds: z.array(z.uuid()).min(1, { error: 'Choose at least one recipient.' }).max(500),
    toLabel: z.string().trim().max(200),
    subject: z.string().trim().min(1, { error: 'Give the message a subject.' }).max(150),
    body: z.string().max(5000, { error: 'A message can have at most 5,000 characters.' }),
    sentAt: z.iso.datetime({ offset: true }),
  }),
  /** The author read a message addressed to them (the first read counts). */
  'messages.read': z.object({ messageId: z.uuid(), readAt: z.iso.datetime({ offset: true }) }),
  /** Closes a conflict: keep the value the server kept, or restore the one it replaced (refused
   * if the field changed again since). The author needs the permission of the conflict's table. */
  'conflicts.resolve': z.object({ conflictId: z.uuid(), resolution: ConflictResolution, resolvedAt: z.iso.datetime({ offset: true }) }),
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
  'fees.saveStructure': 'fees.manage',
  'discounts.grant': 'fees.manage',
  'refunds.record': 'payments.void',
  'expenses.record': 'expenses.record',
  'expenses.decide': 'expenses.approve',
  'cashup.close': 'payments.record',
  'ledger.void': 'payments.void',
  'logins.record': null,
  'students.save': EDITABLE.students.permission,
  'guardians.save': EDITABLE.guardians.permission,
  'studentGuardians.save': EDITABLE.student_guardians.permission,
  'classes.save': EDITABLE.classes.permission,
  'subjects.save': EDITABLE.subjects.permission,
  'classSubjects.save': EDITABLE.class_subjects.permission,
  'studentSubjects.save': EDITABLE.student_subjects.permission,
  'events.save': EDITABLE.events.permission,
  'gradingScales.save': EDITABLE.grading_scales.permission,
  'assessments.save': EDITABLE.assessments.permission,
  'scores.save': EDITABLE.scores.permission,
  'reportComments.save': EDITABLE.report_comments.permission,
  'attendanceSessions.save': EDITABLE.attendance_sessions.permission,
  'attendance.mark': EDITABLE.attendance_records.permission,
  'messages.send': null,
  'messages.read': null,
  'conflicts.resolve': null,
};

/** Bumped when a mutation's arguments change incompatibly; the server refuses versions it cannot read. */
export const MUTATION_SCHEMA_VERSION = 1;

/** The payment row a `payments.record` mutation writes, on the device and on the server alike;
 * the device id is the author's (on the server: from its token, never from the arguments). */
export function paymentRowFromArgs(args: MutationArgs<'payments.record'>, deviceId: string, authorId: string | null): PaymentRow {
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
    recorded_by_id: authorId,
    device_id: deviceId,
    allocations: args.allocations,
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
    structure_id: args.structureId,
  };
}

/** The id of the charge for one instalment of one line of a structure, for one student: the
 * same on every device, so applying a structure twice (or on two offices) charges once. */
export function structureChargeId(structureId: string, studentId: string, categoryId: string, dueOn: string): string {
  return derivedId('structure-charge', structureId, studentId, categoryId, dueOn);
}

export function structureRowFromArgs(args: MutationArgs<'fees.saveStructure'>): FeeStructureRow {
  return { id: args.id, class_name: args.className, term: args.term, items: args.items, active: args.active };
}

export function discountRowFromArgs(args: MutationArgs<'discounts.grant'>, deviceId: string): DiscountRow {
  return {
    id: args.id,
    student_id: args.studentId,
    category_id: args.categoryId,
    kind: args.kind,
    basis: args.basis,
    percent_bp: args.percentBp,
    amount_minor: args.amountMinor,
    term: args.term,
    reason: args.reason,
    posted_at: args.postedAt,
    posted_by: args.postedBy,
    device_id: deviceId,
  };
}

export function refundRowFromArgs(args: MutationArgs<'refunds.record'>, deviceId: string, authorId: string | null): RefundRow {
  return {
    id: args.id,
    student_id: args.studentId,
    amount_minor: args.amountMinor,
    currency: args.currency,
    method: args.method,
    reference: args.reference,
    reason: args.reason,
    refunded_at: args.refundedAt,
    refunded_by: args.refundedBy,
    refunded_by_id: authorId,
    device_id: deviceId,
  };
}

export function expenseRowFromArgs(args: MutationArgs<'expenses.record'>, deviceId: string, authorId: string | null): ExpenseRow {
  return {
    id: args.id,
    category: args.category,
    payee: args.payee,
    description: args.description,
    amount_minor: args.amountMinor,
    currency: args.currency,
    method: args.method,
    reference: args.reference,
    spent_on: args.spentOn,
    attachments: args.attachments,
    recorded_at: args.recordedAt,
    recorded_by: args.recordedBy,
    recorded_by_id: authorId,
    device_id: deviceId,
  };
}

export function expenseApprovalRowFromArgs(args: MutationArgs<'expenses.decide'>, deviceId: string, authorId: string | null): ExpenseApprovalRow {
  return {
    id: args.id,
    expense_id: args.expenseId,
    decision: args.decision,
    note: args.note,
    decided_at: args.decidedAt,
    decided_by: args.decidedBy,
    decided_by_id: authorId,
    device_id: deviceId,
  };
}

/** The cash-up row; its bursar is the mutation's author (on the server: never from the args). */
export function cashUpRowFromArgs(args: MutationArgs<'cashup.close'>, deviceId: string, authorId: string): CashUpRow {
  return {
    id: args.id,
    business_date: args.businessDate,
    device_id: deviceId,
    staff_id: authorId,
    staff_name: args.staffName,
    expected: args.expected,
    counted: args.counted,
    difference_minor: sumTotals(args.counted) - sumTotals(args.expected),
    note: args.note,
    closed_at: args.closedAt,
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

/** The message row a `messages.send` mutation writes; sender and device are the author's. */
export function messageRowFromArgs(args: MutationArgs<'messages.send'>, deviceId: string, senderId: string, senderName: string): MessageRow {
  return {
    id: args.id,
    sender_id: senderId,
    sender_name: senderName,
    to_staff_ids: args.toStaffIds,
    to_label: args.toLabel,
    subject: args.subject,
    body: args.body,
    sent_at: args.sentAt,
    device_id: deviceId,
  };
}
