import { create } from 'zustand';
import { api } from '../../api';
import type { ScreenKey } from './screens';

interface NavCounts {
  unreadMessages: number;
  openConflicts: number;
  /** Reads both counts again; a failed read keeps what is shown (the next sync tries again). */
  refresh(): Promise<void>;
  reset(): void;
}

export const useNavCounts = create<NavCounts>()((set) => ({
  unreadMessages: 0,
  openConflicts: 0,
  async refresh() {
    const [unread, conflicts] = await Promise.allSettled([api.invoke('messages.unreadCount', {}), api.invoke('conflicts.openCount', {})]);
    if (unread.status === 'fulfilled') set({ unreadMessages: unread.value.count });
    if (conflicts.status === 'fulfilled') set({ openConflicts: conflicts.value.count });
  },
  reset: () => set({ unreadMessages: 0, openConflicts: 0 }),
}));

/** What a tab's count means, read out after its name ("Messages", then "3 unread"); null: no count. */
export function badgeText(screen: ScreenKey, count: number): string | null {
  if (count <= 0) return null;
  const n = count.toLocaleString('en');
  switch (screen) {
    case 'messages':
      return `${n} unread`;
    case 'conflicts':
      return `${n} to review`;
    case 'attention':
      return count === 1 ? '1 change waiting' : `${n} changes waiting`;
    default:
      return n;
  }
}
