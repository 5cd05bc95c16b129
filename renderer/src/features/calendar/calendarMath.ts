import { addDays, monthRange } from '../../../../shared/domain/calendar-views';
import type { EventView } from '../../../../shared/domain/calendar-views';
import type { EventType } from '../../../../shared/domain/calendar';

export const TYPE_LABELS: Record<EventType, string> = { term: 'Term', exam: 'Exam', holiday: 'Holiday', meeting: 'Meeting', sports: 'Sports', other: 'Other' };

/** The days a month view shows: whole weeks, Monday first, from the week of the 1st to the week of the last day. */
export function monthGrid(month: string): string[] {
  const { from, to } = monthRange(month);
  const weekday = (d: string) => (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
  const start = addDays(from, -weekday(from));
  const end = addDays(to, 6 - weekday(to));
  const days: string[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The month before or after ("2026-01", -1 → "2025-12"). */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The events on one day of the grid. */
export function eventsOn(events: readonly EventView[], day: string): EventView[] {
  return events.filter((e) => e.startsOn <= day && e.endsOn >= day);
}

/** "14:00–16:00", "from 09:00", or '' for an all-day event. */
export function timeText(e: Pick<EventView, 'startTime' | 'endTime'>): string {
  if (e.startTime && e.endTime) return `${e.startTime}–${e.endTime}`;
  if (e.startTime) return `from ${e.startTime}`;
  if (e.endTime) return `until ${e.endTime}`;
  return '';
}
