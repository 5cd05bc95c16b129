import type { MethodTable } from './access.js';

/** Conflicts the server raised when it merged offline edits (issue 5). */
export const conflictsApi = {} as const satisfies MethodTable;
