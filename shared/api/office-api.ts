import { z } from 'zod';
import type { MethodTable } from './access.js';
import { ClassChoice } from '../domain/attendance-views.js';
import { EventView } from '../domain/calendar-views.js';

export const OfficeDashboard = z.object({
  today: z.string(),
  /** The academic year the enrolment figures are for (null: no classes on this device yet). */
  academicYear: z.int().nullable(),
  enrolment: z.array(ClassChoice),
  attendanceToday: z.object({
    classes: z.int(),
    classesTaken: z.int(),
    marked: z.int(),
    presentOrLate: z.int(),
    rate: z.number().nullable(),
  }),
  /** Events on any of the next 14 days, today included. */
  upcoming: z.array(EventView),
  unreadMessages: z.int(),
  openConflicts: z.int(),
});
export type OfficeDashboard = z.infer<typeof OfficeDashboard>;

/** The office dashboard (issue 5). */
export const officeApi = {
  'office.dashboard': { access: 'students.view', input: z.object({}).strict(), output: OfficeDashboard },
} as const satisfies MethodTable;
