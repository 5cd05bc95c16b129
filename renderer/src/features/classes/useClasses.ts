import { useEffect, useState } from 'react';
import type { ClassesList } from '../../../../shared/domain/student-views';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';

/** The classes of a year (the current one by default), read again when `changes` moves. */
export function useClasses(year: number | undefined, changes = 0) {
  const [list, setList] = useState<ClassesList | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let current = true;
    api
      .invoke('classes.list', year === undefined ? {} : { year })
      .then((l) => {
        if (!current) return;
        setList(l);
        setError(null);
      })
      .catch((err) => current && setError(toAppError(err)));
    return () => {
      current = false;
    };
  }, [year, changes]);
  return { list, error };
}
