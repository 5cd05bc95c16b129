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

/**
 * Calls `listener` each time this device has synced again (a push acknowledged or the pull up to
 * date: what the sync brought is in the local database by then). THE signal open screens read
 * again on; the status polled again with the same last sync says nothing new. Returns a stop function.
 */
export function onSyncLanded(listener: () => void): () => void {
  return useSync.subscribe((now, before) => {
    const at = now.status?.lastSyncAt ?? null;
    if (at !== null && at !== (before.status?.lastSyncAt ?? null)) listener();
  });
}
