import { useCallback, useState } from 'react';
import type { HistoryCursor, HistoryPage, HistoryRow } from '../../../../shared/domain/attendance-views';
import { api } from '../../api';
import { DataTable, type TableColumn } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDate } from '../../lib/time';
import { useKeysetPages } from '../../lib/useKeysetPages';
import { useAfterSync } from '../sync/useAfterSync';
import { ExportButton } from '../bursary/lists/ExportButton';
import type { CsvShape, FetchExportPage } from '../bursary/lists/exportRows';
import { STATUS_LABELS } from './registerDraft';

const COLUMNS: readonly TableColumn[] = [{ label: 'Date' }, { label: 'Register' }, { label: 'Class' }, { label: 'Status' }, { label: 'Reason' }];
const PAGE = 100;

export const HISTORY_CSV: CsvShape<HistoryRow> = {
  header: ['date', 'register', 'class', 'status', 'reason'],
  cells: (r) => [r.date, r.period || 'Whole day', r.className, STATUS_LABELS[r.status], r.reason],
};

/** One student's marks, newest first, a page at a time, with their totals and a CSV export. */
export function HistorySection({ studentId, onClose }: { studentId: string; onClose(): void }) {
  const [first, setFirst] = useState<HistoryPage | null>(null);
  const fetchListPage = useCallback(
    async (after: HistoryCursor | null) => {
      const page = await api.invoke('attendance.history', { studentId, after, limit: PAGE });
      if (!after) setFirst(page);
      return page;
    },
    [studentId],
  );
  const pages = useKeysetPages(fetchListPage);
  const { rows, loaded, done, error } = pages;
  // Marks other computers took for this student arrive with a sync.
  useAfterSync(() => void pages.refresh());

  const fetchPage: FetchExportPage<HistoryRow, HistoryCursor> = async (after, withTotal, limit) => {
    const page = await api.invoke('attendance.history', { studentId, after, limit });
    return { rows: page.rows, next: page.next, total: withTotal ? (page.totals?.marked ?? null) : null };
  };

  const t = first?.totals;
  return (
    <section className="screen-panel" aria-labelledby="history-title" data-testid="history">
      <div className="screen-head">
        <h2 id="history-title">{first ? `Attendance of ${first.student.name} (${first.student.admissionNo})` : 'Attendance history'}</h2>
        <div className="screen-head-actions">
          <ExportButton list="attendance-history" fetchPage={fetchPage} shape={HISTORY_CSV} disabled={rows.length === 0} />
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {error && <ErrorNotice error={error} onRetry={() => void (rows.length ? pages.loadMore() : pages.reload())} testId="history-error" />}
      {t && (
        <p className="muted" data-testid="history-totals">
          {t.marked === 0
            ? 'No marks yet.'
            : `${t.marked} marked: ${t.present} present, ${t.absent} absent, ${t.late} late, ${t.excused} excused (${Math.round(((t.present + t.late) / t.marked) * 100)}% present or late).`}
        </p>
      )}
      {rows.length > 0 && (
        <DataTable columns={COLUMNS} testId="history-table">
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={`is-${r.status}`} data-testid="history-row">
                <td>{formatDate(r.date)}</td>
                <td>{r.period || 'Whole day'}</td>
                <td>{r.className ?? '—'}</td>
                <td>{STATUS_LABELS[r.status]}</td>
                <td>{r.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {loaded && !done && (
        <button type="button" onClick={() => void pages.loadMore()}>
          Show older marks
        </button>
      )}
    </section>
  );
}
