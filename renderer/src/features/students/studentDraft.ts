import { ADMISSION_NO_PATTERN, type Gender, type StudentFields, type StudentStatus } from '../../../../shared/domain/students';

/** The profile form as typed: every box a string until it is checked. */
export interface StudentDraft {
  admission_no: string;
  first_name: string;
  middle_name: string;
  last_name: string;
  date_of_birth: string;
  gender: Gender | '';
  class_id: string;
  status: StudentStatus;
  photo_file: string;
  medical_notes: string;
}
export type StudentField = keyof StudentDraft;

export function emptyDraft(classId = ''): StudentDraft {
  return { admission_no: '', first_name: '', middle_name: '', last_name: '', date_of_birth: '', gender: '', class_id: classId, status: 'enrolled', photo_file: '', medical_notes: '' };
}

export function draftFrom(v: StudentFields): StudentDraft {
  return {
    admission_no: v.admission_no,
    first_name: v.first_name,
    middle_name: v.middle_name ?? '',
    last_name: v.last_name,
    date_of_birth: v.date_of_birth ?? '',
    gender: v.gender ?? '',
    class_id: v.class_id ?? '',
    status: v.status,
    photo_file: v.photo_file ?? '',
    medical_notes: v.medical_notes ?? '',
  };
}

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

function realDate(d: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
}

export type DraftCheck = { ok: true; values: StudentFields } | { ok: false; problems: Partial<Record<StudentField, string>> };

/** The checks a person can fix before saving (core checks them again, and the rest: a number
 * already taken, a class no longer on this device). `today` is the school's date. */
export function checkStudentDraft(d: StudentDraft, today: string): DraftCheck {
  const problems: Partial<Record<StudentField, string>> = {};
  if (!ADMISSION_NO_PATTERN.test(d.admission_no.trim())) problems.admission_no = 'Enter the admission number: letters, digits, spaces, dots, dashes or slashes.';
  if (!d.first_name.trim()) problems.first_name = 'Enter the first name.';
  if (!d.last_name.trim()) problems.last_name = 'Enter the last name.';
  const dob = d.date_of_birth.trim();
  if (dob && !realDate(dob)) problems.date_of_birth = `${dob} is not a date that exists. Use a date like 2015-03-14.`;
  else if (dob && dob > today) problems.date_of_birth = `The date of birth ${dob} is in the future (today is ${today}).`;
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    values: {
      admission_no: d.admission_no.trim(),
      first_name: d.first_name.trim(),
      middle_name: orNull(d.middle_name),
      last_name: d.last_name.trim(),
      date_of_birth: orNull(dob),
      gender: d.gender === '' ? null : d.gender,
      class_id: orNull(d.class_id),
      status: d.status,
      photo_file: orNull(d.photo_file),
      medical_notes: orNull(d.medical_notes),
    },
  };
}

/** The box a core finding is about ("values.date_of_birth" → date_of_birth). */
export function studentFieldOf(path: string): StudentField | undefined {
  const field = path.replace(/^values\./, '');
  return field in emptyDraft() ? (field as StudentField) : undefined;
}
