import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/api/errors';
import { toAppError } from '../api';

export interface RowsPage<Row, Cursor> {
  rows: Row[];
  next: Cursor | null;
  /** Only the first page is asked for it; null when not counted. */
  total: number | null;
}

/** Asks for one page after `after` (null: the first); `withTotal` is true for the first page only. */
export type FetchRowsPage<Row, Cursor> = (after: Cursor | null, withTotal: boolean) => Promise<RowsPage<Row, Cursor>>;

interface Pages<Row, Cursor> {
  /** The query these rows answer. */
  key: string;
  /** Loaded rows, appended in place: a new page never replaces the rows already shown. */
  rows: Row[];
  next: Cursor | null;
  done: boolean;
  loading: boolean;
  total: number | null;
}

const emptyPages = <Row, Cursor>(key: string): Pages<Row, Cursor> => ({ key, rows: [], next: null, done: false, loading: false, total: null });
const NO_ROWS: readonly never[] = [];

/**
 * Keyset-paged rows for one query (`key` names it; `fetchPage` must change with it), kept in a
 * ref outside React state the way the students list keeps them: `version` moves when rows
 * arrive so a virtualizer re-renders, while memoised rows keep their identity. The first page
 * also brings the number of matching rows, for "n of total".
 */
export function usePagedRows<Row, Cursor>(key: string, fetchPage: FetchRowsPage<Row, Cursor>): PagedRows<Row> {
  const pagesRef = useRef<Pages<Row, Cursor>>(emptyPages(''));
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<AppError | null>(null);

  const loadMore = useCallback(async () => {
    const pages = pagesRef.current;
    if (pages.loading || pages.done) return;
    pages.loading = true;
    try {
      const first = pages.rows.length === 0 && pages.next === null;
      const out = await fetchPage(pages.next, first);
      if (pages !== pagesRef.current) return; // the query changed while this page was on its way
      for (const row of out.rows) pages.rows.push(row);
      if (first) pages.total = out.total;
      pages.next = out.next;
      pages.done = out.next === null || out.rows.length === 0;
      setError(null);
    } catch (err) {
      if (pages === pagesRef.current) setError(toAppError(err));
    } finally {
      pages.loading = false;
      if (pages === pagesRef.current) setVersion((v) => v + 1);
    }
  }, [fetchPage]);

  /** Starts the query again from the first page (after a change made here, or a sync). */
  const reload = useCallback(() => {
    pagesRef.current = emptyPages(key);
    setVersion((v) => v + 1);
    setError(null);
    void loadMore();
  }, [key, loadMore]);

  useEffect(() => {
    reload();
  }, [reload]);

  // In the render where the query has just changed the ref still holds the previous query's
  // rows (the reset runs in an effect): show none of them.
  const pages = pagesRef.current;
  const current = pages.key === key;
  return {
    rows: current ? pages.rows : (NO_ROWS as readonly Row[]),
    done: current && pages.done,
    /** True once the first page for the current query has arrived. */
    loaded: current && (pages.done || pages.rows.length > 0),
    total: current ? pages.total : null,
    version,
    error,
    loadMore,
    reload,
  };
}

/** What usePagedRows gives a list to show. */
export interface PagedRows<Row> {
  rows: readonly Row[];
  done: boolean;
  loaded: boolean;
  total: number | null;
  version: number;
  error: AppError | null;
  loadMore(): Promise<void>;
  reload(): void;
}
