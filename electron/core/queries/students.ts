import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { StudentCursor, StudentFilter, StudentListItem, StudentsListOutput } from '../../../shared/domain/students.js';
import { AppError } from '../../../shared/api/errors.js';
import type { StudentProfile } from '../../../shared/domain/student-views.js';
import { toFtsPrefixQuery } from './fts-query.js';
import { compiledShapes } from './compiled-shapes.js';
import { guardiansOf, siblingsOf } from './guardians.js';

const listColumns = [
  'students.id',
  'students.admission_no as admissionNo',
  'students.first_name as firstName',
  'students.last_name as lastName',
  'students.class_name as className',
  'students.status',
  'students.guardian_phone as guardianPhone',
] as const;

/**
 * Up to this many search matches are fetched from the FTS index first and sorted; above it the
 * name index is walked in order and each row checked against the matches, which stops after one
 * page. A narrow search ("kamau amina") thus never walks the whole index, and a broad one ("a")
 * never sorts tens of thousands of rows.
 */
export const SEARCH_SORT_LIMIT = 2000;

/**
 * A broad search that matches at least this share of the students (in rowid order up to its
 * 2,001st match) probes the FTS index row by row as the name index is walked: about a page of
 * probes. Below it the matches are gathered once and the walk checks each row against them: a
 * probe costs tens of µs, so probing pays only when nearly every row matches ("k" matches every
 * admission number "KHS/…"; gathering 100,000 matches took 20 ms).
 */
export const SEARCH_PROBE_SHARE = 0.8;

export type SearchPlan = { fts: null } | { fts: string; mode: 'matches-first' | 'name-order' | 'probe' };

export async function planSearch(db: Kysely<LocalDatabase>, search: string | undefined): Promise<SearchPlan> {
  const fts = search ? toFtsPrefixQuery(search) : null;
  if (!fts) return { fts: null };
  // The match after the first SEARCH_SORT_LIMIT, if any: reading up to it counts them.
  const beyond = await db
    .selectFrom(sql<{ r: number }>`(select rowid as r from students_fts where students_fts match ${fts} limit 1 offset ${SEARCH_SORT_LIMIT})`.as('m'))
    .select('m.r')
    .executeTakeFirst();
  if (!beyond) return { fts, mode: 'matches-first' };
  // Rowids are nearly dense (students are tombstoned, seldom deleted), so the rowids up to that
  // match are about the students up to it; gaps only make probing less likely.
  const { first } = await db
    .selectFrom('students')
    .select(sql<number>`min(rowid)`.as('first'))
    .executeTakeFirstOrThrow();
  const upTo = Number(beyond.r) - Number(first) + 1;
  return { fts, mode: SEARCH_SORT_LIMIT + 1 >= SEARCH_PROBE_SHARE * upTo ? 'probe' : 'name-order' };
}

function filtered(db: Kysely<LocalDatabase>, filter: StudentFilter, plan: SearchPlan) {
  let q =
    plan.fts && plan.mode === 'matches-first'
      ? db
          .selectFrom(sql<{ r: number }>`(select rowid as r from students_fts where students_fts match ${plan.fts})`.as('m'))
          .crossJoin('students')
          .where(sql<boolean>`students.rowid = m.r`)
      : db.selectFrom('students');
  if (plan.fts && plan.mode === 'name-order') {
    // The unary + keeps the planner from looking rows up by rowid, so it walks the name index.
    q = q.where(sql<boolean>`+students.rowid in (select rowid from students_fts where students_fts match ${plan.fts})`);
  }
  if (plan.fts && plan.mode === 'probe') {
    q = q.where(sql<boolean>`exists (select 1 from students_fts where students_fts match ${plan.fts} and students_fts.rowid = students.rowid)`);
  }
  if (filter.status) q = q.where('students.status', '=', filter.status);
  if (filter.className) q = q.where('students.class_name', '=', filter.className);
  if (filter.classId) q = q.where('students.class_id', '=', filter.classId);
  if (filter.gender) q = q.where('students.gender', '=', filter.gender);
  return q.where('students.deleted', '=', 0);
}

/** One page of students in name order, keyset-paged on (last_name, first_name, id). */
export function studentsPageQuery(
  db: Kysely<LocalDatabase>,
  filter: StudentFilter,
  plan: SearchPlan,
  after: StudentCursor | null | undefined,
  limit: number,
) {
  return pageQuery(db, filter, plan, after, limit + 1);
}

function pageQuery(db: Kysely<LocalDatabase>, filter: StudentFilter, plan: SearchPlan, after: StudentCursor | null | undefined, rows: number) {
  let q = filtered(db, filter, plan).select(listColumns);
  if (after) {
    q = q.where(
      sql<boolean>`(students.last_name, students.first_name, students.id) > (${after.lastName}, ${after.firstName}, ${after.id})`,
    );
  }
  return q.orderBy('students.last_name').orderBy('students.first_name').orderBy('students.id').limit(rows);
}

// A page's SQL depends only on which filters are given, the search mode and whether there is a
// cursor: compiled once per such shape.
const pageShapes = compiledShapes<StudentListItem>();

function compiledPage(db: Kysely<LocalDatabase>, filter: StudentFilter, plan: SearchPlan, after: StudentCursor | null | undefined, limit: number): CompiledQuery<StudentListItem> {
  const values: Record<string, unknown> = { rows: limit + 1 };
  if (filter.status) values.status = filter.status;
  if (filter.className) values.className = filter.className;
  if (filter.classId) values.classId = filter.classId;
  if (filter.gender) values.gender = filter.gender;
  if (plan.fts) values.fts = plan.fts;
  if (after) Object.assign(values, { lastName: after.lastName, firstName: after.firstName, id: after.id });
  return pageShapes(`${plan.fts ? plan.mode : '-'} ${Object.keys(values).join(' ')}`, values, (slot) => {
    const slotted: StudentFilter = { status: slot('status'), className: slot('className'), classId: slot('classId'), gender: slot('gender') };
    const slottedPlan: SearchPlan = plan.fts ? { fts: slot<string>('fts')!, mode: plan.mode } : plan;
    const slottedAfter = after ? { lastName: slot<string>('lastName')!, firstName: slot<string>('firstName')!, id: slot<string>('id')! } : null;
    return pageQuery(db, slotted, slottedPlan, slottedAfter, slot<number>('rows')!).compile() as CompiledQuery<StudentListItem>;
  });
}

export async function listStudents(
  db: Kysely<LocalDatabase>,
  filter: StudentFilter,
  after: StudentCursor | null | undefined,
  limit: number,
): Promise<StudentsListOutput> {
  const plan = await planSearch(db, filter.search);
  const { rows } = await db.executeQuery(compiledPage(db, filter, plan, after, limit));
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  const last = rows[rows.length - 1];
  return {
    rows,
    next: hasMore && last ? { lastName: last.lastName, firstName: last.firstName, id: last.id } : null,
  };
}

/**
 * A plan for reading every match (a count, a bulk change): probing row by row pays only for one
 * page, so a broad search gathers its matches once instead.
 */
async function planSearchForAll(db: Kysely<LocalDatabase>, search: string | undefined): Promise<SearchPlan> {
  const plan = await planSearch(db, search);
  return plan.fts && plan.mode === 'probe' ? { fts: plan.fts, mode: 'name-order' } : plan;
}

export async function countStudents(db: Kysely<LocalDatabase>, filter: StudentFilter): Promise<number> {
  const plan = await planSearchForAll(db, filter.search);
  const row = await filtered(db, filter, plan)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The ids of every student matching a filter, in list order (a bulk change to "all n matching"). */
export async function matchingStudentIds(db: Kysely<LocalDatabase>, filter: StudentFilter, max: number): Promise<string[]> {
  const plan = await planSearchForAll(db, filter.search);
  const rows = await filtered(db, filter, plan).select('students.id').orderBy('students.last_name').orderBy('students.first_name').orderBy('students.id').limit(max + 1).execute();
  return rows.map((r) => r.id);
}

export async function getStudent(db: Kysely<LocalDatabase>, id: string): Promise<StudentListItem> {
  const row = await db.selectFrom('students').select(listColumns).where('students.id', '=', id).where('students.deleted', '=', 0).executeTakeFirst();
  if (!row) throw new AppError('not_found', 'No student with that id on this device. It may not have synced yet.');
  return row as StudentListItem;
}

/** Everything the profile shows: the student's fields, guardians and siblings. */
export async function studentProfile(db: Kysely<LocalDatabase>, id: string): Promise<StudentProfile> {
  const s = await db.selectFrom('students').selectAll().where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
  if (!s) throw new AppError('not_found', 'No student with that id on this device. It may not have synced yet.');
  const [guardians, siblings] = await Promise.all([guardiansOf(db, id), siblingsOf(db, id)]);
  return {
    id: s.id,
    values: {
      admission_no: s.admission_no,
      first_name: s.first_name,
      middle_name: s.middle_name,
      last_name: s.last_name,
      date_of_birth: s.date_of_birth,
      gender: s.gender,
      class_id: s.class_id,
      status: s.status,
      photo_file: s.photo_file,
      medical_notes: s.medical_notes,
    },
    className: s.class_name,
    guardianPhone: s.guardian_phone,
    guardians,
    siblings,
  };
}
