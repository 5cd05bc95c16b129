import { create } from 'zustand';
import type { ExpenseStatus } from '../../../../shared/domain/expenses';
import type { PaymentMethod } from '../../../../shared/domain/payments';

export type BursarySection = 'dashboard' | 'payments' | 'charges' | 'arrears' | 'expenses' | 'cashup' | 'structures';
export type ListKey = 'payments' | 'charges' | 'arrears' | 'expenses';

/** What the filter bar holds: '' is "any". Sent to core as a LedgerFilter without the blanks. */
export interface FilterState {
  from: string;
  to: string;
  className: string;
  method: PaymentMethod | '';
  staffId: string;
  categoryId: string;
  expenseCategory: string;
  expenseStatus: ExpenseStatus | '';
}

export const EMPTY_FILTER: FilterState = {
  from: '',
  to: '',
  className: '',
  method: '',
  staffId: '',
  categoryId: '',
  expenseCategory: '',
  expenseStatus: '',
};

interface BursaryState {
  section: BursarySection;
  /** Each list keeps its own filters while the bursar moves between sections. */
  filters: Record<ListKey, FilterState>;
  /** Staff seen on ledger rows (id → name), for the bursar filter of people who cannot list staff. */
  staffSeen: ReadonlyMap<string, string>;
  go(section: BursarySection): void;
  setFilter(list: ListKey, patch: Partial<FilterState>): void;
  clearFilter(list: ListKey): void;
  noteStaff(pairs: Iterable<readonly [string, string]>): void;
  reset(): void;
}

const emptyFilters = (): Record<ListKey, FilterState> => ({
  payments: EMPTY_FILTER,
  charges: EMPTY_FILTER,
  arrears: EMPTY_FILTER,
  expenses: EMPTY_FILTER,
});

export const useBursary = create<BursaryState>()((set, get) => ({
  section: 'dashboard',
  filters: emptyFilters(),
  staffSeen: new Map(),
  go: (section) => set({ section }),
  setFilter: (list, patch) => set((s) => ({ filters: { ...s.filters, [list]: { ...s.filters[list], ...patch } } })),
  clearFilter: (list) => set((s) => ({ filters: { ...s.filters, [list]: EMPTY_FILTER } })),
  noteStaff(pairs) {
    const known = get().staffSeen;
    const fresh = [...pairs].filter(([id, name]) => known.get(id) !== name);
    if (fresh.length > 0) set({ staffSeen: new Map([...known, ...fresh]) });
  },
  reset: () => set({ section: 'dashboard', filters: emptyFilters(), staffSeen: new Map() }),
}));
