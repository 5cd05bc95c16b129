import { nextDate, schoolDate, schoolDayStartUtc } from '../../../shared/domain/ledger-math.js';

// The days the demo's payment history falls on: the school term and the 30 days before the
// seeding day (so the dashboard's "last 30 days" has bars whatever day the demo starts), office
// hours only, and never later than the moment of seeding.

/** The office takes money from 07:30 to 16:20 (minutes after the school's midnight); the day is
 * closed after 17:00. */
export const OPENS_AT = 7 * 60 + 30;
export const LAST_ENTRY_AT = 16 * 60 + 20;
export const CLOSES_AT = 17 * 60;
const RECENT_DAYS = 30;

export interface HistoryDay {
  date: string;
  /** How busy the office is that day, relative to other days. */
  weight: number;
  /** The first minute an entry may be made (the day the fees are posted: after the posting). */
  firstMinute: number;
  /** The latest minute an entry may be made (today: a little before the seeding moment). */
  lastMinute: number;
}

export interface HistoryCalendar {
  today: string;
  days: HistoryDay[];
  timeZone: string;
  now: Date;
}

const dayOfWeek = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const daysApart = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const dateBefore = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

export interface TermFees {
  startsOn: string;
  endsOn: string;
  dueDates: readonly string[];
  /** When the term's fees were posted: payments before it are credit (parents paying early). */
  postedAt: string;
}

const minuteOf = (at: Date, date: string, timeZone: string) => Math.floor((at.getTime() - Date.parse(schoolDayStartUtc(date, timeZone))) / 60_000);

/** The office's days, oldest first: closed on Sundays, quiet on Saturdays, busy in the week
 * before a fee falls due and the days after, with a little day-to-day noise. */
export function historyCalendar(term: TermFees, now: Date, timeZone: string, next: () => number): HistoryCalendar {
  const today = schoolDate(now, timeZone);
  const minutesNow = minuteOf(now, today, timeZone);
  const postedOn = schoolDate(term.postedAt, timeZone);
  const postedMinute = minuteOf(new Date(term.postedAt), postedOn, timeZone);
  const dates = new Set<string>();
  for (let d = term.startsOn; d <= term.endsOn && d <= today; d = nextDate(d)) dates.add(d);
  for (let d = dateBefore(today, RECENT_DAYS - 1); d <= today; d = nextDate(d)) dates.add(d);

  const days: HistoryDay[] = [];
  for (const date of [...dates].sort()) {
    const weekday = dayOfWeek(date);
    if (weekday === 0) continue;
    const firstMinute = date === postedOn ? Math.max(OPENS_AT, postedMinute + 5) : OPENS_AT;
    const lastMinute = date === today ? Math.min(LAST_ENTRY_AT, minutesNow - 5) : LAST_ENTRY_AT;
    if (lastMinute < firstMinute) continue;
    const rush = term.dueDates.some((due) => {
      const d = daysApart(date, due);
      return d >= -3 && d <= 7;
    });
    const weight = (weekday === 6 ? 0.35 : 1) * (rush ? 2.2 : 1) * (date === today ? 0.6 : 1) * (0.6 + 0.8 * next());
    days.push({ date, weight, firstMinute, lastMinute });
  }
  return { today, days, timeZone, now };
}

/** The instant `minute` minutes (and `second` seconds) after the school's midnight of `date`. */
export function instantOn(calendar: HistoryCalendar, date: string, minute: number, second = 0): string {
  return new Date(Date.parse(schoolDayStartUtc(date, calendar.timeZone)) + (minute * 60 + second) * 1000).toISOString();
}

/** A day drawn by weight. */
export function pickDay(calendar: HistoryCalendar, next: () => number, total = totalWeight(calendar)): HistoryDay {
  let r = next() * total;
  for (const day of calendar.days) {
    r -= day.weight;
    if (r < 0) return day;
  }
  return calendar.days.at(-1)!;
}

export function totalWeight(calendar: HistoryCalendar): number {
  return calendar.days.reduce((s, d) => s + d.weight, 0);
}
