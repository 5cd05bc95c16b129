import { z } from 'zod';
import type { MethodTable } from './access.js';
import { StudentFilter, StudentsListInput, StudentsListOutput, StudentListItem } from '../domain/students.js';

/** Students, guardians, classes, subjects, enrolment, promotion, search and bulk changes (issue 5). */
export const studentsApi = {
  'students.list': { access: 'students.view', input: StudentsListInput, output: StudentsListOutput },
  'students.count': { access: 'students.view', input: StudentFilter, output: z.object({ count: z.int().nonnegative() }) },
  'students.get': { access: 'students.view', input: z.object({ id: z.uuid() }), output: StudentListItem },
} as const satisfies MethodTable;
