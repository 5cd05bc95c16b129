import { create } from 'zustand';
import type { TermRow } from '../../../../shared/domain/terms';
import { api } from '../../api';

interface BursaryRefsState {
  /** The school's terms, oldest first; null until loaded. */
  terms: TermRow[] | null;
  currentTermId: string | null;
  /** Classes the bursary knows (from fee structures and charged classes), for filters and forms. */
  classNames: string[] | null;
  loadTerms(): Promise<void>;
  loadClassNames(): Promise<void>;
  reset(): void;
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });

/** Terms and class names: small lists several bursary forms and filters offer as choices. */
export const useBursaryRefs = create<BursaryRefsState>()((set) => ({
  terms: null,
  currentTermId: null,
  classNames: null,
  async loadTerms() {
    try {
      const { terms, currentTermId } = await api.invoke('terms.list', {});
      set({ terms: [...terms].sort((a, b) => (a.starts_on < b.starts_on ? -1 : 1)), currentTermId });
    } catch {
      // Choices only: the fields still take typed text.
    }
  },
  async loadClassNames() {
    const [structures, dashboard] = await Promise.allSettled([api.invoke('fees.structures', {}), api.invoke('ledger.dashboard', {})]);
    const names = new Set<string>();
    if (structures.status === 'fulfilled') for (const s of structures.value.structures) names.add(s.className);
    if (dashboard.status === 'fulfilled') for (const c of dashboard.value.byClass) names.add(c.className);
    set({ classNames: [...names].sort(byName) });
  },
  reset: () => set({ terms: null, currentTermId: null, classNames: null }),
}));
