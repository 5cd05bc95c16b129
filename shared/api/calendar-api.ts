import { z } from 'zod';
import type { MethodTable } from './access.js';
import { EventsListInput, EventsMonthInput, EventsPage, EventView, SaveEventInput } from '../domain/calendar-views.js';

/** The school calendar (issue 5): everyone signed in sees it; managing it needs events.manage. */
export const calendarApi = {
  'events.list': { access: 'signed-in', input: EventsListInput, output: EventsPage },
  /** Every event on a day of the month (including ones that began before it), in date order. */
  'events.month': { access: 'signed-in', input: EventsMonthInput, output: z.object({ events: z.array(EventView) }) },
  'events.save': { access: 'events.manage', input: SaveEventInput, output: EventView },
  'events.delete': { access: 'events.manage', input: z.object({ id: z.uuid() }), output: z.object({ deleted: z.literal(true) }) },
} as const satisfies MethodTable;
