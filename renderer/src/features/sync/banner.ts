import { create } from 'zustand';
import type { RecoveryReport } from '../../../../shared/domain/backups';
import type { InitialSyncProgress } from '../../../../shared/domain/sync-status';
import { api } from '../../api';
import { useSync } from './store';

/** A recovery is news for a week; after that the Sync screen still shows it. */
export const RECOVERY_NEWS_MS = 7 * 24 * 60 * 60 * 1000;

export type BannerContent =
  | { kind: 'first-sync'; key: string; progress: InitialSyncProgress }
  | { kind: 'recovery'; key: string; report: RecoveryReport };

interface BannerState {
  /** Banners closed in this session, by key; whoever signs in next sees them again. */
  dismissed: readonly string[];
  /** The last recovery of this computer's database, read once at sign-in. */
  recovery: RecoveryReport | null;
  loadRecovery(): Promise<void>;
  dismiss(key: string): void;
  reset(): void;
}

export const useBanner = create<BannerState>()((set) => ({
  dismissed: [],
  recovery: null,
  async loadRecovery() {
    try {
      set({ recovery: (await api.invoke('backups.list', {})).lastRecovery });
    } catch {
      // Only news: the Sync screen reads the same list and shows any error there.
    }
  },
  dismiss: (key) => set((s) => ({ dismissed: [...s.dismissed, key] })),
  reset: () => set({ dismissed: [], recovery: null }),
}));

/** What the banner over the screens says now, or null: a first sync or rebuild under way comes
 * before a recent recovery. Each sync run (by its start) and each recovery is dismissed on its own. */
export function bannerContent(progress: InitialSyncProgress | null, recovery: RecoveryReport | null, dismissed: readonly string[], now: number): BannerContent | null {
  if (progress) {
    const key = `first-sync:${progress.startedAt}`;
    if (!dismissed.includes(key)) return { kind: 'first-sync', key, progress };
  }
  if (recovery && now - new Date(recovery.at).getTime() < RECOVERY_NEWS_MS) {
    const key = `recovery:${recovery.at}`;
    if (!dismissed.includes(key)) return { kind: 'recovery', key, report: recovery };
  }
  return null;
}

export function useBannerContent(): BannerContent | null {
  const progress = useSync((s) => s.status?.initialSync ?? null);
  const recovery = useBanner((s) => s.recovery);
  const dismissed = useBanner((s) => s.dismissed);
  return bannerContent(progress, recovery, dismissed, Date.now());
}
