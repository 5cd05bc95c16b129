import type { LedgerFilter } from '../../../../../shared/domain/bursary-views';
import type { FilterState } from '../store';

/** The filters a list offers, in the order the bar shows them. */
export type FilterField = 'dates' | 'className' | 'method' | 'staff' | 'category' | 'expenseCategory' | 'expenseStatus';

/** The filter core is sent: only the fields this list offers, blanks left out. */
export function toLedgerFilter(f: FilterState, fields: readonly FilterField[]): LedgerFilter {
  const has = (field: FilterField) => fields.includes(field);
  const text = (s: string) => s.trim().replace(/\s+/g, ' ');
  const out: LedgerFilter = {};
  if (has('dates') && f.from) out.from = f.from;
  if (has('dates') && f.to) out.to = f.to;
  if (has('className') && text(f.className)) out.className = text(f.className);
  if (has('method') && f.method) out.method = f.method;
  if (has('staff') && f.staffId) out.staffId = f.staffId;
  if (has('category') && f.categoryId) out.categoryId = f.categoryId;
  if (has('expenseCategory') && text(f.expenseCategory)) out.expenseCategory = text(f.expenseCategory);
  if (has('expenseStatus') && f.expenseStatus) out.expenseStatus = f.expenseStatus;
  return out;
}

/** What is wrong with the filter as typed, said before anything is asked; null when it can be used. */
export function filterProblem(f: LedgerFilter): string | null {
  if (f.from && f.to && f.from > f.to) return 'The "to" date is before the "from" date: swap them or change one.';
  return null;
}

export function isFiltered(f: LedgerFilter): boolean {
  return Object.keys(f).length > 0;
}
