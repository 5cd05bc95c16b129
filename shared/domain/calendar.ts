import { z } from 'zod';
import { IsoDate } from './fees.js';
import { recordColumns } from './records.js';

export const EVENT_TYPES = ['term', 'exam', 'holiday', 'meeting', 'sports', 'other'] as const;
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

export const TimeOfDay = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, { error: 'Use a time like 14:30.' });

/** A school event over one or more days; times only for events within a day. That it ends on or
 * after its start is a business rule (checked on the merged row by device and server). */
export const EventFields = z.object({
  title: z.string().trim().min(1, { error: 'Give the event a title.' }).max(120),
  type: EventType,
  starts_on: IsoDate,
  ends_on: IsoDate,
  start_time: TimeOfDay.nullable(),
  end_time: TimeOfDay.nullable(),
  location: z.string().trim().max(120).nullable(),
  description: z.string().trim().max(1000),
  /** For one class only (null: the whole school). */
  class_id: z.uuid().nullable(),
});
export type EventFields = z.infer<typeof EventFields>;
export const EventRow = EventFields.extend(recordColumns);
export type EventRow = z.infer<typeof EventRow>;

/** What is wrong with an event's dates and times, or null. */
export function eventProblem(e: Pick<EventFields, 'starts_on' | 'ends_on' | 'start_time' | 'end_time'>): string | null {
  if (e.ends_on < e.starts_on) return 'The event ends before it starts.';
  if (e.start_time && e.end_time && e.starts_on === e.ends_on && e.end_time < e.start_time) return 'The event ends before it starts.';
  return null;
}
