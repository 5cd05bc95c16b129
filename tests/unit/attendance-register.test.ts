// Registers on the device: a register not yet taken shows every enrolled student present; saving
// writes the session and every mark in one transaction through saveRecords (only changed marks are
// queued on an edit); refusals name what is wrong and leave the data and the outbox as they were;
// the register query walks its index in name order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestDevice, refusal, signInAs, staffFor, type TestDevice } from '../support/local-device.js';
import { classRow, countRows, planOf, queued, seedClasses } from '../support/attendance-school.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import { addDays } from '../../shared/domain/calendar-views.js';
import { attendanceRecordId, attendanceSessionId } from '../../shared/domain/attendance.js';
import type { ClassRow } from '../../shared/domain/classes.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { registerQuery } from '../../electron/core/queries/attendance.js';
import { pullRows } from '../support/local-device.js';

let device: TestDevice;
let east: ClassRow;
let west: ClassRow;
let members: StudentRow[];
let others: StudentRow[];
const today = schoolDate(new Date(), 'Africa/Nairobi');

const snapshot = () => ({ outbox: countRows(device, 'outbox'), sessions: countRows(device, 'attendance_sessions'), records: countRows(device, 'attendance_records'), history: countRows(device, 'attendance_history') });
const allPresent = (list: StudentRow[]) => list.map((s) => ({ studentId: s.id, status: 'present' as const }));

beforeAll(async () => {
  device = await openTestDevice({ students: 30, signInAs: 'teacher' });
  east = classRow('Grade 4', 4, 'East', Number(today.slice(0, 4)));
  west = classRow('Grade 4', 4, 'West', Number(today.slice(0, 4)));
  const byClass = await seedClasses(device, [east, west], 12);
  members = byClass.get(east.id)!;
  others = byClass.get(west.id)!;
});
afterAll(() => device.dispose());

describe('a register', () => {
  it('not taken yet shows every enrolled student of the class as present, in name order', async () => {
    const register = await call(device.core, 'attendance.register', { classId: east.id, date: today });
    expect(register).toMatchObject({ className: 'Grade 4 East', date: today, period: '', taken: false, takenBy: null, note: '' });
    expect(register.rows).toHaveLength(12);
    expect(register.rows.every((r) => r.status === 'present' && r.reason === null && !r.leftClass)).toBe(true);
    const sorted = [...members].sort((a, b) => a.last_name.localeCompare(b.last_name) || a.first_name.localeCompare(b.first_name) || a.id.localeCompare(b.id));
    expect(register.rows.map((r) => r.studentId)).toEqual(sorted.map((s) => s.id));
    expect(snapshot().outbox).toBe(0);
  });

  it('lists the current year’s classes with their enrolment for the picker, and the school’s today', async () => {
    const { classes, today: t } = await call(device.core, 'attendance.classes', {});
    expect(t).toBe(today);
    expect(classes).toEqual([
      { id: east.id, name: 'Grade 4 East', enrolled: 12 },
      { id: west.id, name: 'Grade 4 West', enrolled: 12 },
    ]);
  });

  it('saves the session and every mark (present ones too) in one go, and reopens as saved', async () => {
    const marks = allPresent(members).map((m, i) =>
      i === 0 ? { ...m, status: 'absent' as const, reason: 'Sick' } : i === 1 ? { ...m, status: 'late' as const, reason: null } : i === 2 ? { ...m, reason: 'ignored for present' } : m,
    );
    const { changed, register } = await call(device.core, 'attendance.save', { classId: east.id, date: today, marks, note: 'Assembly ran late' });
    expect(changed).toBe(12);
    expect(register).toMatchObject({ taken: true, takenBy: staffFor('teacher').display_name, note: 'Assembly ran late' });
    const q = queued(device);
    expect(q.map((m) => m.name)).toEqual(['attendanceSessions.save', 'attendance.mark']);
    const sessionId = attendanceSessionId(east.id, today, '');
    expect(q[0]!.args.rows).toEqual([{ id: sessionId, create: true, fields: { class_id: east.id, date: today, period: '', taken_by: staffFor('teacher').id, note: 'Assembly ran late' }, base: { class_id: 0, date: 0, period: 0, taken_by: 0, note: 0 } }]);
    expect(q[1]!.args.rows).toHaveLength(12);
    expect(q[1]!.args.rows!.find((r) => r.id === attendanceRecordId(sessionId, members[0]!.id))!.fields).toMatchObject({ status: 'absent', reason: 'Sick' });
    // A reason given with "present" is not kept.
    expect(q[1]!.args.rows!.find((r) => r.id === attendanceRecordId(sessionId, members[2]!.id))!.fields).toMatchObject({ status: 'present', reason: null });

    const again = await call(device.core, 'attendance.register', { classId: east.id, date: today });
    const byId = new Map(again.rows.map((r) => [r.studentId, r]));
    expect(byId.get(members[0]!.id)).toMatchObject({ status: 'absent', reason: 'Sick' });
    expect(byId.get(members[1]!.id)).toMatchObject({ status: 'late', reason: null });
    expect(again.rows.filter((r) => r.status === 'present')).toHaveLength(10);
  });

  it('saves only the marks that changed on an edit, each with the version it was read at', async () => {
    const current = await call(device.core, 'attendance.register', { classId: east.id, date: today });
    const before = queued(device).length;
    const marks = current.rows.map((r) => (r.studentId === members[1]!.id ? { studentId: r.studentId, status: 'present' as const } : { studentId: r.studentId, status: r.status, reason: r.reason }));
    const { changed } = await call(device.core, 'attendance.save', { classId: east.id, date: today, marks, note: 'Assembly ran late' });
    expect(changed).toBe(1);
    const added = queued(device).slice(before);
    expect(added.map((m) => m.name)).toEqual(['attendance.mark']);
    expect(added[0]!.args.rows).toEqual([{ id: attendanceRecordId(attendanceSessionId(east.id, today, ''), members[1]!.id), create: false, fields: { status: 'present' }, base: { status: 0 } }]);

    const unchanged = await call(device.core, 'attendance.save', { classId: east.id, date: today, marks, note: 'Assembly ran late' });
    expect(unchanged.changed).toBe(0);
    expect(queued(device)).toHaveLength(before + 1);
  });

  it('keeps a period’s register apart from the day’s', async () => {
    const p3 = await call(device.core, 'attendance.register', { classId: east.id, date: today, period: ' P3 ' });
    expect(p3).toMatchObject({ period: 'P3', taken: false });
    expect(p3.rows.every((r) => r.status === 'present')).toBe(true);
    await call(device.core, 'attendance.save', { classId: east.id, date: today, period: 'P3', marks: allPresent(members).map((m, i) => (i === 5 ? { ...m, status: 'excused', reason: 'Music exam' } : m)) });
    const saved = await call(device.core, 'attendance.register', { classId: east.id, date: today, period: 'P3' });
    expect(saved.rows.find((r) => r.studentId === members[5]!.id)).toMatchObject({ status: 'excused', reason: 'Music exam' });
    const day = await call(device.core, 'attendance.register', { classId: east.id, date: today });
    expect(day.rows.find((r) => r.studentId === members[5]!.id)!.status).toBe('present');
  });

  it('keeps a student who left the class in the registers they were marked in', async () => {
    const yesterday = addDays(today, -1);
    await call(device.core, 'attendance.save', { classId: east.id, date: yesterday, marks: allPresent(members).map((m, i) => (i === 11 ? { ...m, status: 'absent' } : m)) });
    const mover = members[11]!;
    await pullRows(device.core, 'students', [{ ...mover, class_id: west.id, class_name: west.name }]);
    const register = await call(device.core, 'attendance.register', { classId: east.id, date: yesterday });
    expect(register.rows).toHaveLength(12);
    expect(register.rows.at(-1)).toMatchObject({ studentId: mover.id, status: 'absent', leftClass: true });
    // Not in a register they were never marked in.
    const fresh = await call(device.core, 'attendance.register', { classId: east.id, date: addDays(today, -2) });
    expect(fresh.rows.map((r) => r.studentId)).not.toContain(mover.id);
    await pullRows(device.core, 'students', [mover]);
  });
});

describe('refusals leave the registers and the outbox as they were', () => {
  async function refused(input: Parameters<typeof call<'attendance.save'>>[2]) {
    const before = snapshot();
    const error = await refusal(device.core, 'attendance.save', input);
    expect(snapshot()).toEqual(before);
    return error;
  }

  it('a student who is not in the class, named', async () => {
    const stranger = others[0]!;
    const error = await refused({ classId: east.id, date: today, marks: [...allPresent(members), { studentId: stranger.id, status: 'absent' }] });
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(`Not in Grade 4 East: ${stranger.first_name} ${stranger.last_name} (${stranger.admission_no})`);
  });

  it('a student this device does not know', async () => {
    const error = await refused({ classId: east.id, date: today, marks: [{ studentId: '0190ffff-0000-7000-8000-000000000001', status: 'absent' }] });
    expect(error.message).toContain('1 student not on this device');
  });

  it('a day in the future (the school’s today decides)', async () => {
    const tomorrow = addDays(today, 1);
    const error = await refused({ classId: east.id, date: tomorrow, marks: allPresent(members) });
    expect(error.message).toBe(`${tomorrow} is after today (${today}): a register can only be taken for today or an earlier day.`);
  });

  it('a date that does not exist', async () => {
    const error = await refused({ classId: east.id, date: '2026-02-30', marks: allPresent(members) });
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('That date does not exist.');
  });

  it('a class that is not on this device', async () => {
    const error = await refused({ classId: '0190ffff-0000-7000-8000-0000000000c1', date: today, marks: allPresent(members) });
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('That class is not on this device');
  });

  it('an excused student without a reason, named', async () => {
    const s = members[3]!;
    const error = await refused({ classId: east.id, date: today, marks: allPresent(members).map((m) => (m.studentId === s.id ? { ...m, status: 'excused', reason: '  ' } : m)) });
    expect(error.message).toBe(`Give a reason for excusing ${s.first_name} ${s.last_name}.`);
  });

  it('a student marked twice, an unknown status, a period name too long', async () => {
    expect((await refused({ classId: east.id, date: today, marks: [...allPresent(members), { studentId: members[0]!.id, status: 'late' }] })).message).toContain('A student is marked twice');
    expect((await refused({ classId: east.id, date: today, marks: [{ studentId: members[0]!.id, status: 'asleep' as never }] })).code).toBe('invalid_input');
    expect((await refused({ classId: east.id, date: today, period: 'P'.repeat(21), marks: allPresent(members) })).message).toContain('at most 20 characters');
  });

  it('someone who may not mark attendance', async () => {
    await signInAs(device.core, 'bursar');
    try {
      expect((await refused({ classId: east.id, date: today, marks: allPresent(members) })).code).toBe('forbidden');
    } finally {
      await signInAs(device.core, 'teacher');
    }
  });
});

describe('the register query', () => {
  it('walks the class’s enrolled students in name order and finds each mark by its key', () => {
    const plan = planOf(device, registerQuery(device.core.store.db, east.id, attendanceSessionId(east.id, today, '')).compile());
    expect(plan.join('\n')).toMatch(/SEARCH s USING (COVERING )?INDEX students_enrolled_by_class \(class_id=\?\)/);
    expect(plan.join('\n')).toMatch(/SEARCH r USING INDEX attendance_records_(by_session \(session_id=\? AND student_id=\?\)|status)/);
    expect(plan.filter((d) => d.includes('TEMP B-TREE') || /^SCAN /.test(d))).toEqual([]);
  });
});
