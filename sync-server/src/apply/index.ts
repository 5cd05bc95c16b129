import type { MutationArgs, MutationName } from '../../../shared/sync/mutations.js';
import { closeCashUp } from './cashups.js';
import { grantDiscount } from './discounts.js';
import { decideExpense, recordExpense } from './expenses.js';
import { createFeeCategory, postCharge } from './fees.js';
import { recordLogin } from './logins.js';
import { recordPayment } from './payments.js';
import { recordRefund } from './refunds.js';
import { updateRole } from './roles.js';
import { updateStaffMember } from './staff.js';
import { saveStructure } from './structures.js';
import type { Applier } from './types.js';
import { readMessage, sendMessage } from './messages.js';
import { resolveConflict } from './conflicts.js';
import { saveApplier } from './records/save.js';
import { voidEntry } from './voids.js';

/** One applier per mutation name; a new mutation plugs in here (the type forces it). */
export const appliers: { [K in MutationName]: Applier<MutationArgs<K>> } = {
  'payments.record': recordPayment,
  'roles.update': updateRole,
  'staff.update': updateStaffMember,
  'fees.createCategory': createFeeCategory,
  'charges.post': postCharge,
  'fees.saveStructure': saveStructure,
  'discounts.grant': grantDiscount,
  'refunds.record': recordRefund,
  'expenses.record': recordExpense,
  'expenses.decide': decideExpense,
  'cashup.close': closeCashUp,
  'ledger.void': voidEntry,
  'logins.record': recordLogin,
  'students.save': saveApplier('students'),
  'guardians.save': saveApplier('guardians'),
  'studentGuardians.save': saveApplier('student_guardians'),
  'classes.save': saveApplier('classes'),
  'subjects.save': saveApplier('subjects'),
  'classSubjects.save': saveApplier('class_subjects'),
  'studentSubjects.save': saveApplier('student_subjects'),
  'events.save': saveApplier('events'),
  'gradingScales.save': saveApplier('grading_scales'),
  'assessments.save': saveApplier('assessments'),
  'scores.save': saveApplier('scores'),
  'reportComments.save': saveApplier('report_comments'),
  'attendanceSessions.save': saveApplier('attendance_sessions'),
  'attendance.mark': saveApplier('attendance_records'),
  'messages.send': sendMessage,
  'messages.read': readMessage,
  'conflicts.resolve': resolveConflict,
};
