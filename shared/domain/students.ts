import { z } from 'zod';
import { IsoDate } from './fees.js';
import { AttachmentName } from './expenses.js';
import { EMPTY_META, recordColumns } from './records.js';
import { derivedId } from '../ids.js';

export const STUDENT_STATUSES = ['enrolled', 'withdrawn', 'graduated'] as const;
export const StudentStatus = z.enum(STUDENT_STATUSES);
export type StudentStatus = z.infer<typeof StudentStatus>;

export const GENDERS = ['female', 'male', 'other'] as const;
export const Gender = z.enum(GENDERS);
export type Gender = z.infer<typeof Gender>;

/** A name as people write it: trimmed, not empty. */
const PersonName = (what: string) =>
  z.string().trim().min(1, { error: `Enter the ${what}.` }).max(80, { error: `The ${what} can have at most 80 characters.` });

export const ADMISSION_NO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/ ._-]{0,31}$/;
export const AdmissionNo = z
  .string()
  .trim()
  .regex(ADMISSION_NO_PATTERN, { error: 'An admission number is 1 to 32 letters, digits, spaces, dots, dashes or slashes.' });

/** A date of birth: a real calendar date in a plausible range (the device also refuses the future). */
export const BirthDate = IsoDate.refine((d) => d >= '1900-01-01' && d <= '2100-12-31', { error: 'That date of birth is not plausible.' });

export const PHONE_PATTERN = /^\+?[0-9][0-9 ()-]{5,22}$/;
export const Phone = z.string().trim().regex(PHONE_PATTERN, { error: 'A phone number is digits, optionally starting with +, e.g. +254 712 345 678.' });

/** The fields of a student an office can edit; each merges on its own (DESIGN §3). */
export const StudentFields = z.object({
  admission_no: AdmissionNo,
  first_name: PersonName('first name'),
  middle_name: z.string().trim().max(80).nullable(),
  last_name: PersonName('last name'),
  date_of_birth: BirthDate.nullable(),
  gender: Gender.nullable(),
  class_id: z.uuid().nullable(),
  status: StudentStatus,
  photo_file: AttachmentName.nullable(),
  medical_notes: z.string().trim().max(2000).nullable(),
});
export type StudentFields = z.infer<typeof StudentFields>;

/** A student as synced between server and devices (column names as stored). `class_name` and
 * `guardian_phone` are derived by whoever writes the row (the class's name; the phones of the
 * student's guardians, fee payers first, space separated) so lists and search need no join. */
export const StudentRow = StudentFields.extend({
  ...recordColumns,
  class_name: z.string().max(60).nullable(),
  guardian_phone: z.string().max(300).nullable(),
});
export type StudentRow = z.infer<typeof StudentRow>;

/** The profile fields a student row made before issue 5 (or by a seed) leaves empty. */
export const STUDENT_PROFILE_DEFAULTS = {
  middle_name: null,
  date_of_birth: null,
  gender: null,
  class_id: null,
  photo_file: null,
  medical_notes: null,
  deleted: false,
  meta: EMPTY_META,
} as const satisfies Partial<StudentRow>;

export const GuardianFields = z.object({
  name: z.string().trim().min(1, { error: "Enter the guardian's name." }).max(120),
  phone: Phone.nullable(),
  alt_phone: Phone.nullable(),
  email: z.email({ error: 'That email address is not valid.' }).max(120).nullable(),
  address: z.string().trim().max(200).nullable(),
});
export type GuardianFields = z.infer<typeof GuardianFields>;
export const GuardianRow = GuardianFields.extend(recordColumns);
export type GuardianRow = z.infer<typeof GuardianRow>;

/** A guardian of a student. Its id is derived from (student, guardian), so two offices linking
 * the same pair make one link; unlinking is a tombstone. Siblings share a guardian. */
export const StudentGuardianFields = z.object({
  student_id: z.uuid(),
  guardian_id: z.uuid(),
  relationship: z.string().trim().min(1, { error: 'Say how the guardian is related, e.g. "Mother".' }).max(40),
  pays_fees: z.boolean(),
});
export type StudentGuardianFields = z.infer<typeof StudentGuardianFields>;
export const StudentGuardianRow = StudentGuardianFields.extend(recordColumns);
export type StudentGuardianRow = z.infer<typeof StudentGuardianRow>;

export function studentGuardianId(studentId: string, guardianId: string): string {
  return derivedId('student-guardian', studentId, guardianId);
}

/** What `students.guardian_phone` holds: fee payers' phones first, each once. */
export function guardianPhones(links: readonly { pays_fees: boolean; phone: string | null; alt_phone: string | null }[]): string | null {
  const ordered = [...links].sort((a, b) => Number(b.pays_fees) - Number(a.pays_fees));
  const phones = [...new Set(ordered.flatMap((g) => [g.phone, g.alt_phone]).filter((p): p is string => !!p))];
  return phones.length === 0 ? null : phones.join(' ').slice(0, 300);
}

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
  classId: z.uuid().optional(),
  gender: Gender.optional(),
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
