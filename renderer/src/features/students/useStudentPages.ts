import { useCallback, useEffect, useState } from 'react';
import type { Gender, StudentCursor, StudentFilter, StudentListItem, StudentStatus } from '../../../../shared/domain/students';
import { api } from '../../api';
import { usePagedRows, type RowsPage } from '../../lib/usePagedRows';

export const PAGE_SIZE = 200;

export interface StudentQuery {
  search: string;
  status: StudentStatus | '';
  classId: string;
  gender: Gender | '';
  /** Moves when students were saved: the same query is read again. */
  changes: number;
}

/** The list's filter as core takes it (empty boxes left out). */
export function studentFilter(q: Omit<StudentQuery, 'changes'>): StudentFilter {
  const search = q.search.trim();
  return { search: search || undefined, status: q.status || undefined, classId: q.classId || undefined, gender: q.gender || undefined };
}

/**
 * Keyset-paged students for one query (rows kept outside React state, see usePagedRows). The
 * counts are asked for separately (matching, and all students for "n of total"), so the first
 * rows never wait for them on a large school.
 */
export function useStudentPages(query: StudentQuery) {
  const { search, status, classId, gender, changes } = query;
  const filter = studentFilter({ search, status, classId, gender });
  const key = JSON.stringify([filter, changes]);

  const fetchPage = useCallback(
    async (after: StudentCursor | null): Promise<RowsPage<StudentListItem, StudentCursor>> => {
      const out = await api.invoke('students.list', { ...(JSON.parse(key)[0] as StudentFilter), after, limit: PAGE_SIZE });
      return { rows: out.rows, next: out.next, total: null };
    },
    [key],
  );
  const pages = usePagedRows(key, fetchPage);

  const [counts, setCounts] = useState<{ total: number | null; all: number | null }>({ total: null, all: null });
  useEffect(() => {
    let current = true;
    const f = JSON.parse(key)[0] as StudentFilter;
    const filtered = Object.values(f).some((v) => v !== undefined);
    setCounts({ total: null, all: null });
    Promise.all([api.invoke('students.count', f), filtered ? api.invoke('students.count', {}) : null])
      .then(([n, all]) => current && setCounts({ total: n.count, all: all ? all.count : n.count }))
      .catch(() => current && setCounts({ total: null, all: null }));
    return () => {
      current = false;
    };
  }, [key]);

  return { ...pages, ...counts, filter };
}
