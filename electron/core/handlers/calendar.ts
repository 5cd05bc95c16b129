import type { Handlers } from '../../../shared/api/contract.js';
import type { calendarApi } from '../../../shared/api/calendar-api.js';
import type { CoreContext } from './context.js';

export function calendarHandlers(_ctx: CoreContext): Pick<Handlers, keyof typeof calendarApi> {
  return {};
}
