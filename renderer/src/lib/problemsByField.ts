import type { AppError } from '../../../shared/api/errors';

/**
 * The server's findings put under the boxes they are about. Two findings on one box are both
 * said; one about a box the form does not have stays in the error notice only.
 */
export function problemsByField<Field extends string>(error: AppError, fieldOf: (path: string) => Field | undefined): Partial<Record<Field, string>> {
  const problems: Partial<Record<Field, string>> = {};
  for (const issue of error.issues ?? []) {
    const f = fieldOf(issue.path);
    if (f) problems[f] = problems[f] ? `${problems[f]} ${issue.message}` : issue.message;
  }
  return problems;
}
