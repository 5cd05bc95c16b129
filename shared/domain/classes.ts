import { z } from 'zod';
import { recordColumns } from './records.js';
import { derivedId } from '../ids.js';

/** A class of one academic year: a grade (with its level, for ordering and promotion) and an
 * optional stream, e.g. "Grade 4" level 4, stream "East", 2027. */
export const ClassFields = z.object({
  grade: z.string().trim().min(1, { error: 'Name the grade, e.g. "Grade 4" or "Form 2".' }).max(40),
  level: z.int({ error: 'The level is a whole number, e.g. 4 for Grade 4.' }).min(0).max(20, { error: 'The level is at most 20.' }),
  stream: z.string().trim().max(20, { error: 'A stream name has at most 20 characters.' }),
  academic_year: z.int({ error: 'The academic year is a year, e.g. 2027.' }).min(2000).max(2100, { error: 'The academic year must be between 2000 and 2100.' }),
  class_teacher_id: z.uuid().nullable(),
  /** The grading scale its report cards use (null: the school's default scale). */
  grading_scale_id: z.uuid().nullable(),
});
export type ClassFields = z.infer<typeof ClassFields>;

/** `name` is derived from grade and stream (className()) by whoever writes the row. */
export const ClassRow = ClassFields.extend({ ...recordColumns, name: z.string().min(1).max(60) });
export type ClassRow = z.infer<typeof ClassRow>;

export function className(grade: string, stream: string): string {
  return `${grade.trim()} ${stream.trim()}`.trim();
}

export const SubjectFields = z.object({
  name: z.string().trim().min(1, { error: 'Name the subject.' }).max(60),
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{1,10}$/, { error: 'A subject code is 1 to 10 letters or digits, e.g. MATH.' }),
});
export type SubjectFields = z.infer<typeof SubjectFields>;
export const SubjectRow = SubjectFields.extend(recordColumns);
export type SubjectRow = z.infer<typeof SubjectRow>;

/** A subject taught in a class, by a teacher. Compulsory subjects are taken by every student of
 * the class; optional ones only by students enrolled in them (student_subjects). */
export const ClassSubjectFields = z.object({
  class_id: z.uuid(),
  subject_id: z.uuid(),
  teacher_id: z.uuid().nullable(),
  compulsory: z.boolean(),
});
export type ClassSubjectFields = z.infer<typeof ClassSubjectFields>;
export const ClassSubjectRow = ClassSubjectFields.extend(recordColumns);
export type ClassSubjectRow = z.infer<typeof ClassSubjectRow>;

export function classSubjectId(classId: string, subjectId: string): string {
  return derivedId('class-subject', classId, subjectId);
}

/** A student enrolled in an optional subject of their class (a tombstone drops it). */
export const StudentSubjectFields = z.object({
  student_id: z.uuid(),
  class_subject_id: z.uuid(),
});
export type StudentSubjectFields = z.infer<typeof StudentSubjectFields>;
export const StudentSubjectRow = StudentSubjectFields.extend(recordColumns);
export type StudentSubjectRow = z.infer<typeof StudentSubjectRow>;

export function studentSubjectId(studentId: string, classSubjectId: string): string {
  return derivedId('student-subject', studentId, classSubjectId);
}
