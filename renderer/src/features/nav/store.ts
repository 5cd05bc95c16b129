import { create } from 'zustand';
import type { ScreenKey } from './screens';

interface NavState {
  /** The screen asked for; App falls back to the first one the role may see. */
  screen: ScreenKey;
  go(screen: ScreenKey): void;
}

export const useNav = create<NavState>()((set) => ({
  screen: 'students',
  go: (screen) => set({ screen }),
}));
