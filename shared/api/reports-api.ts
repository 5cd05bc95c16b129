import type { MethodTable } from './access.js';

/** Grading scales, assessments, scores and report cards (issue 5). */
export const reportsApi = {} as const satisfies MethodTable;
