// The school-wide attendance list (attendance.records): every mark newest first, filtered by a
// date range, a class and/or one mark, keyset paged exactly once each; marks pulled before their
// registers, a mark changed later and removed marks all show as they should; bad input is refused
// with a clear message; each filter walks its own index without sorting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, refusal, type TestDevice } from '../support/local-device.js';
import { classRow, planOf, seedClasses } from '../support/attendance-school.js';
import { attendanceRecordId, attendanceSessionId, type AttendanceRecordRow, type AttendanceSessionRow, type AttendanceStatus } from '../../shared/domain/attendance.js';
import type { AttendanceListCursor, AttendanceListInput, AttendanceListPage, AttendanceListRow } from '../../shared/domain/attendance-list.js';
import { addDays } from '../../shared/domain/calendar-views.js';
import { EMPTY_META } from '../../shared/domain/records.js';
import type { ClassRow } from '../../shared/domain/classes.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { attendanceListQuery, type AttendanceListFilter } from '../../electron/core/queries/attendance-records.js';

let device: TestDevice;
let classes: ClassRow[];
let byClass: Map<string, StudentRow[]>;
/** Every live mark the device holds, as the list should show it. */
let marks: { id: string; date: string; period: string; sessionId: string; classId: string; studentId: string; status: AttendanceStatus }[] = [];

const STATUSES: AttendanceStatus[] = ['present', 'present', 'present', 'absent', 'late', 'present', 'excused'];
const DAYS = Array.from({ length: 12 }, (_, i) => addDays('2025-02-03', i));

const session = (classId: string, date: string, period = '', deleted = false): AttendanceSessionRow => ({
  id: attendanceSessionId(classId, date, period), class_id: classId, date, period, taken_by: null, note: '', deleted, meta: EMPTY_META,
});
const record = (sessionId: string, studentId: string, status: AttendanceStatus, deleted = false): AttendanceRecordRow => ({
  id: attendanceRecordId(sessionId, studentId), session_id: sessionId, student_id: studentId, status, reason: status === 'absent' ? 'Sick' : null, deleted, meta: EMPTY_META,
});

/** The list's order: date, period, register, mark id, all newest (greatest) first. */
function expected(filter: AttendanceListFilter) {
  const key = (m: (typeof marks)[number]) => [m.date, m.period, m.sessionId, m.id];
  return marks
    .filter((m) => (!filter.classId || m.classId === filter.classId) && (!filter.status || m.status === filter.status) && (!filter.from || m.date >= filter.from) && (!filter.to || m.date <= filter.to))
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? 1 : -1;
      return 0;
    })
    .map((m) => m.id);
}

async function allPages(filter: AttendanceListFilter, limit: number): Promise<{ rows: AttendanceListRow[]; pages: number }> {
  const rows: AttendanceListRow[] = [];
  let after: AttendanceListCursor | null = null;
  let pages = 0;
  do {
    const page: AttendanceListPage = await call(device.core, 'attendance.records', { ...filter, after, limit });
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    rows.push(...page.rows);
    after = page.next;
    pages++;
  } while (after);
  return { rows, pages };
}

beforeAll(async () => {
  device = await openTestDevice({ students: 24 });
  classes = [classRow('Grade 3', 3, 'East', 2025), classRow('Grade 3', 3, 'West', 2025), classRow('Form 4', 13, 'Lion', 2025)];
  byClass = await seedClasses(device, classes, 8);
  const sessions: AttendanceSessionRow[] = [];
  const records: AttendanceRecordRow[] = [];
  DAYS.forEach((date, d) => {
    classes.forEach((cls, c) => {
      // Not every register every day; the first class also takes a period's register on Mondays.
      if ((d + c) % 4 === 3) return;
      const periods = c === 0 && new Date(`${date}T00:00:00Z`).getUTCDay() === 1 ? ['', 'P1'] : [''];
      for (const period of periods) {
        const se = session(cls.id, date, period);
        sessions.push(se);
        byClass.get(cls.id)!.forEach((s, i) => {
          const status = STATUSES[(d * 3 + c + i) % STATUSES.length]!;
          records.push(record(se.id, s.id, status));
          marks.push({ id: attendanceRecordId(se.id, s.id), date, period, sessionId: se.id, classId: cls.id, studentId: s.id, status });
        });
      }
    });
  });
  // Marks before their registers, as a snapshot may stream them.
  await pullRows(device.core, 'attendance_records', records);
  await pullRows(device.core, 'attendance_sessions', sessions);
});
afterAll(() => device.dispose());

describe('attendance.records', () => {
  it('lists every mark once, newest first, with its class, student and reason', async () => {
    const { rows, pages } = await allPages({}, 50);
    expect(rows.map((r) => r.id)).toEqual(expected({}));
    expect(pages).toBe(Math.ceil(marks.length / 50));
    const absent = rows.find((r) => r.status === 'absent')!;
    const student = device.students.find((s) => s.id === absent.studentId)!;
    expect(absent).toMatchObject({ reason: 'Sick', studentName: `${student.first_name} ${student.last_name}`, admissionNo: student.admission_no });
    expect(classes.find((c) => c.id === absent.classId)!.name).toBe(absent.className);
  });

  it('filters by class, by mark, by both and by a date range, across pages', async () => {
    const filters: AttendanceListFilter[] = [
      { classId: classes[0]!.id },
      { status: 'absent' },
      { status: 'late', classId: classes[2]!.id },
      { from: '2025-02-05', to: '2025-02-10' },
      { from: '2025-02-05', to: '2025-02-10', status: 'present' },
      { to: '2025-02-04', classId: classes[1]!.id },
    ];
    for (const filter of filters) {
      const want = expected(filter);
      expect(want.length).toBeGreaterThan(7);
      const { rows } = await allPages(filter, 7);
      expect(rows.map((r) => r.id), JSON.stringify(filter)).toEqual(want);
    }
  });

  it('follows a mark changed later and drops marks and registers the server removed', async () => {
    const m = marks.find((x) => x.status === 'present')!;
    await pullRows(device.core, 'attendance_records', [record(m.sessionId, m.studentId, 'absent')]);
    m.status = 'absent';
    const gone = marks.find((x) => x.status === 'late')!;
    await pullRows(device.core, 'attendance_records', [record(gone.sessionId, gone.studentId, 'late', true)]);
    const cls = classes.find((c) => c.id === marks[marks.length - 1]!.classId)!;
    const removed = session(cls.id, marks[marks.length - 1]!.date);
    await pullRows(device.core, 'attendance_sessions', [{ ...removed, deleted: true }]);
    marks = marks.filter((x) => x !== gone && x.sessionId !== removed.id);
    expect((await allPages({ status: 'absent' }, 20)).rows.map((r) => r.id)).toEqual(expected({ status: 'absent' }));
    expect((await allPages({}, 100)).rows.map((r) => r.id)).toEqual(expected({}));
  });

  it('refuses bad input with a clear message', async () => {
    const bad = async (input: AttendanceListInput) => (await refusal(device.core, 'attendance.records', input)).message;
    expect(await bad({ from: '2025-02-10', to: '2025-02-01' })).toContain('The end date is before the start date.');
    expect(await bad({ from: '2025-02-30' })).toContain('That date does not exist.');
    expect(await bad({ classId: 'grade-3' })).toContain('Choose a class.');
    expect(await bad({ status: 'asleep' as AttendanceStatus })).toMatch(/status/i);
    expect(await bad({ limit: 501 })).toMatch(/limit/i);
    expect(await bad({ sort: 'name' } as AttendanceListInput)).toMatch(/sort/);
  });
});

describe('query plans', () => {
  const cursor: AttendanceListCursor = { date: '2025-02-08', period: '', sessionId: 'x', id: 'y' };
  const cases: [AttendanceListFilter, RegExp][] = [
    [{}, /^SEARCH h USING INDEX attendance_history_by_date \(date<\?\)|^SEARCH h USING INDEX attendance_history_by_date \(\(date,period,session_id,record_id\)<\(\?,\?,\?,\?\)\)/],
    [{ from: '2025-02-01', to: '2025-02-28' }, /^SEARCH h USING INDEX attendance_history_by_date \(date>\? AND date<\?\)|^SEARCH h USING INDEX attendance_history_by_date \(date>\?/],
    [{ status: 'absent', from: '2025-02-01' }, /^SEARCH h USING INDEX attendance_history_by_status \(status=\? AND/],
    [{ classId: '0190ffff-0000-7000-8000-0000000000c1', status: 'late' }, /^SEARCH h USING INDEX attendance_history_by_class \(class_id=\? AND/],
  ];
  it.each(cases)('%j walks its index from the cursor, newest first, without sorting', (filter, first) => {
    const plan = planOf(device, attendanceListQuery(device.core.store.db, filter, cursor, 50).compile());
    expect(plan[0]).toMatch(first);
    expect(plan.filter((d) => d.includes('TEMP B-TREE') || /^SCAN /.test(d))).toEqual([]);
  });

  it.each(cases)('%j walks its index from the top for the first page', (filter) => {
    const plan = planOf(device, attendanceListQuery(device.core.store.db, filter, null, 50).compile());
    expect(plan[0]).toMatch(/^SEARCH h USING INDEX attendance_history_by_(date|status|class) /);
    expect(plan.filter((d) => d.includes('TEMP B-TREE') || /^SCAN /.test(d))).toEqual([]);
  });
});
