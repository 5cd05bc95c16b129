import type { z } from 'zod';
import { AppError, type ErrorIssue } from './api/errors.js';

function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

/** Parses untrusted input with a zod schema, turning failures into one clear AppError that
 * names every field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ErrorIssue[] = result.error.issues.map((i) => ({ path: describePath(i.path), message: i.message }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new AppError('invalid_input', `Invalid ${what}: ${summary}`, issues);
}
