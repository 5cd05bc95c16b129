import { useCallback, useEffect, useRef, useState } from 'react';
import type { StudentCursor, StudentListItem, StudentStatus } from '../../../../shared/domain/students';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';

export const PAGE_SIZE = 200;

export interface StudentQuery {
  search: string;
  status: StudentStatus | '';
}

interface Pages {
  /** The query these rows answer. */
  key: string;
  /** Loaded rows, appended in place: a new page never replaces the rows already shown. */
  rows: StudentListItem[];
  next: StudentCursor | null;
  done: boolean;
  loading: boolean;
}

const emptyPages = (key: string): Pages => ({ key, rows: [], next: null, done: false, loading: false });
const NO_ROWS: readonly StudentListItem[] = [];

/**
 * Keyset-paged students for one query. Rows live in a ref, outside React state; `version`
 * changes whenever rows arrive so the virtualizer re-renders, while row components (memoised
 * on the row object) keep their identity and do not re-render.
 */
export function useStudentPages(query: StudentQuery) {
  const pagesRef = useRef<Pages>(emptyPages(''));
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<AppError | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const search = query.search.trim();
  const status = query.status;
  const key = `${status}\u0000${search}`;

  const loadMore = useCallback(async () => {
    const pages = pagesRef.current;
    if (pages.loading || pages.done) return;
    pages.loading = true;
    try {
      const out = await api.invoke('students.list', {
        search: search || undefined,
        status: status || undefined,
        after: pages.next,
        limit: PAGE_SIZE,
      });
      if (pages !== pagesRef.current) return; // the query changed while this page was on its way
      for (const row of out.rows) pages.rows.push(row);
      pages.next = out.next;
      pages.done = out.next === null || out.rows.length === 0;
      setError(null);
    } catch (err) {
      if (pages === pagesRef.current) setError(toAppError(err));
    } finally {
      pages.loading = false;
      if (pages === pagesRef.current) setVersion((v) => v + 1);
    }
  }, [search, status]);

  useEffect(() => {
    pagesRef.current = emptyPages(key);
    setVersion((v) => v + 1);
    setError(null);
    void loadMore();
  }, [loadMore, key]);

  useEffect(() => {
    let current = true;
    setTotal(null);
    api
      .invoke('students.count', { search: search || undefined, status: status || undefined })
      .then((r) => current && setTotal(r.count))
      .catch(() => current && setTotal(null));
    return () => {
      current = false;
    };
  }, [search, status]);

  // In the render where the query has just changed, the ref still holds the previous query's
  // rows (the reset runs in an effect): show none of them, so Enter cannot pick a stale row.
  const pages = pagesRef.current;
  const current = pages.key === key;
  return {
    rows: current ? pages.rows : NO_ROWS,
    done: current && pages.done,
    /** True once the first page for the current query has arrived. */
    loaded: current && (pages.done || pages.rows.length > 0),
    version,
    error,
    total,
    loadMore,
  };
}
