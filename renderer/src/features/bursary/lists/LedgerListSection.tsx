import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { LedgerFilter } from '../../../../../shared/domain/bursary-views';
import { useDebouncedValue } from '../../../lib/useDebouncedValue';
import { usePagedRows, type RowsPage } from '../../../lib/usePagedRows';
import { VirtualTable, type Column } from '../../../lib/VirtualTable';
import { useBursary, type ListKey } from '../store';
import { ExportButton } from './ExportButton';
import type { CsvShape } from './exportRows';
import { FilterBar } from './FilterBar';
import { filterProblem, isFiltered, toLedgerFilter, type FilterField } from './filter';

/** Rows per page while scrolling. */
export const LIST_PAGE_SIZE = 200;
const FILTER_DEBOUNCE_MS = 250;

/** One page of a ledger list for a filter (a module-level function per list). */
export type FetchLedgerPage<Row, Cursor> = (filter: LedgerFilter, after: Cursor | null, withTotal: boolean, limit: number) => Promise<RowsPage<Row, Cursor>>;

interface Props<Row, Cursor> {
  list: ListKey;
  title: string;
  intro: ReactNode;
  /** Module constants, so the rows and filters never re-render for nothing. */
  fields: readonly FilterField[];
  columns: readonly Column<Row>[];
  fetchPage: FetchLedgerPage<Row, Cursor>;
  csv: CsvShape<Row>;
  rowKey(row: Row): string;
  onOpen?: (row: Row) => void;
  rowClassName?: (row: Row) => string | undefined;
  /** "payment" / "payments", for the count. */
  noun: readonly [string, string];
  /** The staff member on a row (id, name), remembered for the "Recorded by" filter. */
  staffOf?: (row: Row) => readonly [string, string] | null;
  /** Changes when something was written here that the list must show (starts it again). */
  refreshKey?: number;
  expenseCategories?: readonly string[];
  /** Above the filters: e.g. the form to record an expense. */
  children?: ReactNode;
  rowHeight?: number;
}

/** A ledger list: filters, "n of total", Export CSV, and the virtualised rows. */
export function LedgerListSection<Row, Cursor>(props: Props<Row, Cursor>) {
  const { list, title, intro, fields, columns, fetchPage, csv, rowKey, onOpen, rowClassName, noun, staffOf, refreshKey = 0, expenseCategories, children, rowHeight } = props;
  const state = useBursary((s) => s.filters[list]);
  const filterKey = JSON.stringify(toLedgerFilter(state, fields));
  const settledKey = useDebouncedValue(filterKey, FILTER_DEBOUNCE_MS);
  const filter = useMemo(() => JSON.parse(settledKey) as LedgerFilter, [settledKey]);
  const problem = filterProblem(JSON.parse(filterKey) as LedgerFilter);
  const usable = filterProblem(filter) === null;
  const [refreshed, setRefreshed] = useState(0);
  /** Moves on with Refresh and with changes made here: the same filter is asked again. */
  const generation = `${refreshKey}#${refreshed}`;
  const queryKey = `${settledKey}#${generation}`;

  const fetchRows = useCallback(
    (after: Cursor | null, withTotal: boolean): Promise<RowsPage<Row, Cursor>> =>
      usable ? fetchPage(filter, after, withTotal, LIST_PAGE_SIZE) : Promise.resolve({ rows: [], next: null, total: 0 }),
    // queryKey: Refresh and refreshKey ask again for the same filter.
    [fetchPage, filter, usable, queryKey],
  );
  const pages = usePagedRows<Row, Cursor>(queryKey, fetchRows);
  const everything = useEverythingCount(fetchPage, isFiltered(filter), generation);

  const noteStaff = useBursary((s) => s.noteStaff);
  useEffect(() => {
    if (!staffOf) return;
    const pairs = pages.rows.map(staffOf).filter((p): p is readonly [string, string] => p !== null);
    noteStaff(pairs);
  }, [pages.version, pages.rows, staffOf, noteStaff]);

  const exportPage = useCallback((after: Cursor | null, withTotal: boolean, limit: number) => fetchPage(filter, after, withTotal, limit), [fetchPage, filter]);

  return (
    <section className="screen-panel bursary-list" aria-labelledby={`${list}-title`}>
      <div className="screen-head">
        <h2 id={`${list}-title`}>{title}</h2>
        <div className="screen-head-actions">
          <button type="button" onClick={() => setRefreshed((n) => n + 1)}>
            Refresh
          </button>
          <ExportButton list={list} fetchPage={exportPage} shape={csv} disabled={!usable || (pages.loaded && pages.rows.length === 0)} />
        </div>
      </div>
      <p className="muted">{intro}</p>
      {children}
      <FilterBar list={list} fields={fields} problem={problem} expenseCategories={expenseCategories} />
      <p className="list-count" aria-live="polite" data-testid={`${list}-count`}>
        {countText(pages.total, everything, noun)}
      </p>
      {usable && (
        <VirtualTable
          label={title}
          testId={`${list}-list`}
          rowTestId={`${list}-row`}
          columns={columns}
          pages={pages}
          rowKey={rowKey}
          onOpen={onOpen}
          rowClassName={rowClassName}
          empty={isFiltered(filter) ? `No ${noun[1]} match these filters. Clear the filters to see them all.` : `No ${noun[1]} yet.`}
          rowHeight={rowHeight}
        />
      )}
    </section>
  );
}

/** "48,000 payments", or "1,234 of 48,000 payments" while a filter is on. */
function countText(matching: number | null, everything: number | null, [one, many]: readonly [string, string]): string {
  if (matching === null) return '\u00a0';
  const n = (x: number) => x.toLocaleString('en');
  const word = (x: number) => (x === 1 ? one : many);
  if (everything === null || everything === matching) return `${n(matching)} ${word(matching)}`;
  return `${n(matching)} of ${n(everything)} ${many}`;
}

/** The list's unfiltered size, asked only while a filter is on (a one-row page with its total). */
function useEverythingCount<Row, Cursor>(fetchPage: FetchLedgerPage<Row, Cursor>, filtered: boolean, generation: string): number | null {
  const [count, setCount] = useState<number | null>(null);
  // The unfiltered total changes only with Refresh or a change made here, not with the filter.
  useEffect(() => {
    if (!filtered) return;
    let current = true;
    fetchPage({}, null, true, 1)
      .then((p) => current && setCount(p.total))
      .catch(() => current && setCount(null));
    return () => {
      current = false;
    };
  }, [fetchPage, filtered, generation]);
  return filtered ? count : null;
}
