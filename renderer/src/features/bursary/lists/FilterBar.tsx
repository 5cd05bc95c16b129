import { useEffect } from 'react';
import { EXPENSE_STATUSES } from '../../../../../shared/domain/expenses';
import type { PaymentMethod } from '../../../../../shared/domain/payments';
import type { ExpenseStatus } from '../../../../../shared/domain/expenses';
import { useFeeCategories } from '../../fees/store';
import { useBursaryRefs } from '../refs';
import { EMPTY_FILTER, useBursary, type ListKey } from '../store';
import { EXPENSE_STATUS_LABEL } from '../expenses/status';
import type { FilterField } from './filter';
import { useStaffChoices } from './useStaffChoices';
import { MethodOptions } from '../../payments/MethodOptions';
import { SuggestInput } from '../../../lib/SuggestInput';

interface Props {
  list: ListKey;
  fields: readonly FilterField[];
  /** Shown under the bar when the filter cannot be used as it stands. */
  problem: string | null;
  /** Expense categories to offer (the Expenses list only). */
  expenseCategories?: readonly string[];
}

/** The filters of one ledger list. Changes apply as they are made; "Clear" shows everything again. */
export function FilterBar({ list, fields, problem, expenseCategories = [] }: Props) {
  const f = useBursary((s) => s.filters[list]);
  const setFilter = useBursary((s) => s.setFilter);
  const clearFilter = useBursary((s) => s.clearFilter);
  const classNames = useBursaryRefs((s) => s.classNames);
  const categories = useFeeCategories((s) => s.categories);
  const staff = useStaffChoices();
  const has = (field: FilterField) => fields.includes(field);
  const set = (patch: Parameters<typeof setFilter>[1]) => setFilter(list, patch);
  const blank = (Object.keys(EMPTY_FILTER) as (keyof typeof EMPTY_FILTER)[]).every((k) => f[k] === EMPTY_FILTER[k]);

  useEffect(() => {
    if (has('className') && useBursaryRefs.getState().classNames === null) void useBursaryRefs.getState().loadClassNames();
    if (has('category') && useFeeCategories.getState().categories === null) void useFeeCategories.getState().load();
    // Once, when the first list that offers them opens (each list's fields never change).
  }, []);

  return (
    <form className="filter-bar" role="search" aria-label="Filter" onSubmit={(e) => e.preventDefault()} data-testid={`${list}-filters`}>
      {has('dates') && (
        <>
          <label className="filter-field">
            <span className="field-label">From</span>
            <input type="date" aria-label="Filter from date" value={f.from} onChange={(e) => set({ from: e.target.value })} aria-invalid={problem ? true : undefined} />
          </label>
          <label className="filter-field">
            <span className="field-label">To</span>
            <input type="date" aria-label="Filter to date" value={f.to} onChange={(e) => set({ to: e.target.value })} aria-invalid={problem ? true : undefined} />
          </label>
        </>
      )}
      {has('className') && (
        <label className="filter-field">
          <span className="field-label">Class</span>
          <SuggestInput
            aria-label="Filter by class"
            placeholder="Any class"
            maxLength={40}
            value={f.className}
            onChange={(e) => set({ className: e.target.value })}
            suggestions={classNames ?? []}
          />
        </label>
      )}
      {has('method') && (
        <label className="filter-field">
          <span className="field-label">Method</span>
          <select aria-label="Filter by method" value={f.method} onChange={(e) => set({ method: e.target.value as PaymentMethod | '' })}>
            <option value="">Any method</option>
            <MethodOptions />
          </select>
        </label>
      )}
      {has('staff') && (
        <label className="filter-field">
          <span className="field-label">Recorded by</span>
          <select aria-label="Filter by who recorded it" value={f.staffId} onChange={(e) => set({ staffId: e.target.value })}>
            <option value="">Anyone</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {has('category') && (
        <label className="filter-field">
          <span className="field-label">Fee category</span>
          <select aria-label="Filter by fee category" value={f.categoryId} onChange={(e) => set({ categoryId: e.target.value })}>
            <option value="">Any category</option>
            {(categories ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {has('expenseCategory') && (
        <label className="filter-field">
          <span className="field-label">Category</span>
          <SuggestInput
            aria-label="Filter by expense category"
            placeholder="Any category"
            maxLength={60}
            value={f.expenseCategory}
            onChange={(e) => set({ expenseCategory: e.target.value })}
            suggestions={expenseCategories}
          />
        </label>
      )}
      {has('expenseStatus') && (
        <label className="filter-field">
          <span className="field-label">Status</span>
          <select aria-label="Filter by status" value={f.expenseStatus} onChange={(e) => set({ expenseStatus: e.target.value as ExpenseStatus | '' })}>
            <option value="">Any status</option>
            {EXPENSE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {EXPENSE_STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className="filter-clear" onClick={() => clearFilter(list)} disabled={blank}>
        Clear filters
      </button>
      {problem && (
        <p className="field-error filter-problem" role="alert" data-testid={`${list}-filter-problem`}>
          {problem}
        </p>
      )}
    </form>
  );
}
