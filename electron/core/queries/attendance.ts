import { sql, type Kysely, type Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { attendanceSessionId, type AttendanceStatus } from '../../../shared/domain/attendance.js';
import {
  emptyTotals,
  rateOf,
  weeklyRates,
  type ClassRates,
  type HistoryCursor,
  type HistoryPage,
  type RegisterRow,
  type RegisterView,
  type StatusTotals,
} from '../../../shared/domain/attendance-views.js';
import { keysetPage, studentName } from './ledger-sql.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

const presentOrLate = sql<number>`coalesce(sum(r.status in ('present', 'late')), 0)`;

/** A live class on this device, or a refusal that says so. */
export async function requireClass(db: Db, classId: string): Promise<{ id: string; name: string }> {
  const cls = await db.selectFrom('classes').select(['id', 'name']).where('id', '=', classId).where('deleted', '=', 0).executeTakeFirst();
  if (!cls) throw new AppError('not_found', 'That class is not on this device. Sync, then try again, or choose another class.');
  return cls;
}

/** The enrolled students of a class in name order, with their mark in the register if it has
 * one: students_enrolled_by_class in order, each mark found by (session, student). */
export function registerQuery(db: Db, classId: string, sessionId: string) {
  return db
    .selectFrom('students as s')
    .leftJoin('attendance_records as r', (j) => j.on('r.session_id', '=', sessionId).onRef('r.student_id', '=', 's.id').on('r.deleted', '=', 0))
    .select(['s.id as studentId', 's.admission_no as admissionNo', studentName('s').as('name'), 'r.status', 'r.reason'])
    .where('s.class_id', '=', classId)
    .where('s.status', '=', 'enrolled')
    .where('s.deleted', '=', 0)
    .orderBy('s.last_name')
    .orderBy('s.first_name')
    .orderBy('s.id');
}

/** Students marked in the register who are no longer enrolled in the class (moved, withdrawn):
 * their marks stay part of the register. */
function leftClassQuery(db: Db, classId: string, sessionId: string) {
  return db
    .selectFrom('attendance_records as r')
    .innerJoin('students as s', 's.id', 'r.student_id')
    .select(['s.id as studentId', 's.admission_no as admissionNo', studentName('s').as('name'), 'r.status', 'r.reason', 's.last_name', 's.first_name'])
    .where('r.session_id', '=', sessionId)
    .where('r.deleted', '=', 0)
    .where(sql<boolean>`not (s.class_id is ${classId} and s.status = 'enrolled' and s.deleted = 0)`);
}

/**
 * One register as the teacher sees it: every enrolled student, present unless marked otherwise.
 * A register nobody saved yet (or one removed) shows everyone present.
 */
export async function readRegister(db: Db, classId: string, date: string, period: string): Promise<RegisterView> {
  const cls = await requireClass(db, classId);
  const sessionId = attendanceSessionId(classId, date, period);
  const session = await db
    .selectFrom('attendance_sessions as se')
    .leftJoin('staff as st', 'st.id', 'se.taken_by')
    .select(['se.note', 'st.display_name as takenBy'])
    .where('se.id', '=', sessionId)
    .where('se.deleted', '=', 0)
    .executeTakeFirst();
  const members = await registerQuery(db, classId, sessionId).execute();
  const left = session ? await leftClassQuery(db, classId, sessionId).orderBy('s.last_name').orderBy('s.first_name').execute() : [];
  const row = (r: { studentId: string; admissionNo: string; name: string; status: string | null; reason: string | null }, leftClass: boolean): RegisterRow => ({
    studentId: r.studentId,
    admissionNo: r.admissionNo,
    name: r.name,
    status: (session && r.status ? r.status : 'present') as AttendanceStatus,
    reason: session ? r.reason : null,
    leftClass,
  });
  return {
    classId,
    className: cls.name,
    date,
    period: period.trim(),
    taken: session !== undefined,
    takenBy: session?.takenBy ?? null,
    note: session?.note ?? '',
    rows: [...members.map((m) => row(m, false)), ...left.map((m) => row(m, true))],
  };
}

/** Who may be marked in a register: the class's enrolled students and anyone already marked in it. */
export async function registerStudents(db: Db, classId: string, sessionId: string): Promise<Set<string>> {
  const members = await registerQuery(db, classId, sessionId).execute();
  const left = await leftClassQuery(db, classId, sessionId).execute();
  return new Set([...members, ...left].map((m) => m.studentId));
}

/** The marks of a student newest first (date, period, mark id), on attendance_history_by_student. */
export function historyPageQuery(db: Db, studentId: string, range: { from?: string; to?: string }, after: HistoryCursor | null, limit: number) {
  let q = db
    .selectFrom('attendance_history as h')
    .innerJoin('attendance_records as r', 'r.id', 'h.record_id')
    .innerJoin('attendance_sessions as se', 'se.id', 'h.session_id')
    .leftJoin('classes as c', 'c.id', 'se.class_id')
    .select(['h.record_id as id', 'h.date', 'h.period', 'c.name as className', 'r.status', 'r.reason'])
    .where('h.student_id', '=', studentId)
    .where('r.deleted', '=', 0)
    .where('se.deleted', '=', 0);
  if (range.from) q = q.where('h.date', '>=', range.from);
  // One upper bound, the tighter of the range's end and the cursor, so SQLite seeks straight to it.
  if (after && (!range.to || after.date <= range.to)) q = q.where(sql<boolean>`(h.date, h.period, h.record_id) < (${after.date}, ${after.period}, ${after.id})`);
  else if (range.to) q = q.where('h.date', '<=', range.to);
  return q.orderBy('h.date', 'desc').orderBy('h.period', 'desc').orderBy('h.record_id', 'desc').limit(limit + 1);
}

async function historyTotals(db: Db, studentId: string, range: { from?: string; to?: string }): Promise<StatusTotals> {
  let q = db
    .selectFrom('attendance_history as h')
    .innerJoin('attendance_records as r', 'r.id', 'h.record_id')
    .innerJoin('attendance_sessions as se', 'se.id', 'h.session_id')
    .select(['r.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('h.student_id', '=', studentId)
    .where('r.deleted', '=', 0)
    .where('se.deleted', '=', 0)
    .groupBy('r.status');
  if (range.from) q = q.where('h.date', '>=', range.from);
  if (range.to) q = q.where('h.date', '<=', range.to);
  const totals = emptyTotals();
  for (const { status, n } of await q.execute()) {
    totals[status as AttendanceStatus] = Number(n);
    totals.marked += Number(n);
  }
  return totals;
}

export async function studentHistory(
  db: Db,
  input: { studentId: string; from?: string; to?: string; after: HistoryCursor | null; limit: number },
): Promise<HistoryPage> {
  const student = await db
    .selectFrom('students')
    .select(['id', studentName('students').as('name'), 'admission_no as admissionNo', 'class_name as className'])
    .where('id', '=', input.studentId)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (!student) throw new AppError('not_found', 'That student is not on this device. Sync, then try again.');
  const raw = await historyPageQuery(db, input.studentId, input, input.after, input.limit).execute();
  const rows = raw.map((r) => ({ ...r, status: r.status as AttendanceStatus }));
  const page = keysetPage(rows, input.limit, (r) => ({ date: r.date, period: r.period, id: r.id }));
  return { student, totals: input.after ? null : await historyTotals(db, input.studentId, input), ...page };
}

/** Marks per school day of a class's registers in a date range: the registers in date order on
 * attendance_sessions_by_class_date, their marks counted on attendance_records_status. */
export function dailyCountsQuery(db: Db, classId: string, from: string, to: string) {
  return db
    .selectFrom('attendance_sessions as se')
    .innerJoin('attendance_records as r', (j) => j.onRef('r.session_id', '=', 'se.id').on('r.deleted', '=', 0))
    .select(['se.date', (eb) => eb.fn.countAll<number>().as('marked'), presentOrLate.as('presentOrLate')])
    .where('se.class_id', '=', classId)
    .where('se.date', '>=', from)
    .where('se.date', '<=', to)
    .where('se.deleted', '=', 0)
    .groupBy('se.date')
    .orderBy('se.date');
}

export async function classRates(db: Db, input: { classId: string; from: string; to: string }): Promise<ClassRates> {
  const cls = await requireClass(db, input.classId);
  const days = (await dailyCountsQuery(db, input.classId, input.from, input.to).execute()).map((d) => ({ ...d, marked: Number(d.marked), presentOrLate: Number(d.presentOrLate) }));
  const weeks = weeklyRates(input.from, input.to, days);
  const marked = weeks.reduce((s, w) => s + w.marked, 0);
  const present = weeks.reduce((s, w) => s + w.presentOrLate, 0);
  return { className: cls.name, weeks, overall: { marked, presentOrLate: present, rate: rateOf(present, marked) } };
}

/** Today's registers across the school: how many classes have one, and present or late of marked. */
export async function attendanceOn(db: Db, date: string): Promise<{ classesTaken: number; marked: number; presentOrLate: number }> {
  const r = await db
    .selectFrom('attendance_sessions as se')
    .leftJoin('attendance_records as r', (j) => j.onRef('r.session_id', '=', 'se.id').on('r.deleted', '=', 0))
    .select([sql<number>`count(distinct se.class_id)`.as('classesTaken'), (eb) => eb.fn.count<number>('r.session_id').as('marked'), presentOrLate.as('presentOrLate')])
    .where('se.date', '=', date)
    .where('se.deleted', '=', 0)
    .executeTakeFirstOrThrow();
  return { classesTaken: Number(r.classesTaken), marked: Number(r.marked), presentOrLate: Number(r.presentOrLate) };
}
