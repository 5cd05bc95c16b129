// The office dashboard on a crafted school: enrolment by class of the current year, today's
// registers and rate, the next 14 days' events, the signed-in person's unread messages and the
// open conflicts; each figure from one indexed query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, signInAs, staffFor, type TestDevice } from '../support/local-device.js';
import { classRow, planOf, seedClasses } from '../support/attendance-school.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import { addDays } from '../../shared/domain/calendar-views.js';
import { uuidv7 } from '../../shared/ids.js';
import { messageReadId, type MessageRow } from '../../shared/domain/messages.js';
import type { ConflictRow } from '../../shared/domain/conflicts.js';
import type { ClassRow } from '../../shared/domain/classes.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { enrolmentQuery } from '../../electron/core/queries/office.js';

let device: TestDevice;
const today = schoolDate(new Date(), 'Africa/Nairobi');
const year = Number(today.slice(0, 4));
let current: ClassRow[];
let byClass: Map<string, StudentRow[]>;

function message(to: string[], subject: string): MessageRow {
  return { id: uuidv7(), sender_id: staffFor('registrar').id, sender_name: 'Registrar Person', to_staff_ids: to, to_label: '', subject, body: '', sent_at: new Date().toISOString(), device_id: uuidv7() };
}
function conflict(resolved: boolean): ConflictRow {
  return {
    id: uuidv7(), kind: 'overwritten', table_name: 'students', row_id: uuidv7(), field: 'first_name', kept_value: '"A"', lost_value: '"B"',
    kept_by: null, kept_device: null, lost_by: null, lost_device: null, other_row_id: null, raised_at: new Date().toISOString(),
    resolved_at: resolved ? new Date().toISOString() : null, resolved_by: null, resolution: resolved ? 'kept' : null,
  };
}

beforeAll(async () => {
  device = await openTestDevice({ students: 40, signInAs: 'head_teacher' });
  current = [classRow('Grade 1', 1, 'A', year), classRow('Grade 1', 1, 'B', year), classRow('Grade 2', 2, '', year)];
  const lastYear = classRow('Grade 1', 1, 'A', year - 1);
  const nextYear = classRow('Grade 2', 2, 'A', year + 1);
  // Grade 1 A: 10, Grade 1 B: 10 (one withdrawn, one removed), Grade 2: 10, last year's class: 5, next year's: 5.
  byClass = await seedClasses(device, [...current, lastYear, nextYear], 10);
  const b = byClass.get(current[1]!.id)!;
  await pullRows(device.core, 'students', [{ ...b[0]!, status: 'withdrawn' }, { ...b[1]!, deleted: true }]);

  const a = byClass.get(current[0]!.id)!;
  const statuses = ['present', 'present', 'present', 'present', 'present', 'present', 'present', 'late', 'absent', 'excused'] as const;
  await signInAs(device.core, 'teacher');
  await call(device.core, 'attendance.save', { classId: current[0]!.id, date: today, marks: a.map((s, i) => ({ studentId: s.id, status: statuses[i]!, reason: statuses[i] === 'excused' ? 'Clinic' : null })) });
  // Yesterday's register of Grade 2 does not count for today.
  const g2 = byClass.get(current[2]!.id)!;
  await call(device.core, 'attendance.save', { classId: current[2]!.id, date: addDays(today, -1), marks: g2.map((s) => ({ studentId: s.id, status: 'absent' })) });

  await signInAs(device.core, 'registrar');
  for (const [title, startsOn, endsOn] of [
    ['Already running', addDays(today, -3), today],
    ['Today', today, today],
    ['In 13 days', addDays(today, 13), addDays(today, 13)],
    ['In 14 days', addDays(today, 14), addDays(today, 14)],
    ['Ended yesterday', addDays(today, -5), addDays(today, -1)],
  ] as const) {
    await call(device.core, 'events.save', { title, type: 'other', startsOn, endsOn });
  }
  const gone = await call(device.core, 'events.save', { title: 'Deleted', type: 'other', startsOn: today, endsOn: today });
  await call(device.core, 'events.delete', { id: gone.id });

  const me = staffFor('head_teacher').id;
  const read = message([me, staffFor('teacher').id], 'Read already');
  await pullRows(device.core, 'messages', [message([me], 'One'), message([staffFor('teacher').id, me], 'Two'), read, message([staffFor('teacher').id], 'Not mine')]);
  await pullRows(device.core, 'message_reads', [{ id: messageReadId(read.id, me), message_id: read.id, staff_id: me, read_at: new Date().toISOString() }]);
  await pullRows(device.core, 'record_conflicts', [conflict(false), conflict(false), conflict(false), conflict(true)]);
  await signInAs(device.core, 'head_teacher');
});
afterAll(() => device.dispose());

describe('the office dashboard', () => {
  it('adds up the crafted school', async () => {
    const d = await call(device.core, 'office.dashboard', {});
    expect(d.today).toBe(today);
    expect(d.academicYear).toBe(year);
    expect(d.enrolment).toEqual([
      { id: current[0]!.id, name: 'Grade 1 A', enrolled: 10 },
      { id: current[1]!.id, name: 'Grade 1 B', enrolled: 8 },
      { id: current[2]!.id, name: 'Grade 2', enrolled: 10 },
    ]);
    expect(d.attendanceToday).toEqual({ classes: 3, classesTaken: 1, marked: 10, presentOrLate: 8, rate: 0.8 });
    expect(d.upcoming.map((e) => e.title)).toEqual(['Already running', 'Today', 'In 13 days']);
    expect(d.unreadMessages).toBe(2);
    expect(d.openConflicts).toBe(3);
  });

  it('counts messages for whoever is signed in', async () => {
    await signInAs(device.core, 'registrar');
    try {
      expect((await call(device.core, 'office.dashboard', {})).unreadMessages).toBe(0);
    } finally {
      await signInAs(device.core, 'head_teacher');
    }
  });

  it('counts enrolment from an index alone, classes in grade order', () => {
    const plan = planOf(device, enrolmentQuery(device.core.store.db, year).compile());
    expect(plan.join('\n')).toMatch(/SEARCH c USING INDEX classes_by_year \(academic_year=\?\)/);
    expect(plan.join('\n')).toMatch(/SEARCH s USING COVERING INDEX students_enrolled_by_class \(class_id=\?\)/);
    expect(plan.filter((d) => d.includes('TEMP B-TREE') || /^SCAN /.test(d))).toEqual([]);
  });

  it('counts today’s marks and unread messages and open conflicts on indexes', () => {
    const sqlite = device.core.store.sqlite;
    const plan = (q: string, ...p: unknown[]) => (sqlite.prepare(`explain query plan ${q}`).all(...p) as { detail: string }[]).map((d) => d.detail).join('\n');
    expect(plan("select count(*) from message_inbox where staff_id = ? and read_at is null", 'x')).toMatch(/^SEARCH message_inbox USING (COVERING INDEX message_inbox_unread|PRIMARY KEY) \(staff_id=\?\)$/);
    expect(plan('select count(*) from record_conflicts where resolved_at is null')).toMatch(/COVERING INDEX record_conflicts_open \(resolved_at=\?\)/);
  });
});
