import type { ReactNode } from 'react';
import type { AppError } from '../../../shared/api/errors';
import { ErrorNotice } from './ErrorNotice';

interface Props {
  /** What useKeysetPages returns. */
  pages: {
    rows: readonly unknown[];
    loaded: boolean;
    loading: boolean;
    done: boolean;
    error: AppError | null;
    loadMore(): Promise<void>;
    reload(): Promise<void>;
  };
  /** Said instead of the table once the first page has come back empty. */
  empty: string;
  /** Said until the first page has come back. */
  loadingText: string;
  /** Passed on to ErrorNotice: the list comes from the school server. */
  online?: boolean;
  errorTestId?: string;
  /** The table of the rows so far; shown only once there are some. */
  children: ReactNode;
}

/** The rows of a keyset-paged list, then what comes after them: an error, "Loading…", or "Load more". */
export function KeysetList({ pages, empty, loadingText, online, errorTestId, children }: Props) {
  const { rows, loaded, loading, done, error, loadMore, reload } = pages;
  return (
    <>
      {loaded && rows.length === 0 ? <p className="muted">{empty}</p> : rows.length > 0 && children}

      {/* A failed first page starts again; a failed later page is asked for again, keeping the rows shown. */}
      {error && <ErrorNotice error={error} online={online} onRetry={() => void (rows.length ? loadMore() : reload())} testId={errorTestId} />}
      {!loaded && !error && <p className="muted">{loadingText}</p>}
      {loaded && !done && !error && (
        <div className="load-more">
          <button type="button" onClick={() => void loadMore()} disabled={loading}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </>
  );
}
