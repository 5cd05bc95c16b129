import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../shared/api/errors';
import { toAppError } from '../api';
import { rereadPages } from './rereadPages';

export interface Page<Row, Cursor> {
  rows: Row[];
  next: Cursor | null;
}

/**
 * Newest-first keyset paging with an explicit "Load more": the first page loads on mount,
 * each further page continues from the cursor the previous one returned. `fetchPage` must be
 * stable (useCallback); `reload` starts again from the newest; `refresh` reads again as many
 * pages as are shown, keeping them on screen until the new ones are in (after a sync).
 */
export function useKeysetPages<Row, Cursor>(fetchPage: (cursor: Cursor | null) => Promise<Page<Row, Cursor>>) {
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState<Cursor | null>(null);
  const [done, setDone] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  /** Bumped by reload, so a page for an older generation is dropped. */
  const generation = useRef(0);
  const busy = useRef(false);
  /** Pages shown, so a refresh reads as many again. */
  const shown = useRef(0);

  const load = useCallback(
    async (cursor: Cursor | null, fresh: boolean) => {
      if (busy.current && !fresh) return;
      const gen = fresh ? ++generation.current : generation.current;
      busy.current = true;
      setLoading(true);
      try {
        const page = await fetchPage(cursor);
        if (gen !== generation.current) return;
        setRows((old) => (fresh ? page.rows : [...old, ...page.rows]));
        shown.current = fresh ? 1 : shown.current + 1;
        setNext(page.next);
        setDone(page.next === null || page.rows.length === 0);
        setLoaded(true);
        setError(null);
      } catch (err) {
        if (gen === generation.current) setError(toAppError(err));
      } finally {
        if (gen === generation.current) {
          busy.current = false;
          setLoading(false);
        }
      }
    },
    [fetchPage],
  );

  const reload = useCallback(() => load(null, true), [load]);
  const loadMore = useCallback(() => load(next, false), [load, next]);

  const refresh = useCallback(async () => {
    // A newer generation: a page still on its way (an older reading) is dropped.
    const gen = ++generation.current;
    busy.current = true;
    try {
      const again = await rereadPages(fetchPage, shown.current);
      if (gen !== generation.current) return;
      setRows(again.rows);
      setNext(again.next);
      setDone(again.done);
      setLoaded(true);
      setError(null);
      shown.current = again.pages;
    } catch (err) {
      if (gen === generation.current) setError(toAppError(err));
    } finally {
      if (gen === generation.current) {
        busy.current = false;
        setLoading(false);
      }
    }
  }, [fetchPage]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { rows, loaded, loading, done, error, loadMore, reload, refresh };
}
