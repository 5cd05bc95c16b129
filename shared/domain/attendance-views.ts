import { z } from 'zod';
import { IsoDate } from './fees.js';
import { AttendanceSessionFields, AttendanceStatus, type AttendanceStatus as Status } from './attendance.js';

// What the attendance screens read and send: a class's register for one day (and period), a
// student's history, and a class's rate by ISO week. Marks are written through saveRecords.

export const Period = AttendanceSessionFields.shape.period;

/** A class a register can be taken for, with how many enrolled students it has. */
export const ClassChoice = z.object({ id: z.string(), name: z.string(), enrolled: z.int().nonnegative() });
export type ClassChoice = z.infer<typeof ClassChoice>;

export const RegisterKey = z.object({
  classId: z.uuid({ error: 'Choose a class.' }),
  date: IsoDate,
  /** '' for the day's register; a period's name where the school takes one per lesson. */
  period: Period.default(''),
});
export type RegisterKey = z.infer<typeof RegisterKey>;

export const RegisterRow = z.object({
  studentId: z.string(),
  admissionNo: z.string(),
  name: z.string(),
  status: AttendanceStatus,
  reason: z.string().nullable(),
  /** Marked in this register, but no longer an enrolled student of the class. */
  leftClass: z.boolean(),
});
export type RegisterRow = z.infer<typeof RegisterRow>;

export const RegisterView = z.object({
  classId: z.string(),
  className: z.string(),
  date: z.string(),
  period: z.string(),
  /** False: nobody saved this register yet, and every student shows as present. */
  taken: z.boolean(),
  takenBy: z.string().nullable(),
  note: z.string(),
  rows: z.array(RegisterRow),
});
export type RegisterView = z.infer<typeof RegisterView>;

export const Mark = z.object({
  studentId: z.uuid(),
  status: AttendanceStatus,
  reason: z.string().trim().max(200, { error: 'A reason has at most 200 characters.' }).nullable().default(null),
});
export type Mark = z.infer<typeof Mark>;

export const SaveRegisterInput = RegisterKey.extend({
  note: z.string().trim().max(500, { error: 'A note has at most 500 characters.' }).default(''),
  marks: z
    .array(Mark)
    .min(1, { error: 'The register has no students to mark.' })
    .max(1000, { error: 'A register has at most 1,000 students.' })
    .refine((m) => new Set(m.map((x) => x.studentId)).size === m.length, { error: 'A student is marked twice in this register.' }),
});
export type SaveRegisterInput = z.input<typeof SaveRegisterInput>;

export const SaveRegisterResult = z.object({
  /** Marks that changed (and were queued to sync); 0 when the register was saved unchanged. */
  changed: z.int().nonnegative(),
  register: RegisterView,
});

/** What is wrong with one student's mark, or null: excusing someone needs a reason. */
export function markProblem(m: { status: Status; reason: string | null }, who: string): string | null {
  if (m.status === 'excused' && !m.reason?.trim()) return `Give a reason for excusing ${who}.`;
  return null;
}

export const HistoryCursor = z.object({ date: z.string().max(10), period: z.string().max(20), id: z.string().max(64) });
export type HistoryCursor = z.infer<typeof HistoryCursor>;

export const HistoryInput = z
  .object({
    studentId: z.uuid({ error: 'Choose a student.' }),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    after: HistoryCursor.nullable().default(null),
    limit: z.int().min(1).max(1000).default(100),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'The end date is before the start date.' });
export type HistoryInput = z.input<typeof HistoryInput>;

export const HistoryRow = z.object({
  id: z.string(),
  date: z.string(),
  period: z.string(),
  className: z.string().nullable(),
  status: AttendanceStatus,
  reason: z.string().nullable(),
});
export type HistoryRow = z.infer<typeof HistoryRow>;

export const StatusTotals = z.object({ present: z.int(), absent: z.int(), late: z.int(), excused: z.int(), marked: z.int() });
export type StatusTotals = z.infer<typeof StatusTotals>;

export const HistoryPage = z.object({
  student: z.object({ id: z.string(), name: z.string(), admissionNo: z.string(), className: z.string().nullable() }),
  /** Over the whole range asked for, not just this page (first page only; null after). */
  totals: StatusTotals.nullable(),
  rows: z.array(HistoryRow),
  next: HistoryCursor.nullable(),
});
export type HistoryPage = z.infer<typeof HistoryPage>;

export const ClassRatesInput = z
  .object({ classId: z.uuid({ error: 'Choose a class.' }), from: IsoDate, to: IsoDate })
  .refine((f) => f.from <= f.to, { path: ['to'], error: 'The end date is before the start date.' })
  .refine((f) => Date.parse(f.to) - Date.parse(f.from) <= 366 * 86_400_000, { path: ['to'], error: 'Choose at most a year at a time.' });
export type ClassRatesInput = z.input<typeof ClassRatesInput>;

export const WeekRate = z.object({
  /** ISO week, e.g. "2026-W47", and its Monday. */
  week: z.string(),
  monday: z.string(),
  marked: z.int(),
  presentOrLate: z.int(),
  /** presentOrLate / marked, 0..1; null when nothing was marked that week. */
  rate: z.number().nullable(),
});
export type WeekRate = z.infer<typeof WeekRate>;

export const ClassRates = z.object({ className: z.string(), weeks: z.array(WeekRate), overall: WeekRate.omit({ week: true, monday: true }) });
export type ClassRates = z.infer<typeof ClassRates>;

const DAY = 86_400_000;

/** The ISO week of a date ("2026-W01" is the week with the year's first Thursday) and its Monday. */
export function isoWeek(date: string): { week: string; monday: string } {
  const t = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const monday = t - weekday * DAY;
  const thursday = monday + 3 * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return { week: `${year}-W${String(week).padStart(2, '0')}`, monday: new Date(monday).toISOString().slice(0, 10) };
}

export function rateOf(presentOrLate: number, marked: number): number | null {
  return marked === 0 ? null : presentOrLate / marked;
}

/** Folds per-day counts into ISO weeks (in date order), every week of the range listed, empty
 * ones with a null rate, so a chart shows the gaps (holidays) as gaps. */
export function weeklyRates(from: string, to: string, days: readonly { date: string; marked: number; presentOrLate: number }[]): WeekRate[] {
  const weeks = new Map<string, WeekRate>();
  for (let t = Date.parse(`${isoWeek(from).monday}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 7 * DAY) {
    const w = isoWeek(new Date(t).toISOString().slice(0, 10));
    weeks.set(w.week, { ...w, marked: 0, presentOrLate: 0, rate: null });
  }
  for (const d of days) {
    const w = weeks.get(isoWeek(d.date).week);
    if (!w) continue;
    w.marked += d.marked;
    w.presentOrLate += d.presentOrLate;
  }
  return [...weeks.values()].map((w) => ({ ...w, rate: rateOf(w.presentOrLate, w.marked) }));
}

export function emptyTotals(): StatusTotals {
  return { present: 0, absent: 0, late: 0, excused: 0, marked: 0 };
}
