import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupsOverview } from '../../../../shared/domain/backups';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useSync } from './store';

export interface Backups {
  overview: BackupsOverview | null;
  error: AppError | null;
  loading: boolean;
  reload(): Promise<void>;
}

/** This computer's backups, read on open and again whenever a new one is made (by the schedule too). */
export function useBackups(): Backups {
  const [overview, setOverview] = useState<BackupsOverview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const out = await api.invoke('backups.list', {});
      if (mine !== seq.current) return;
      setOverview(out);
      setError(null);
    } catch (err) {
      if (mine === seq.current) setError(toAppError(err));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  const lastBackupAt = useSync((s) => s.status?.lastBackupAt ?? null);
  useEffect(() => {
    void reload();
  }, [reload, lastBackupAt]);

  return { overview, error, loading, reload };
}
