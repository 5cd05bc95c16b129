// A student's attendance history (newest first, keyset paged, with totals) and a class's rate by
// ISO week, with hand-checked numbers; marks that arrive from the server before their register
// still reach the history (the trigger-kept index); both queries walk an index in order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, refusal, type TestDevice } from '../support/local-device.js';
import { classRow, planOf, seedClasses } from '../support/attendance-school.js';
import { attendanceRecordId, attendanceSessionId, type AttendanceRecordRow, type AttendanceSessionRow, type AttendanceStatus } from '../../shared/domain/attendance.js';
import { isoWeek, type HistoryCursor, type HistoryPage, type HistoryRow } from '../../shared/domain/attendance-views.js';
import { addDays } from '../../shared/domain/calendar-views.js';
import { EMPTY_META } from '../../shared/domain/records.js';
import type { ClassRow } from '../../shared/domain/classes.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { dailyCountsQuery, historyPageQuery } from '../../electron/core/queries/attendance.js';

let device: TestDevice;
let small: ClassRow;
let solo: ClassRow;
let four: StudentRow[];
let alone: StudentRow;

const P = 'present', A = 'absent', L = 'late', E = 'excused';
type S = AttendanceStatus;

async function take(date: string, statuses: S[], period = '') {
  const marks = four.map((s, i) => ({ studentId: s.id, status: statuses[i]!, reason: statuses[i] === 'excused' ? 'Approved' : null }));
  await call(device.core, 'attendance.save', { classId: small.id, date, period, marks });
}

const session = (classId: string, date: string, deleted = false): AttendanceSessionRow => ({ id: attendanceSessionId(classId, date, ''), class_id: classId, date, period: '', taken_by: null, note: '', deleted, meta: EMPTY_META });
const record = (sessionId: string, studentId: string, status: S, deleted = false): AttendanceRecordRow => ({ id: attendanceRecordId(sessionId, studentId), session_id: sessionId, student_id: studentId, status, reason: null, deleted, meta: EMPTY_META });

// 150 school days for one student, pulled from the server, marks before their registers.
const LONG_DAYS = Array.from({ length: 150 }, (_, i) => addDays('2024-01-01', i * 2));
const longStatus = (i: number): S => (['present', 'present', 'absent', 'late', 'excused'] as const)[i % 5]!;

beforeAll(async () => {
  device = await openTestDevice({ students: 10, signInAs: 'teacher' });
  small = classRow('Grade 2', 2, 'Blue', 2025);
  solo = classRow('Grade 9', 9, 'Solo', 2024);
  const byClass = await seedClasses(device, [small, solo], 4);
  four = byClass.get(small.id)!;
  alone = byClass.get(solo.id)![0]!;

  await take('2025-03-03', [P, P, A, L]); // Mon, W10
  await take('2025-03-04', [P, P, E, A]); // Tue, W10
  await take('2025-03-12', [P, P, P, P]); // Wed, W11
  await take('2025-03-12', [L, L, A, A], 'P1'); // Wed, W11, a period's register
  await take('2025-03-28', [A, A, A, A]); // Fri, W13
  await take('2025-03-31', [P, P, P, P]); // Mon, W14: outside the range asked for

  const sessions = LONG_DAYS.map((d) => session(solo.id, d));
  const records = sessions.map((s, i) => record(s.id, alone.id, longStatus(i)));
  await pullRows(device.core, 'attendance_records', records);
  await pullRows(device.core, 'attendance_sessions', sessions);
});
afterAll(() => device.dispose());

describe('ISO weeks', () => {
  it('numbers weeks by their Thursday', () => {
    expect(isoWeek('2025-03-03')).toEqual({ week: '2025-W10', monday: '2025-03-03' });
    expect(isoWeek('2025-03-09')).toEqual({ week: '2025-W10', monday: '2025-03-03' });
    expect(isoWeek('2024-12-30').week).toBe('2025-W01');
    expect(isoWeek('2026-01-01').week).toBe('2026-W01');
    expect(isoWeek('2027-01-01')).toEqual({ week: '2026-W53', monday: '2026-12-28' });
  });
});

describe('a class’s weekly rate', () => {
  it('is present or late over marked, per ISO week, every week of the range listed', async () => {
    const rates = await call(device.core, 'attendance.classRates', { classId: small.id, from: '2025-03-03', to: '2025-03-30' });
    expect(rates.className).toBe('Grade 2 Blue');
    expect(rates.weeks).toEqual([
      { week: '2025-W10', monday: '2025-03-03', marked: 8, presentOrLate: 5, rate: 0.625 },
      { week: '2025-W11', monday: '2025-03-10', marked: 8, presentOrLate: 6, rate: 0.75 },
      { week: '2025-W12', monday: '2025-03-17', marked: 0, presentOrLate: 0, rate: null },
      { week: '2025-W13', monday: '2025-03-24', marked: 4, presentOrLate: 0, rate: 0 },
    ]);
    expect(rates.overall).toEqual({ marked: 20, presentOrLate: 11, rate: 0.55 });
  });

  it('counts only the days in the range, even mid-week', async () => {
    const rates = await call(device.core, 'attendance.classRates', { classId: small.id, from: '2025-03-04', to: '2025-03-04' });
    expect(rates.weeks).toEqual([{ week: '2025-W10', monday: '2025-03-03', marked: 4, presentOrLate: 2, rate: 0.5 }]);
  });

  it('refuses a range that ends before it starts, or a class not on this device', async () => {
    expect((await refusal(device.core, 'attendance.classRates', { classId: small.id, from: '2025-03-10', to: '2025-03-01' })).message).toContain('The end date is before the start date.');
    expect((await refusal(device.core, 'attendance.classRates', { classId: '0190ffff-0000-7000-8000-0000000000c1', from: '2025-03-01', to: '2025-03-10' })).code).toBe('not_found');
  });
});

describe('a student’s history', () => {
  it('lists their marks newest first (a period’s register after the day’s), with totals', async () => {
    const page = await call(device.core, 'attendance.history', { studentId: four[3]!.id });
    expect(page.student).toMatchObject({ id: four[3]!.id, className: 'Grade 2 Blue' });
    expect(page.rows.map((r) => [r.date, r.period, r.status, r.className])).toEqual([
      ['2025-03-31', '', 'present', 'Grade 2 Blue'],
      ['2025-03-28', '', 'absent', 'Grade 2 Blue'],
      ['2025-03-12', 'P1', 'absent', 'Grade 2 Blue'],
      ['2025-03-12', '', 'present', 'Grade 2 Blue'],
      ['2025-03-04', '', 'absent', 'Grade 2 Blue'],
      ['2025-03-03', '', 'late', 'Grade 2 Blue'],
    ]);
    expect(page.totals).toEqual({ present: 2, absent: 3, late: 1, excused: 0, marked: 6 });
    expect(page.next).toBeNull();
  });

  it('pages through a long history exactly once each, marks that arrived before their registers included', async () => {
    const seen: HistoryRow[] = [];
    let after: HistoryCursor | null = null;
    let pages = 0;
    do {
      const page: HistoryPage = await call(device.core, 'attendance.history', { studentId: alone.id, after, limit: 40 });
      if (pages === 0) expect(page.totals).toEqual({ present: 60, absent: 30, late: 30, excused: 30, marked: 150 });
      else expect(page.totals).toBeNull();
      seen.push(...page.rows);
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(4);
    expect(seen.map((r) => r.date)).toEqual([...LONG_DAYS].reverse());
    expect(seen.map((r) => r.status)).toEqual(LONG_DAYS.map((_, i) => longStatus(i)).reverse());
  });

  it('keeps to a date range, across pages', async () => {
    const inRange = LONG_DAYS.filter((d) => d >= '2024-03-01' && d <= '2024-05-31');
    const first = await call(device.core, 'attendance.history', { studentId: alone.id, from: '2024-03-01', to: '2024-05-31', limit: 20 });
    const second = await call(device.core, 'attendance.history', { studentId: alone.id, from: '2024-03-01', to: '2024-05-31', limit: 100, after: first.next });
    expect([...first.rows, ...second.rows].map((r) => r.date)).toEqual([...inRange].reverse());
    expect(first.totals!.marked).toBe(inRange.length);
  });

  it('drops marks and registers the server removed', async () => {
    const [d1, d2] = [LONG_DAYS[149]!, LONG_DAYS[148]!];
    await pullRows(device.core, 'attendance_records', [record(attendanceSessionId(solo.id, d1, ''), alone.id, longStatus(149), true)]);
    await pullRows(device.core, 'attendance_sessions', [session(solo.id, d2, true)]);
    const page = await call(device.core, 'attendance.history', { studentId: alone.id, limit: 2 });
    expect(page.rows.map((r) => r.date)).toEqual([LONG_DAYS[147], LONG_DAYS[146]]);
    expect(page.totals!.marked).toBe(148);
  });

  it('refuses a student not on this device and a backwards range', async () => {
    expect((await refusal(device.core, 'attendance.history', { studentId: '0190ffff-0000-7000-8000-0000000000a1' })).message).toContain('That student is not on this device');
    expect((await refusal(device.core, 'attendance.history', { studentId: alone.id, from: '2024-05-01', to: '2024-04-01' })).message).toContain('The end date is before the start date.');
  });
});

describe('query plans', () => {
  it('the history walks attendance_history_by_student from the cursor, newest first, without sorting', () => {
    const plan = planOf(device, historyPageQuery(device.core.store.db, alone.id, {}, { date: '2024-05-01', period: '', id: 'x' }, 50).compile());
    expect(plan[0]).toMatch(/^SEARCH h USING (COVERING )?INDEX attendance_history_by_student \(student_id=\? AND/);
    expect(plan.filter((d) => d.includes('TEMP B-TREE') || /^SCAN /.test(d))).toEqual([]);
  });

  it('the weekly rate walks the class’s registers in date order and counts marks from an index', () => {
    const plan = planOf(device, dailyCountsQuery(device.core.store.db, small.id, '2025-01-01', '2025-12-31').compile());
    expect(plan[0]).toMatch(/^SEARCH se USING INDEX attendance_sessions_by_class_date \(class_id=\? AND date>\? AND date<\?\)/);
    expect(plan.join('\n')).toMatch(/SEARCH r USING COVERING INDEX attendance_records_status/);
    expect(plan.filter((d) => d.includes('TEMP B-TREE') || /^SCAN /.test(d))).toEqual([]);
  });
});
