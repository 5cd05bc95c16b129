import type { AttendanceRecordRow, AttendanceSessionRow, AttendanceStatus } from '../../../shared/domain/attendance.js';
import { attendanceRecordId, attendanceSessionId } from '../../../shared/domain/attendance.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { EMPTY_META } from '../../../shared/domain/records.js';
import { DEMO_CLASSES, demoClassNamed } from './office-classes.js';
import type { DemoStudentBase } from './office-families.js';
import { mulberry32 } from './prng.js';

// The demo's registers: every class's daily register for the last ten school days before the
// seeding day (today's is left for a user to take), marked by the class teacher: most children
// present, a few late, absent or excused, with the reasons parents gave.

const RECORD = { deleted: false, meta: EMPTY_META } as const;
export const DEMO_REGISTER_DAYS = 10;

const MARKS: readonly { status: AttendanceStatus; share: number; reasons: readonly (string | null)[] }[] = [
  { status: 'late', share: 0.025, reasons: ['The bus was late.', 'Heavy rain.', null] },
  { status: 'absent', share: 0.035, reasons: ['Sick (parent called).', 'Family matter.', null, null] },
  { status: 'excused', share: 0.01, reasons: ['Clinic appointment.', 'Representing the school at the county games.'] },
];

const dateBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** Monday to Friday, and not a holiday. */
export const isSchoolDay = (date: string, holidays: ReadonlySet<string>): boolean => weekday(date) !== 0 && weekday(date) !== 6 && !holidays.has(date);

/** The school days (Monday to Friday, not a holiday) before the school's today, oldest first. */
export function lastSchoolDays(now: Date, timeZone: string, holidays: ReadonlySet<string>, count = DEMO_REGISTER_DAYS): string[] {
  const days: string[] = [];
  for (let d = dateBefore(schoolDate(now, timeZone)); days.length < count; d = dateBefore(d)) {
    if (isSchoolDay(d, holidays)) days.push(d);
  }
  return days.reverse();
}

export interface DemoRegisters {
  sessions: AttendanceSessionRow[];
  records: AttendanceRecordRow[];
}

export function demoRegisters(students: readonly DemoStudentBase[], days: readonly string[]): DemoRegisters {
  const next = mulberry32(20260606);
  const enrolled = new Map<string, DemoStudentBase[]>();
  for (const s of students) {
    const cls = demoClassNamed(s.class_name);
    if (s.status !== 'enrolled' || !cls) continue;
    const list = enrolled.get(cls.id);
    if (list) list.push(s);
    else enrolled.set(cls.id, [s]);
  }
  const out: DemoRegisters = { sessions: [], records: [] };
  for (const date of days) {
    for (const cls of DEMO_CLASSES) {
      const session: AttendanceSessionRow = { ...RECORD, id: attendanceSessionId(cls.id, date, ''), class_id: cls.id, date, period: '', taken_by: cls.class_teacher_id, note: '' };
      out.sessions.push(session);
      for (const s of enrolled.get(cls.id) ?? []) {
        let roll = next();
        let status: AttendanceStatus = 'present';
        let reason: string | null = null;
        for (const m of MARKS) {
          if (roll < m.share) {
            status = m.status;
            reason = m.reasons[Math.floor(next() * m.reasons.length)]!;
            break;
          }
          roll -= m.share;
        }
        out.records.push({ ...RECORD, id: attendanceRecordId(session.id, s.id), session_id: session.id, student_id: s.id, status, reason });
      }
    }
  }
  return out;
}
