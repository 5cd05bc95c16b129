import type { z } from 'zod';
import { GuardianFields, StudentFields, StudentGuardianFields } from '../domain/students.js';
import { ClassFields, ClassSubjectFields, StudentSubjectFields, SubjectFields } from '../domain/classes.js';
import { AttendanceRecordFields, AttendanceSessionFields } from '../domain/attendance.js';
import { AssessmentFields, GradingScaleFields, ReportCommentFields, ScoreFields } from '../domain/reports.js';
import { EventFields } from '../domain/calendar.js';
import type { ConflictPolicy } from '../domain/records.js';
import type { Permission } from '../domain/permissions.js';

interface EditableDef {
  /** The mutation that saves rows of this table (args: saveArgs(fields)). */
  mutation: string;
  fields: z.ZodObject;
  /** What the author must hold, on the device and again on the server. */
  permission: Permission;
  policy: ConflictPolicy;
}

/** The school office's editable tables: each merges field by field (DESIGN §3) through one
 * generic `*.save` mutation. Ledger tables are not here: they are insert-only. */
export const EDITABLE = {
  students: { mutation: 'students.save', fields: StudentFields, permission: 'students.update', policy: 'other-device' },
  guardians: { mutation: 'guardians.save', fields: GuardianFields, permission: 'students.update', policy: 'other-device' },
  student_guardians: { mutation: 'studentGuardians.save', fields: StudentGuardianFields, permission: 'students.update', policy: 'other-device' },
  classes: { mutation: 'classes.save', fields: ClassFields, permission: 'classes.manage', policy: 'other-device' },
  subjects: { mutation: 'subjects.save', fields: SubjectFields, permission: 'classes.manage', policy: 'other-device' },
  class_subjects: { mutation: 'classSubjects.save', fields: ClassSubjectFields, permission: 'classes.manage', policy: 'other-device' },
  student_subjects: { mutation: 'studentSubjects.save', fields: StudentSubjectFields, permission: 'students.update', policy: 'other-device' },
  events: { mutation: 'events.save', fields: EventFields, permission: 'events.manage', policy: 'other-device' },
  grading_scales: { mutation: 'gradingScales.save', fields: GradingScaleFields, permission: 'classes.manage', policy: 'other-device' },
  assessments: { mutation: 'assessments.save', fields: AssessmentFields, permission: 'scores.enter', policy: 'other-device' },
  scores: { mutation: 'scores.save', fields: ScoreFields, permission: 'scores.enter', policy: 'other-author' },
  report_comments: { mutation: 'reportComments.save', fields: ReportCommentFields, permission: 'scores.enter', policy: 'other-device' },
  attendance_sessions: { mutation: 'attendanceSessions.save', fields: AttendanceSessionFields, permission: 'attendance.mark', policy: 'other-author' },
  attendance_records: { mutation: 'attendance.mark', fields: AttendanceRecordFields, permission: 'attendance.mark', policy: 'other-author' },
} as const satisfies Record<string, EditableDef>;

export type EditableTable = keyof typeof EDITABLE;
export const EDITABLE_TABLES = Object.keys(EDITABLE) as EditableTable[];
export type EditableMutation = (typeof EDITABLE)[EditableTable]['mutation'];
/** The fields a `*.save` of this table may set. */
export type EditableFields<T extends EditableTable> = z.infer<(typeof EDITABLE)[T]['fields']>;

export function isEditableTable(t: string): t is EditableTable {
  return Object.prototype.hasOwnProperty.call(EDITABLE, t);
}

export function editableTableOf(mutation: string): EditableTable | undefined {
  return EDITABLE_TABLES.find((t) => EDITABLE[t].mutation === mutation);
}

/** The fields a derived record id is made from (the same pair of student and guardian is one
 * link, wherever it was made): changing one would make it another record, so no save may. */
export const DERIVED_ID_KEYS: Partial<Record<EditableTable, readonly string[]>> = {
  student_guardians: ['student_id', 'guardian_id'],
  class_subjects: ['class_id', 'subject_id'],
  student_subjects: ['student_id', 'class_subject_id'],
  scores: ['assessment_id', 'student_id'],
  report_comments: ['student_id', 'term'],
  attendance_sessions: ['class_id', 'date', 'period'],
  attendance_records: ['session_id', 'student_id'],
};
