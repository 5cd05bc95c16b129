import { z } from 'zod';
import { IsoDate } from './fees.js';
import { recordColumns } from './records.js';
import { derivedId } from '../ids.js';

export const ATTENDANCE_STATUSES = ['present', 'absent', 'late', 'excused'] as const;
export const AttendanceStatus = z.enum(ATTENDANCE_STATUSES);
export type AttendanceStatus = z.infer<typeof AttendanceStatus>;

/** A register: one class, one school day, and a period where the school takes one per lesson
 * ('' for the day's register). Its id is derived from the three, so two rooms opening the same
 * register write one session. */
export const AttendanceSessionFields = z.object({
  class_id: z.uuid(),
  date: IsoDate,
  period: z.string().trim().max(20, { error: 'A period name has at most 20 characters, e.g. "P3".' }),
  taken_by: z.uuid().nullable(),
  note: z.string().trim().max(500),
});
export type AttendanceSessionFields = z.infer<typeof AttendanceSessionFields>;
export const AttendanceSessionRow = AttendanceSessionFields.extend(recordColumns);
export type AttendanceSessionRow = z.infer<typeof AttendanceSessionRow>;

export function attendanceSessionId(classId: string, date: string, period: string): string {
  return derivedId('attendance-session', classId, date, period.trim());
}

/** One student's mark in one register: one row per (session, student), last write wins. */
export const AttendanceRecordFields = z.object({
  session_id: z.uuid(),
  student_id: z.uuid(),
  status: AttendanceStatus,
  reason: z.string().trim().max(200).nullable(),
});
export type AttendanceRecordFields = z.infer<typeof AttendanceRecordFields>;
export const AttendanceRecordRow = AttendanceRecordFields.extend(recordColumns);
export type AttendanceRecordRow = z.infer<typeof AttendanceRecordRow>;

export function attendanceRecordId(sessionId: string, studentId: string): string {
  return derivedId('attendance-record', sessionId, studentId);
}
