import { useCallback, useEffect, useState } from 'react';
import type { StudentCursor, StudentListItem, StudentStatus } from '../../../../shared/domain/students';
import { api } from '../../api';
import { usePagedRows, type RowsPage } from '../../lib/usePagedRows';

export const PAGE_SIZE = 200;

export interface StudentQuery {
  search: string;
  status: StudentStatus | '';
}

/**
 * Keyset-paged students for one query (rows kept outside React state, see usePagedRows). The
 * count is asked for separately, so the first rows never wait for it on a large school.
 */
export function useStudentPages(query: StudentQuery) {
  const search = query.search.trim();
  const status = query.status;
  const key = `${status}\u0000${search}`;

  const fetchPage = useCallback(
    async (after: StudentCursor | null): Promise<RowsPage<StudentListItem, StudentCursor>> => {
      const out = await api.invoke('students.list', { search: search || undefined, status: status || undefined, after, limit: PAGE_SIZE });
      return { rows: out.rows, next: out.next, total: null };
    },
    [search, status],
  );
  const pages = usePagedRows(key, fetchPage);

  const [total, setTotal] = useState<number | null>(null);
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

  return { ...pages, total };
}
