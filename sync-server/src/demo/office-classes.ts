import type { ClassRow, ClassSubjectRow, StudentSubjectRow, SubjectRow } from '../../../shared/domain/classes.js';
import { classSubjectId, className, studentSubjectId } from '../../../shared/domain/classes.js';
import { EMPTY_META } from '../../../shared/domain/records.js';
import { derivedId } from '../../../shared/ids.js';
import { DEMO_SCHOOL } from './demo-school.js';
import { CLASSES } from './names.js';
import { DEMO_TEACHERS } from './office-staff.js';
import { mulberry32, stableUuid } from './prng.js';
import { DEMO_FEES } from './seed-bursary.js';
import type { DemoStudentBase } from './office-families.js';

// The demo's classes (the 14 of names.ts, in the academic year of the demo term), its subjects
// and who teaches what. Every id is derived from names, so a second seed finds what it made.

const RECORD = { deleted: false, meta: EMPTY_META } as const;

/** The demo term's academic year: the year it starts in. */
export const DEMO_ACADEMIC_YEAR = Number(DEMO_SCHOOL.terms.find((t) => t.name === DEMO_FEES.term)!.startsOn.slice(0, 4));

/** The id migration 0007 gives the class a school's students were in by name: a demo seeded
 * before classes existed keeps its classes (and its students' links to them) and the seed then
 * gives them their grade, stream and teacher. */
export function demoClassId(name: string): string {
  return derivedId('migrated-class', DEMO_SCHOOL.id, name);
}

/** "Grade 4 B" → its class row; class teachers take two classes each, in turn. */
export const DEMO_CLASSES: readonly ClassRow[] = CLASSES.map((name, i) => {
  const [, grade, level, stream] = /^(Grade (\d+)) (\S+)$/.exec(name)!;
  return {
    ...RECORD,
    id: demoClassId(name),
    grade: grade!,
    level: Number(level),
    stream: stream!,
    academic_year: DEMO_ACADEMIC_YEAR,
    class_teacher_id: DEMO_TEACHERS[i % DEMO_TEACHERS.length]!.id,
    grading_scale_id: null,
    name: className(grade!, stream!),
  };
});

const classByName = new Map(DEMO_CLASSES.map((c) => [c.name, c]));
export function demoClassNamed(name: string | null): ClassRow | undefined {
  return name === null ? undefined : classByName.get(name);
}

const subject = (code: string, name: string, compulsory: boolean) => ({ row: { ...RECORD, id: stableUuid('demo', 'subject', code), code, name } satisfies SubjectRow, compulsory });

/** Creative Arts is the optional subject: only the students enrolled in it take it. */
export const DEMO_SUBJECTS = [
  subject('MATH', 'Mathematics', true),
  subject('ENG', 'English', true),
  subject('KIS', 'Kiswahili', true),
  subject('SCI', 'Science', true),
  subject('SST', 'Social Studies', true),
  subject('CRE', 'CRE', true),
  subject('ART', 'Creative Arts', false),
] as const;

/** Every subject in every class, each with a teacher (a teacher takes a subject in several classes). */
export const DEMO_CLASS_SUBJECTS: readonly ClassSubjectRow[] = DEMO_CLASSES.flatMap((c, ci) =>
  DEMO_SUBJECTS.map((s, si) => ({
    ...RECORD,
    id: classSubjectId(c.id, s.row.id),
    class_id: c.id,
    subject_id: s.row.id,
    teacher_id: DEMO_TEACHERS[(ci + si) % DEMO_TEACHERS.length]!.id,
    compulsory: s.compulsory,
  })),
);

/** The share of a class's students who take the optional subject. */
const OPTIONAL_TAKE_UP = 0.4;

/** Enrolled students who take their class's optional subject. */
export function demoStudentSubjects(students: readonly DemoStudentBase[]): StudentSubjectRow[] {
  const next = mulberry32(20260303);
  const optional = new Map(DEMO_CLASS_SUBJECTS.filter((cs) => !cs.compulsory).map((cs) => [cs.class_id, cs.id]));
  const rows: StudentSubjectRow[] = [];
  for (const s of students) {
    const classSubject = s.status === 'enrolled' ? optional.get(demoClassNamed(s.class_name)?.id ?? '') : undefined;
    if (classSubject && next() < OPTIONAL_TAKE_UP) rows.push({ ...RECORD, id: studentSubjectId(s.id, classSubject), student_id: s.id, class_subject_id: classSubject });
  }
  return rows;
}
