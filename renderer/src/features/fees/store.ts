import { create } from 'zustand';
import type { FeeCategoryRow } from '../../../../shared/domain/fees';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';

interface FeeCategoriesState {
  /** Every category on this computer, active or not; null until first loaded. */
  categories: FeeCategoryRow[] | null;
  error: AppError | null;
  loading: boolean;
  load(): Promise<void>;
  /** Adds a category (works offline; other computers get it at their next sync). Throws an AppError. */
  add(name: string): Promise<FeeCategoryRow>;
  reset(): void;
}

const byName = (a: FeeCategoryRow, b: FeeCategoryRow) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });

let loadSeq = 0;

/** The school's fee categories, shared by the Fees tab and the "Post a charge" form. */
export const useFeeCategories = create<FeeCategoriesState>()((set) => ({
  categories: null,
  error: null,
  loading: false,
  async load() {
    const seq = ++loadSeq;
    set({ loading: true });
    try {
      const { categories } = await api.invoke('fees.categories', {});
      if (seq !== loadSeq) return;
      set({ categories: [...categories].sort(byName), error: null, loading: false });
    } catch (err) {
      if (seq === loadSeq) set({ error: toAppError(err), loading: false });
    }
  },
  async add(name) {
    try {
      const created = await api.invoke('fees.createCategory', { name });
      // A load already under way may not include it: drop that answer, keep this one.
      loadSeq++;
      set((s) => ({ categories: [...(s.categories ?? []).filter((c) => c.id !== created.id), created].sort(byName), loading: false }));
      return created;
    } catch (err) {
      throw toAppError(err);
    }
  },
  reset() {
    loadSeq++;
    set({ categories: null, error: null, loading: false });
  },
}));
