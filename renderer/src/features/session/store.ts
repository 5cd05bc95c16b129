import { create } from 'zustand';
import type { AppInfo } from '../../../../shared/domain/sync-status';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';

interface SessionState {
  info: AppInfo | null;
  error: AppError | null;
  loading: boolean;
  load(): Promise<void>;
}

/** Who and where we are: school, currency, device. Loaded once at start. */
export const useSession = create<SessionState>()((set, get) => ({
  info: null,
  error: null,
  loading: false,
  async load() {
    if (get().loading) return;
    set({ loading: true, error: null });
    try {
      const info = await api.invoke('app.info', {});
      set({ info, loading: false });
    } catch (err) {
      set({ error: toAppError(err), loading: false });
    }
  },
}));
