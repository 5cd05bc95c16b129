import { create } from 'zustand';
import type { SyncStatus } from '../../../../shared/domain/sync-status';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';

interface SyncState {
  status: SyncStatus | null;
  /** Set when this window could not even ask for the status (background process gone). */
  error: AppError | null;
  syncing: boolean;
  refresh(): Promise<void>;
  syncNow(): Promise<void>;
}

export const useSync = create<SyncState>()((set, get) => ({
  status: null,
  error: null,
  syncing: false,
  async refresh() {
    try {
      const status = await api.invoke('sync.status', {});
      set({ status, error: null });
    } catch (err) {
      set({ error: toAppError(err) });
    }
  },
  async syncNow() {
    if (get().syncing) return;
    set({ syncing: true });
    try {
      const status = await api.invoke('sync.now', {});
      set({ status, error: null });
    } catch (err) {
      set({ error: toAppError(err) });
    } finally {
      set({ syncing: false });
    }
  },
}));

export const SYNC_POLL_MS = 1000;

/** Polls sync.status every second, never overlapping calls. Returns a stop function. */
export function startSyncPolling(): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    await useSync.getState().refresh();
    if (!stopped) timer = setTimeout(tick, SYNC_POLL_MS);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
