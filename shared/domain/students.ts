import { z } from 'zod';

export const STUDENT_STATUSES = ['enrolled', 'withdrawn', 'graduated'] as const;
export const StudentStatus = z.enum(STUDENT_STATUSES);
export type StudentStatus = z.infer<typeof StudentStatus>;

/** A student as synced between server and devices (column names as stored). */
export const StudentRow = z.object({
  id: z.uuid(),
  admission_no: z.string().min(1).max(32),
  first_name: z.string().min(1).max(80),
  last_name: z.string().min(1).max(80),
  class_name: z.string().max(40).nullable(),
  status: StudentStatus,
  guardian_phone: z.string().max(32).nullable(),
});
export type StudentRow = z.infer<typeof StudentRow>;

/** A row of the students list; `balanceMinor` is derived, never stored. */
export const StudentListItem = z.object({
  id: z.string(),
  admissionNo: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  className: z.string().nullable(),
  status: StudentStatus,
  guardianPhone: z.string().nullable(),
});
export type StudentListItem = z.infer<typeof StudentListItem>;

/** Keyset cursor: the sort key of the last row shown plus its id as the tie-breaker. */
export const StudentCursor = z.object({
  lastName: z.string(),
  firstName: z.string(),
  id: z.string(),
});
export type StudentCursor = z.infer<typeof StudentCursor>;

export const StudentFilter = z.object({
  search: z.string().trim().max(100).optional(),
  status: StudentStatus.optional(),
  className: z.string().max(40).optional(),
});
export type StudentFilter = z.infer<typeof StudentFilter>;

export const StudentsListInput = StudentFilter.extend({
  after: StudentCursor.nullable().optional(),
  limit: z.int().min(1).max(500).default(100),
});
export type StudentsListInput = z.input<typeof StudentsListInput>;

export const StudentsListOutput = z.object({
  rows: z.array(StudentListItem),
  next: StudentCursor.nullable(),
});
export type StudentsListOutput = z.infer<typeof StudentsListOutput>;
