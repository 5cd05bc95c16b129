import { AppError } from '../../../shared/api/errors';
import type { ApiClient, ApiInput, ApiMethod, ApiOutput } from '../../../shared/api/contract';
import { createApiClient } from './client';

type SignedOutListener = (error: AppError) => void;
const signedOutListeners = new Set<SignedOutListener>();

/**
 * Called whenever a call fails because nobody is signed in any more (for example the account
 * was disabled at the last sync). The auth.* methods are left out: a wrong password is the
 * sign-in form's business, not a reason to leave the screen the person is on.
 */
export function onSignedOut(listener: SignedOutListener): () => void {
  signedOutListeners.add(listener);
  return () => {
    signedOutListeners.delete(listener);
  };
}

function withSignedOutWatch(client: ApiClient): ApiClient {
  return {
    async invoke<K extends ApiMethod>(method: K, input: ApiInput<K>): Promise<ApiOutput<K>> {
      try {
        return await client.invoke(method, input);
      } catch (err) {
        if (err instanceof AppError && err.code === 'unauthenticated' && !method.startsWith('auth.')) {
          for (const listener of signedOutListeners) listener(err);
        }
        throw err;
      }
    },
  };
}

/** The one client the whole renderer uses. */
export const api: ApiClient = withSignedOutWatch(createApiClient());

/** Any thrown value as an AppError, so every error shown says what happened and what to do. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError(
    'internal',
    'Something went wrong in this window. Try again; if it keeps happening, restart the app and tell your IT support.',
  );
}
