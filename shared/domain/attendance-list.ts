import { z } from 'zod';
import { IsoDate } from './fees.js';
import { AttendanceStatus } from './attendance.js';

// The school-wide attendance list (attendance.records): every mark newest first, filtered by a
// date range, a class and/or one mark (e.g. the absences), 50 at a time. Within a day marks go
// by register (period, then register), then mark: the order one index can deliver.

/** Keyset cursor: the last row's date, period, register and mark id. */
export const AttendanceListCursor = z.object({
  date: z.string().max(10),
  period: z.string().max(20),
  sessionId: z.string().max(64),
  id: z.string().max(64),
});
export type AttendanceListCursor = z.infer<typeof AttendanceListCursor>;

export const AttendanceListInput = z
  .object({
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    classId: z.uuid({ error: 'Choose a class.' }).optional(),
    status: AttendanceStatus.optional(),
    after: AttendanceListCursor.nullable().default(null),
    limit: z.int().min(1).max(500).default(50),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'The end date is before the start date.' });
export type AttendanceListInput = z.input<typeof AttendanceListInput>;

export const AttendanceListRow = z.object({
  id: z.string(),
  date: z.string(),
  period: z.string(),
  sessionId: z.string(),
  classId: z.string().nullable(),
  className: z.string().nullable(),
  studentId: z.string(),
  studentName: z.string().nullable(),
  admissionNo: z.string().nullable(),
  status: AttendanceStatus,
  reason: z.string().nullable(),
});
export type AttendanceListRow = z.infer<typeof AttendanceListRow>;

export const AttendanceListPage = z.object({ rows: z.array(AttendanceListRow), next: AttendanceListCursor.nullable() });
export type AttendanceListPage = z.infer<typeof AttendanceListPage>;
