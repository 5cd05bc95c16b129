import { z } from 'zod';
import { IsoDate } from './fees.js';
import { EventFields, EventType } from './calendar.js';

// What the calendar screens read and send: events as the list and month view show them, the
// list's filters and cursor, and the form's input (camelCase, like every API input).

export const EventView = z.object({
  id: z.string(),
  title: z.string(),
  type: EventType,
  startsOn: z.string(),
  endsOn: z.string(),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  location: z.string().nullable(),
  description: z.string(),
  classId: z.string().nullable(),
  /** The class's name; null for a whole-school event. */
  className: z.string().nullable(),
});
export type EventView = z.infer<typeof EventView>;

export const EventFilter = z
  .object({
    /** Events starting on or after / on or before these dates. */
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    type: EventType.optional(),
    classId: z.uuid().optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], error: 'The end date is before the start date.' });
export type EventFilter = z.infer<typeof EventFilter>;

/** In date order: the (starts_on, id) of the last row of the previous page. */
export const EventCursor = z.object({ startsOn: z.string().max(10), id: z.string().max(64) });
export type EventCursor = z.infer<typeof EventCursor>;

export const EventsListInput = z.object({
  filter: EventFilter.default({}),
  after: EventCursor.nullable().default(null),
  limit: z.int().min(1).max(1000).default(200),
  withTotal: z.boolean().default(false),
});
export type EventsListInput = z.input<typeof EventsListInput>;

export const EventsPage = z.object({ rows: z.array(EventView), next: EventCursor.nullable(), total: z.int().nonnegative().nullable() });
export type EventsPage = z.infer<typeof EventsPage>;

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const EventsMonthInput = z.object({
  month: z.string().regex(MONTH, { error: 'Use a month like 2026-11.' }),
  type: EventType.optional(),
  classId: z.uuid().optional(),
});

/** The most events a window (a month, the dashboard's fortnight) returns. */
export const WINDOW_LIMIT = 500;

/** Create (no id) or edit an event; every field is sent, core saves only what changed. */
export const SaveEventInput = z
  .object({
    id: z.uuid().optional(),
    title: EventFields.shape.title,
    type: EventType,
    startsOn: IsoDate,
    endsOn: IsoDate,
    startTime: EventFields.shape.start_time.default(null),
    endTime: EventFields.shape.end_time.default(null),
    location: EventFields.shape.location.default(null),
    description: EventFields.shape.description.default(''),
    classId: z.uuid().nullable().default(null),
  });
export type SaveEventInput = z.input<typeof SaveEventInput>;

/** First and last day of a month ("2026-02" → 2026-02-01 … 2026-02-28). */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** Adds days to a school date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
