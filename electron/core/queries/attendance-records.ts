import { sql, type Kysely, type Transaction } from 'kysely';
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
  return q.orderBy('h.date', 'desc').orderBy('h.period', 'desc').orderBy('h.session_id', 'desc').orderBy('h.record_id', 'desc').limit(limit + 1);
}

export async function listAttendance(db: Db, input: AttendanceListFilter & { after: AttendanceListCursor | null; limit: number }): Promise<AttendanceListPage> {
  const raw = await attendanceListQuery(db, input, input.after, input.limit).execute();
  const rows = raw.map((r) => ({ ...r, status: r.status as AttendanceStatus }));
  return keysetPage(rows, input.limit, (r) => ({ date: r.date, period: r.period, sessionId: r.sessionId, id: r.id }));
}
