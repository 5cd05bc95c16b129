import type { z } from 'zod';
import type { Permission } from '../domain/permissions.js';

/** Who may call a method: anyone (before signing in), any signed-in staff member, or only
 * staff whose role holds the permission. Core enforces it on every call. */
export type Access = 'public' | 'signed-in' | Permission;

export type MethodTable = Record<string, { access: Access; input: z.ZodType; output: z.ZodType }>;
