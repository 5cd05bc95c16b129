import { z } from 'zod';
import type { MethodTable } from './access.js';
import {
  ClassChoice,
  ClassRates,
  ClassRatesInput,
  HistoryInput,
  HistoryPage,
  RegisterKey,
  RegisterView,
  SaveRegisterInput,
  SaveRegisterResult,
} from '../domain/attendance-views.js';
import { AttendanceListInput, AttendanceListPage } from '../domain/attendance-list.js';

/** Attendance registers, histories and rates (issue 5). */
export const attendanceApi = {
  /** The classes of the current academic year a register can be taken for, and the school's today. */
  'attendance.classes': {
    access: 'attendance.mark',
    input: z.object({}).strict(),
    output: z.object({ classes: z.array(ClassChoice), today: z.string() }),
  },
  /** A class's register for a day (and period): what was saved, or everyone present if not taken. */
  'attendance.register': { access: 'attendance.mark', input: RegisterKey, output: RegisterView },
  /** Saves the register and every student's mark in one transaction; only changed marks are queued. */
  'attendance.save': { access: 'attendance.mark', input: SaveRegisterInput, output: SaveRegisterResult },
  /** A student's marks, newest first, with totals for the range. */
  'attendance.history': { access: 'students.view', input: HistoryInput, output: HistoryPage },
  /** A class's rate (present or late, of marked) per ISO week over a date range. */
  'attendance.classRates': { access: 'students.view', input: ClassRatesInput, output: ClassRates },
  /** The school's marks newest first, by date range, class and/or mark, keyset paged. */
  'attendance.records': { access: 'students.view', input: AttendanceListInput, output: AttendanceListPage },
} as const satisfies MethodTable;
