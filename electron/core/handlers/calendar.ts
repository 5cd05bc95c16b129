import type { Handlers } from '../../../shared/api/contract.js';
import type { calendarApi } from '../../../shared/api/calendar-api.js';
import { monthRange } from '../../../shared/domain/calendar-views.js';
import { deleteEvent, saveEvent } from '../commands/events.js';
import { eventsInWindow, listEvents } from '../queries/events.js';
import { signedIn, type CoreContext } from './context.js';

export function calendarHandlers({ store, sync }: CoreContext): Pick<Handlers, keyof typeof calendarApi> {
  return {
    'events.list': (input) => listEvents(store.db, input),
    'events.month': async ({ month, type, classId }) => {
      const { from, to } = monthRange(month);
      return { events: await eventsInWindow(store.db, from, to, { type, classId }) };
    },
    'events.save': async (input, user) => {
      const event = await saveEvent(store.db, signedIn(user), input);
      sync.kick();
      return event;
    },
    'events.delete': async ({ id }, user) => {
      await deleteEvent(store.db, signedIn(user), id);
      sync.kick();
      return { deleted: true as const };
    },
  };
}
