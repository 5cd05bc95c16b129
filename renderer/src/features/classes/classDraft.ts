import type { ClassFields } from '../../../../shared/domain/classes';
import type { ClassView, SubjectView } from '../../../../shared/domain/student-views';
import { toCsv } from '../../../../shared/csv';

export interface ClassDraft {
  grade: string;
  level: string;
  stream: string;
  academic_year: string;
  class_teacher_id: string;
  grading_scale_id: string;
}
export type ClassField = keyof ClassDraft;

export function classDraftFrom(v: ClassFields): ClassDraft {
  return { grade: v.grade, level: String(v.level), stream: v.stream, academic_year: String(v.academic_year), class_teacher_id: v.class_teacher_id ?? '', grading_scale_id: v.grading_scale_id ?? '' };
}

export function emptyClassDraft(year: number): ClassDraft {
  return { grade: '', level: '', stream: '', academic_year: String(year), class_teacher_id: '', grading_scale_id: '' };
}

/** "Grade 4" → 4: the level a grade name suggests, so the box fills itself in. */
export function levelFromGrade(grade: string): string {
  return /(\d+)(?!.*\d)/.exec(grade)?.[1] ?? '';
}

const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null);

export function checkClassDraft(d: ClassDraft): { values: ClassFields | null; problems: Partial<Record<ClassField, string>> } {
  const problems: Partial<Record<ClassField, string>> = {};
  const level = whole(d.level);
  const year = whole(d.academic_year);
  if (!d.grade.trim()) problems.grade = 'Name the grade, e.g. "Grade 4" or "Form 2".';
  if (level === null || level > 20) problems.level = 'The level is a whole number from 0 to 20, e.g. 4 for Grade 4.';
  if (year === null || year < 2000 || year > 2100) problems.academic_year = 'The academic year is a year between 2000 and 2100, e.g. 2027.';
  if (d.stream.trim().length > 20) problems.stream = 'A stream name has at most 20 characters.';
  if (Object.keys(problems).length > 0) return { values: null, problems };
  return {
    values: {
      grade: d.grade.trim(),
      level: level!,
      stream: d.stream.trim(),
      academic_year: year!,
      class_teacher_id: d.class_teacher_id || null,
      grading_scale_id: d.grading_scale_id || null,
    },
    problems,
  };
}

export function classFieldOf(path: string): ClassField | undefined {
  const f = path.replace(/^values\./, '');
  return f in emptyClassDraft(2000) ? (f as ClassField) : undefined;
}

export function classesCsv(classes: readonly ClassView[]): string {
  return toCsv(
    ['Class', 'Grade', 'Level', 'Stream', 'Academic year', 'Class teacher', 'Enrolled'],
    classes.map((c) => [c.name, c.values.grade, c.values.level, c.values.stream, c.values.academic_year, c.teacherName ?? '', c.enrolled]),
  );
}

export function subjectsCsv(subjects: readonly SubjectView[]): string {
  return toCsv(['Subject', 'Code'], subjects.map((s) => [s.values.name, s.values.code]));
}
