import type { MethodTable } from './access.js';

/** The school calendar (issue 5). */
export const calendarApi = {} as const satisfies MethodTable;
