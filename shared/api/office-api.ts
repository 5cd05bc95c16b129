import type { MethodTable } from './access.js';

/** The office dashboard (issue 5). */
export const officeApi = {} as const satisfies MethodTable;
