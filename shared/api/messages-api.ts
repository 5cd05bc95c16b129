import type { MethodTable } from './access.js';

/** Messages between staff (issue 5). */
export const messagesApi = {} as const satisfies MethodTable;
