import { z } from 'zod';
import { GuardianFields, StudentFields, StudentFilter, StudentStatus } from './students.js';
import { ClassFields, SubjectFields } from './classes.js';

// What the students and classes screens read and send (issue 5). Editable values travel as the
// row's own fields (snake_case, as EDITABLE declares them): the form sends them all back and
// core saves only the ones that changed.

export const GuardianLinkView = z.object({
  guardianId: z.string(),
  values: GuardianFields,
  relationship: z.string(),
  paysFees: z.boolean(),
});
export type GuardianLinkView = z.infer<typeof GuardianLinkView>;

export const SiblingView = z.object({
  id: z.string(),
  name: z.string(),
  admissionNo: z.string(),
  className: z.string().nullable(),
  status: StudentStatus,
});
export type SiblingView = z.infer<typeof SiblingView>;

export const StudentProfile = z.object({
  id: z.string(),
  values: StudentFields,
  className: z.string().nullable(),
  guardianPhone: z.string().nullable(),
  guardians: z.array(GuardianLinkView),
  /** Students who share a guardian with this one. */
  siblings: z.array(SiblingView),
});
export type StudentProfile = z.infer<typeof StudentProfile>;

export const SaveStudentInput = z.object({
  /** Absent: a new student. */
  id: z.uuid().optional(),
  values: StudentFields,
});

export const LinkGuardianInput = z
  .object({
    studentId: z.uuid(),
    /** An existing guardian (a sibling's parent); absent for a new one. */
    guardianId: z.uuid().optional(),
    /** The guardian's details: required for a new guardian, an edit for an existing one. */
    details: GuardianFields.optional(),
    relationship: z.string().trim().min(1, { error: 'Say how the guardian is related, e.g. "Mother".' }).max(40),
    paysFees: z.boolean(),
  })
  .refine((i) => i.guardianId !== undefined || i.details !== undefined, { path: ['details'], error: "Enter the new guardian's details, or choose an existing guardian." });

export const GuardianMatch = z.object({
  id: z.string(),
  values: GuardianFields,
  /** The students this guardian is linked to, e.g. "Amina Achieng, Brian Achieng". */
  children: z.string(),
});
export type GuardianMatch = z.infer<typeof GuardianMatch>;

/** A bulk change applies to the students ticked, or to every student matching the list's filter. */
export const BulkTarget = z.union([
  z.object({ ids: z.array(z.uuid()).min(1, { error: 'Select at least one student.' }).max(5000) }),
  z.object({ filter: StudentFilter }),
]);
export type BulkTarget = z.infer<typeof BulkTarget>;

export const BulkChange = z.union([z.object({ classId: z.uuid().nullable() }), z.object({ status: StudentStatus })]);
export type BulkChange = z.infer<typeof BulkChange>;

export const BulkResult = z.object({
  /** Students the change was asked for, and those it actually changed (the rest already had it). */
  selected: z.int().nonnegative(),
  changed: z.int().nonnegative(),
  /** The students it changed (for the offer to charge a class's fees to those who joined it). */
  changedIds: z.array(z.string()),
});
export type BulkResult = z.infer<typeof BulkResult>;

/** A subject taught in a class, as lists and pickers show it. */
export const ClassSubjectSummary = z.object({
  subjectId: z.string(),
  subjectName: z.string(),
  code: z.string(),
  compulsory: z.boolean(),
});
export type ClassSubjectSummary = z.infer<typeof ClassSubjectSummary>;

export const ClassView = z.object({
  id: z.string(),
  name: z.string(),
  values: ClassFields,
  teacherName: z.string().nullable(),
  enrolled: z.int().nonnegative(),
  /** The subjects taught in it, by name. */
  subjects: z.array(ClassSubjectSummary),
});
export type ClassView = z.infer<typeof ClassView>;

export const ClassesList = z.object({
  /** Every academic year that has a class, newest first. */
  years: z.array(z.int()),
  year: z.int().nullable(),
  classes: z.array(ClassView),
});
export type ClassesList = z.infer<typeof ClassesList>;

export const SubjectView = z.object({ id: z.string(), values: SubjectFields });
export type SubjectView = z.infer<typeof SubjectView>;

export const ClassSubjectView = ClassSubjectSummary.extend({
  id: z.string(),
  teacherId: z.string().nullable(),
  teacherName: z.string().nullable(),
  /** Students taking it: the class's enrolled students for a compulsory subject. */
  students: z.int().nonnegative(),
});
export type ClassSubjectView = z.infer<typeof ClassSubjectView>;

export const ClassDetail = ClassView.extend({ subjects: z.array(ClassSubjectView) });
export type ClassDetail = z.infer<typeof ClassDetail>;

/** What promoting a class would do: its enrolled students, and the class it would create. */
export const PromotionPlan = z.object({
  classId: z.string(),
  enrolled: z.int().nonnegative(),
  /** The next year's class ("Grade 5 A, 2028"), or null when the grade has no number to increase. */
  next: ClassFields.nullable(),
  nextName: z.string().nullable(),
  /** The id of that class when it already exists. */
  nextExistingId: z.string().nullable(),
  /** No class of a higher level exists at the school: graduating is the usual choice. */
  finalYear: z.boolean(),
});
export type PromotionPlan = z.infer<typeof PromotionPlan>;

export const PromoteTarget = z.union([
  z.object({ kind: z.literal('class'), classId: z.uuid({ error: 'Choose the class to promote to.' }) }),
  z.object({ kind: z.literal('next') }),
  z.object({ kind: z.literal('graduate') }),
]);

export const PromotionResult = z.object({
  moved: z.int().nonnegative(),
  graduated: z.int().nonnegative(),
  targetClassId: z.string().nullable(),
  targetName: z.string().nullable(),
});
export type PromotionResult = z.infer<typeof PromotionResult>;

export const StaffDirectoryEntry = z.object({ id: z.string(), name: z.string(), role: z.string().nullable() });
export type StaffDirectoryEntry = z.infer<typeof StaffDirectoryEntry>;

/**
 * Next year's class for a promotion: level + 1, same stream, year + 1, the grade's number
 * increased ("Grade 4" → "Grade 5", "Form 2" → "Form 3"). Null when the grade has no number.
 */
export function nextClassFields(c: z.infer<typeof ClassFields>): z.infer<typeof ClassFields> | null {
  const match = /(\d+)(?!.*\d)/.exec(c.grade);
  if (!match || c.level >= 20 || c.academic_year >= 2100) return null;
  const grade = `${c.grade.slice(0, match.index)}${Number(match[1]) + 1}${c.grade.slice(match.index + match[1]!.length)}`;
  // The class teacher is chosen again each year; the grading scale carries over.
  return { ...c, grade, level: c.level + 1, academic_year: c.academic_year + 1, class_teacher_id: null };
}
