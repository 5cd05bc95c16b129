import type { MethodTable } from './access.js';

/** Students and guardians from a CSV file (issue 5). */
export const studentImportApi = {} as const satisfies MethodTable;
