import { sql, type CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { compiledShapes } from './compiled-shapes.js';
import type { LocalDatabase } from '../store/database.js';
import type { AttendanceStatus } from '../../../shared/domain/attendance.js';
import type { AttendanceListCursor, AttendanceListPage } from '../../../shared/domain/attendance-list.js';
import { keysetPage, studentName } from './ledger-sql.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

export interface AttendanceListFilter {
  from?: string;
  to?: string;
  classId?: string;
  status?: AttendanceStatus;
}

/**
 * A page of the school's marks, newest first (date, period, register, mark id), on the
 * attendance_history index of the filter: by class when a class is chosen (a mark then filters
 * the class's rows), by status for one mark, by date otherwise. The page ends at the tighter of
 * the range's end and the cursor, as one row value, so SQLite seeks straight to it.
 */
export function attendanceListQuery(db: Db, filter: AttendanceListFilter, after: AttendanceListCursor | null, limit: number) {
  return pageQuery(db, filter, after, limit + 1);
}

function pageQuery(db: Db, filter: AttendanceListFilter, after: AttendanceListCursor | null, rows: number) {
  let q = db
    .selectFrom('attendance_history as h')
    .innerJoin('attendance_records as r', 'r.id', 'h.record_id')
    .innerJoin('attendance_sessions as se', 'se.id', 'h.session_id')
    .leftJoin('classes as c', 'c.id', 'h.class_id')
    .leftJoin('students as s', 's.id', 'h.student_id')
    .select([
      'h.record_id as id',
      'h.date',
      'h.period',
      'h.session_id as sessionId',
      'h.class_id as classId',
      'c.name as className',
      'h.student_id as studentId',
      studentName('s').as('studentName'),
      's.admission_no as admissionNo',
      'r.status',
      'r.reason',
    ])
    .where('r.deleted', '=', 0)
    .where('se.deleted', '=', 0);
  if (filter.classId) {
    q = q.where('h.class_id', '=', filter.classId);
    // Unary plus: the class's index leads, the mark is checked on its rows.
    if (filter.status) q = q.where(sql<boolean>`+h.status = ${filter.status}`);
  } else if (filter.status) q = q.where('h.status', '=', filter.status);
  if (filter.from) q = q.where('h.date', '>=', filter.from);
  if (after && (!filter.to || after.date <= filter.to)) {
    q = q.where(sql<boolean>`(h.date, h.period, h.session_id, h.record_id) < (${after.date}, ${after.period}, ${after.sessionId}, ${after.id})`);
  } else {
    // Always an upper bound: with none (the whole school's first page) SQLite would rather scan
    // the marks and sort them all than walk attendance_history_by_date.
    q = q.where('h.date', '<=', filter.to ?? '9999-12-31');
  }
  return q.orderBy('h.date', 'desc').orderBy('h.period', 'desc').orderBy('h.session_id', 'desc').orderBy('h.record_id', 'desc').limit(rows);
}

type PageRow = Awaited<ReturnType<ReturnType<typeof pageQuery>['execute']>>[number];

// A page's SQL depends only on which filters are given and whether the cursor bounds it:
// compiled once per such shape.
const pageShapes = compiledShapes<PageRow>();

function compiledPage(db: Db, filter: AttendanceListFilter, after: AttendanceListCursor | null, limit: number): CompiledQuery<PageRow> {
  const cursor = after && (!filter.to || after.date <= filter.to) ? after : null;
  const values: Record<string, unknown> = { rows: limit + 1 };
  if (filter.classId) values.classId = filter.classId;
  if (filter.status) values.status = filter.status;
  if (filter.from) values.from = filter.from;
  if (cursor) Object.assign(values, { date: cursor.date, period: cursor.period, sessionId: cursor.sessionId, id: cursor.id });
  else values.to = filter.to ?? '9999-12-31';
  return pageShapes(Object.keys(values).join(' '), values, (slot) => {
    // With a cursor there is no `to`: pageQuery then bounds the page by the cursor alone.
    const slotted: AttendanceListFilter = { classId: slot('classId'), status: slot('status'), from: slot('from'), to: slot('to') };
    const slottedCursor = cursor ? { date: slot<string>('date')!, period: slot<string>('period')!, sessionId: slot<string>('sessionId')!, id: slot<string>('id')! } : null;
    return pageQuery(db, slotted, slottedCursor, slot<number>('rows')!).compile();
  });
}

export async function listAttendance(db: Db, input: AttendanceListFilter & { after: AttendanceListCursor | null; limit: number }): Promise<AttendanceListPage> {
  const { rows: raw } = await db.executeQuery(compiledPage(db, input, input.after, input.limit));
  const rows = raw.map((r) => ({ ...r, status: r.status as AttendanceStatus }));
  return keysetPage(rows, input.limit, (r) => ({ date: r.date, period: r.period, sessionId: r.sessionId, id: r.id }));
}
