import { z } from 'zod';
import type { MethodTable } from './access.js';
import { ConflictItem, ConflictsListInput, ConflictsPage, ResolveConflictInput } from '../domain/conflict-views.js';

/** Conflicts the server raised when it merged offline edits (issue 5). Anyone signed in sees
 * them; resolving one needs the permission that edits its record (checked by core). */
export const conflictsApi = {
  'conflicts.list': { access: 'signed-in', input: ConflictsListInput, output: ConflictsPage },
  'conflicts.openCount': { access: 'signed-in', input: z.object({}).strict(), output: z.object({ count: z.int().nonnegative() }) },
  'conflicts.resolve': { access: 'signed-in', input: ResolveConflictInput, output: ConflictItem },
} as const satisfies MethodTable;
