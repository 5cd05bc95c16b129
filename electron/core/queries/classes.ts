import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ClassDetail, ClassesList, ClassSubjectSummary, ClassSubjectView, ClassView, SubjectView } from '../../../shared/domain/student-views.js';
import { AppError } from '../../../shared/api/errors.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

function classQuery(db: Db) {
  return db
    .selectFrom('classes as c')
    .leftJoin('staff as t', 't.id', 'c.class_teacher_id')
    .select(['c.id', 'c.name', 'c.grade', 'c.level', 'c.stream', 'c.academic_year', 'c.class_teacher_id', 'c.grading_scale_id', 't.display_name as teacherName'])
    .where('c.deleted', '=', 0);
}

type ClassRowOut = Awaited<ReturnType<ReturnType<typeof classQuery>['execute']>>[number];

/** Enrolled students per class, in one grouped read of the class index. */
async function enrolledCounts(db: Db, classIds: readonly string[]): Promise<Map<string, number>> {
  if (classIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('students')
    .select(['class_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('class_id', 'in', classIds)
    .where('status', '=', 'enrolled')
    .where('deleted', '=', 0)
    .groupBy('class_id')
    .execute();
  return new Map(rows.map((r) => [r.class_id!, Number(r.n)]));
}

/** The subjects taught in the given classes, with their teachers, by subject name: one read of
 * the class_subjects index (lists, a class's page and report cards all start from it), sorted
 * here (a class has a handful of subjects; no temporary b-tree). */
export async function taughtSubjects(db: Db, classIds: readonly string[]) {
  if (classIds.length === 0) return [];
  const rows = await db
    .selectFrom('class_subjects as cs')
    .innerJoin('subjects as s', 's.id', 'cs.subject_id')
    .leftJoin('staff as t', 't.id', 'cs.teacher_id')
    .select(['cs.id', 'cs.class_id', 'cs.subject_id', 's.name', 's.code', 'cs.teacher_id', 't.display_name as teacher_name', 'cs.compulsory'])
    .where('cs.class_id', 'in', classIds)
    .where('cs.deleted', '=', 0)
    .where('s.deleted', '=', 0)
    .execute();
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.subject_id.localeCompare(b.subject_id));
}

async function subjectsOf(db: Db, classIds: readonly string[]): Promise<Map<string, ClassSubjectSummary[]>> {
  const out = new Map<string, ClassSubjectSummary[]>();
  for (const r of await taughtSubjects(db, classIds)) {
    const subject = { subjectId: r.subject_id, subjectName: r.name, code: r.code, compulsory: r.compulsory === 1 };
    const list = out.get(r.class_id);
    if (list) list.push(subject);
    else out.set(r.class_id, [subject]);
  }
  return out;
}

/** The views of class rows: teachers, enrolled counts and subjects read once for all of them. */
async function toViews(db: Db, rows: readonly ClassRowOut[]): Promise<ClassView[]> {
  const ids = rows.map((r) => r.id);
  const [counts, subjects] = await Promise.all([enrolledCounts(db, ids), subjectsOf(db, ids)]);
  return rows.map((c) => ({
    id: c.id,
    name: c.name,
    values: { grade: c.grade, level: c.level, stream: c.stream, academic_year: c.academic_year, class_teacher_id: c.class_teacher_id, grading_scale_id: c.grading_scale_id },
    teacherName: c.teacherName,
    enrolled: counts.get(c.id) ?? 0,
    subjects: subjects.get(c.id) ?? [],
  }));
}

/** The classes of one academic year (the given one, else the school's current year when it has
 * classes, else the latest), in level and stream order, with teachers and enrolled counts. */
export async function listClasses(db: Db, year: number | undefined, currentYear: number): Promise<ClassesList> {
  const years = (await db.selectFrom('classes').select('academic_year').distinct().where('deleted', '=', 0).orderBy('academic_year', 'desc').execute()).map((r) => r.academic_year);
  const shown = year ?? (years.includes(currentYear) ? currentYear : (years[0] ?? null));
  if (shown === null) return { years, year: null, classes: [] };
  const rows = await classQuery(db).where('c.academic_year', '=', shown).orderBy('c.academic_year').orderBy('c.level').orderBy('c.stream').orderBy('c.id').execute();
  return { years, year: shown, classes: await toViews(db, rows) };
}

export async function getClass(db: Db, id: string): Promise<ClassView> {
  const row = await classQuery(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'That class is not on this device. It may have been removed, or not synced yet.');
  return (await toViews(db, [row]))[0]!;
}

/** A class with its subjects (teacher, compulsory or optional, and how many take each). */
export async function classDetail(db: Db, id: string): Promise<ClassDetail> {
  const cls = await getClass(db, id);
  const subjects = await taughtSubjects(db, [id]);
  const optional = subjects.filter((s) => s.compulsory === 0).map((s) => s.id);
  const taking = optional.length
    ? await db
        .selectFrom('student_subjects as ss')
        .innerJoin('students as st', 'st.id', 'ss.student_id')
        .select(['ss.class_subject_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('ss.class_subject_id', 'in', optional)
        .where('ss.deleted', '=', 0)
        .where('st.class_id', '=', id)
        .where('st.status', '=', 'enrolled')
        .where('st.deleted', '=', 0)
        .groupBy('ss.class_subject_id')
        .execute()
    : [];
  const counts = new Map(taking.map((t) => [t.class_subject_id, Number(t.n)]));
  const views: ClassSubjectView[] = subjects.map((s) => ({
    id: s.id,
    subjectId: s.subject_id,
    subjectName: s.name,
    code: s.code,
    teacherId: s.teacher_id,
    teacherName: s.teacher_name,
    compulsory: s.compulsory === 1,
    students: s.compulsory === 1 ? cls.enrolled : (counts.get(s.id) ?? 0),
  }));
  return { ...cls, subjects: views };
}

/** The students of a class taking one of its optional subjects. */
export async function studentsTaking(db: Db, classSubjectId: string): Promise<string[]> {
  const rows = await db.selectFrom('student_subjects').select('student_id').where('class_subject_id', '=', classSubjectId).where('deleted', '=', 0).execute();
  return rows.map((r) => r.student_id);
}

export async function listSubjects(db: Db): Promise<SubjectView[]> {
  const rows = await db.selectFrom('subjects').select(['id', 'name', 'code']).where('deleted', '=', 0).orderBy('name').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, values: { name: r.name, code: r.code } }));
}
