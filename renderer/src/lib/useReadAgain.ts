import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../shared/api/errors';
import { toAppError } from '../api';

/**
 * What `read` last answered, read at start and again whenever `again` changes (the last sync,
 * the pending count: whatever may have changed the answer) or on `reload`. A failed read keeps
 * what is shown and says why. `read` must be stable (a module function or useCallback).
 */
export function useReadAgain<T>(read: () => Promise<T>, again: unknown) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const reload = useCallback(async () => {
    try {
      setData(await read());
      setError(null);
    } catch (err) {
      setError(toAppError(err));
    }
  }, [read]);

  useEffect(() => {
    void reload();
  }, [reload, again]);

  return { data, setData, error, reload };
}
