import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { attendanceRecordId, attendanceSessionId } from '../../../shared/domain/attendance.js';
import { markProblem, type SaveRegisterInput } from '../../../shared/domain/attendance-views.js';
import type { z } from 'zod';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { requireDevice } from '../device/device-state.js';
import { readRegister, registerStudents, requireClass } from '../queries/attendance.js';
import { saveRecords } from './save-records.js';

type Input = z.output<typeof SaveRegisterInput>;

/** A register can be taken for today or a day before it, in the school's time zone. */
export function registerDateProblem(date: string, today: string): string | null {
  if (date > today) return `${date} is after today (${today}): a register can only be taken for today or an earlier day.`;
  return null;
}

/**
 * Saves a register: the session and every student's mark (present ones too), in one transaction,
 * through saveRecords, so only marks that differ from this device's copy are queued
 * (attendanceSessions.save, then attendance.mark). Refuses, leaving everything as it was, a class
 * not on this device, a day in the future, a student not in the class, an excuse without a reason.
 */
export async function saveRegister(db: Kysely<LocalDatabase>, author: SessionUser, input: Input): Promise<{ changed: number }> {
  const device = await requireDevice(db);
  const dateProblem = registerDateProblem(input.date, schoolDate(new Date(), device.time_zone));
  if (dateProblem) throw new AppError('invalid_input', dateProblem, [{ path: 'date', message: dateProblem }]);
  const period = input.period.trim();
  const sessionId = attendanceSessionId(input.classId, input.date, period);
  return db.transaction().execute(async (tx) => {
    const cls = await requireClass(tx, input.classId);
    const allowed = await registerStudents(tx, input.classId, sessionId);
    const strangers = input.marks.filter((m) => !allowed.has(m.studentId)).map((m) => m.studentId);
    if (strangers.length > 0) {
      const known = await tx.selectFrom('students').select(['id', 'first_name', 'last_name', 'admission_no']).where('id', 'in', strangers).execute();
      const names = known.map((s) => `${s.first_name} ${s.last_name} (${s.admission_no})`);
      const unknown = strangers.length - known.length;
      const parts = [...names, ...(unknown > 0 ? [`${unknown} student${unknown === 1 ? '' : 's'} not on this device`] : [])];
      throw new AppError('invalid_input', `Not in ${cls.name}: ${parts.join(', ')}. Only the class's enrolled students can be marked in its register.`);
    }
    const names = new Map((await tx.selectFrom('students').select(['id', 'first_name', 'last_name']).where('id', 'in', input.marks.map((m) => m.studentId)).execute()).map((s) => [s.id, `${s.first_name} ${s.last_name}`]));
    for (const m of input.marks) {
      const problem = markProblem(m, names.get(m.studentId) ?? 'this student');
      if (problem) throw new AppError('invalid_input', problem, [{ path: `marks.${m.studentId}.reason`, message: problem }]);
    }
    await saveRecords(tx, 'attendance_sessions', [{ id: sessionId, values: { class_id: input.classId, date: input.date, period, taken_by: author.id, note: input.note } }], author.id);
    const marks = await saveRecords(
      tx,
      'attendance_records',
      input.marks.map((m) => ({
        id: attendanceRecordId(sessionId, m.studentId),
        values: { session_id: sessionId, student_id: m.studentId, status: m.status, reason: m.status === 'present' ? null : m.reason?.trim() || null },
      })),
      author.id,
    );
    return { changed: marks.length };
  });
}

export async function saveRegisterAndRead(db: Kysely<LocalDatabase>, author: SessionUser, input: Input) {
  const { changed } = await saveRegister(db, author, input);
  return { changed, register: await readRegister(db, input.classId, input.date, input.period) };
}
