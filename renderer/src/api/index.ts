import { AppError } from '../../../shared/api/errors';
import type { ApiClient } from '../../../shared/api/contract';
import { createApiClient } from './client';

/** The one client the whole renderer uses. */
export const api: ApiClient = createApiClient();

/** Any thrown value as an AppError, so every error shown says what happened and what to do. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError(
    'internal',
    'Something went wrong in this window. Try again; if it keeps happening, restart the app and tell your IT support.',
  );
}
