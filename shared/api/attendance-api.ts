import type { MethodTable } from './access.js';

/** Attendance registers, histories and rates (issue 5). */
export const attendanceApi = {} as const satisfies MethodTable;
