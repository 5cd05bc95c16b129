import { useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { toAppError } from '../../api';

/** Loads what a print page shows once (a printout is a snapshot), with the error if it could not. */
export function usePrintData<T>(load: () => Promise<T>, key: string): { data: T | null; error: AppError | null } {
  const [state, setState] = useState<{ key: string; data: T | null; error: AppError | null }>({ key, data: null, error: null });
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ key, data, error: null }),
      (err: unknown) => current && setState({ key, data: null, error: toAppError(err) }),
    );
    return () => {
      current = false;
    };
    // `key` names what `load` fetches, so a new `load` closure for the same key asks nothing new.
  }, [key]);
  return state.key === key ? state : { data: null, error: null };
}
