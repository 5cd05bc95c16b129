import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';

// "Needs attention" summaries of the students-and-classes saves: who or what, and which fields,
// e.g. "Edit of Amina Achieng (KHS/2026/00012): class, status".

interface Row {
  id: string;
  create: boolean;
  fields: Record<string, unknown>;
}
interface Item {
  id: number;
  name: string;
  args: Record<string, unknown>;
}

const MUTATIONS = ['students.save', 'guardians.save', 'studentGuardians.save', 'classes.save', 'subjects.save', 'classSubjects.save', 'studentSubjects.save'];

const FIELD_LABELS: Record<string, string> = {
  admission_no: 'admission number',
  first_name: 'first name',
  middle_name: 'middle name',
  last_name: 'last name',
  date_of_birth: 'date of birth',
  class_id: 'class',
  photo_file: 'photo',
  medical_notes: 'medical notes',
  alt_phone: 'other phone',
  pays_fees: 'pays fees',
  academic_year: 'academic year',
  class_teacher_id: 'class teacher',
  grading_scale_id: 'grading scale',
  teacher_id: 'teacher',
  deleted: 'removed',
};

const fieldList = (rows: Row[]) => [...new Set(rows.flatMap((r) => Object.keys(r.fields)))].map((f) => FIELD_LABELS[f] ?? f.replace(/_/g, ' ')).join(', ');
const rowsOf = (item: Item) => (item.args.rows as Row[] | undefined) ?? [];

async function names(db: Kysely<LocalDatabase>, items: Item[]) {
  const ids = (mutation: string) => [...new Set(items.filter((i) => i.name === mutation).flatMap((i) => rowsOf(i).map((r) => r.id)))];
  const links = ids('studentGuardians.save');
  const linkRows = links.length ? await db.selectFrom('student_guardians').select(['id', 'student_id', 'guardian_id']).where('id', 'in', links).execute() : [];
  const classSubjects = ids('classSubjects.save');
  const csRows = classSubjects.length ? await db.selectFrom('class_subjects').select(['id', 'class_id', 'subject_id']).where('id', 'in', classSubjects).execute() : [];
  const studentIds = [...ids('students.save'), ...linkRows.map((l) => l.student_id)];
  const guardianIds = [...ids('guardians.save'), ...linkRows.map((l) => l.guardian_id)];
  const classIds = [...ids('classes.save'), ...csRows.map((c) => c.class_id)];
  const subjectIds = [...ids('subjects.save'), ...csRows.map((c) => c.subject_id)];
  const [students, guardians, classes, subjects] = await Promise.all([
    studentIds.length ? db.selectFrom('students').select(['id', 'first_name', 'last_name', 'admission_no']).where('id', 'in', studentIds).execute() : [],
    guardianIds.length ? db.selectFrom('guardians').select(['id', 'name']).where('id', 'in', guardianIds).execute() : [],
    classIds.length ? db.selectFrom('classes').select(['id', 'name', 'academic_year']).where('id', 'in', classIds).execute() : [],
    subjectIds.length ? db.selectFrom('subjects').select(['id', 'name', 'code']).where('id', 'in', subjectIds).execute() : [],
  ]);
  return {
    student: new Map(students.map((s) => [s.id, `${s.first_name} ${s.last_name} (${s.admission_no})`])),
    guardian: new Map(guardians.map((g) => [g.id, g.name])),
    class: new Map(classes.map((c) => [c.id, `${c.name} (${c.academic_year})`])),
    subject: new Map(subjects.map((s) => [s.id, `${s.name} (${s.code})`])),
    link: new Map(linkRows.map((l) => [l.id, l])),
    classSubject: new Map(csRows.map((c) => [c.id, c])),
  };
}

type Names = Awaited<ReturnType<typeof names>>;

/** "Edit of X: fields" for one record, "Edit of 600 students: class" for many. */
function editOf(rows: Row[], one: (r: Row) => string, many: string): string {
  const created = rows.every((r) => r.create);
  if (rows.length === 1) return created ? `New ${one(rows[0]!)}` : `Edit of ${one(rows[0]!)}: ${fieldList(rows)}`;
  return created ? `${rows.length} new ${many}` : `Edit of ${rows.length} ${many}: ${fieldList(rows)}`;
}

function summary(item: Item, n: Names): string {
  const rows = rowsOf(item);
  const unknown = 'a record not on this device';
  switch (item.name) {
    case 'students.save':
      return editOf(rows, (r) => (r.create ? `student ${String(r.fields.first_name)} ${String(r.fields.last_name)} (${String(r.fields.admission_no)})` : (n.student.get(r.id) ?? 'a student not on this device')), 'students');
    case 'guardians.save':
      return editOf(rows, (r) => `guardian ${r.create ? String(r.fields.name) : (n.guardian.get(r.id) ?? unknown)}`, 'guardians');
    case 'classes.save':
      return editOf(rows, (r) => `class ${n.class.get(r.id) ?? unknown}`, 'classes');
    case 'subjects.save':
      return editOf(rows, (r) => `subject ${r.create ? `${String(r.fields.name)} (${String(r.fields.code)})` : (n.subject.get(r.id) ?? unknown)}`, 'subjects');
    case 'studentGuardians.save': {
      const r = rows[0]!;
      const link = n.link.get(r.id);
      const who = `${(link && n.guardian.get(link.guardian_id)) ?? 'a guardian'} and ${(link && n.student.get(link.student_id)) ?? 'a student'}`;
      return r.fields.deleted === true ? `Unlink of ${who}` : `Link of ${who}${r.create ? '' : `: ${fieldList(rows)}`}`;
    }
    case 'classSubjects.save': {
      const cs = n.classSubject.get(rows[0]!.id);
      const what = cs ? `${n.subject.get(cs.subject_id) ?? 'a subject'} in ${n.class.get(cs.class_id) ?? 'a class'}` : 'a subject of a class';
      return rows[0]!.fields.deleted === true ? `Removal of ${what}` : `${rows[0]!.create ? 'Adding' : 'Change to'} ${what}`;
    }
    default: {
      const dropped = rows.filter((r) => r.fields.deleted === true).length;
      const enrolled = rows.length - dropped;
      return [enrolled && `Enrolment of ${enrolled} ${enrolled === 1 ? 'student' : 'students'} in an optional subject`, dropped && `${dropped} dropped from an optional subject`].filter(Boolean).join('; ');
    }
  }
}

/** Summaries of the students-and-classes saves among parked changes, by parked item id. */
export async function studentSaveSummaries(db: Kysely<LocalDatabase>, items: Item[]): Promise<Map<number, string>> {
  const ours = items.filter((i) => MUTATIONS.includes(i.name));
  if (ours.length === 0) return new Map();
  const n = await names(db, ours);
  return new Map(ours.map((i) => [i.id, summary(i, n)]));
}
