import { useCallback, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { AuditEntry } from '../../../../shared/sync/protocol';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { KeysetList } from '../../lib/KeysetList';
import { formatDateTime } from '../../lib/time';
import { useKeysetPages } from '../../lib/useKeysetPages';
import { saveTextFile } from '../../lib/download';
import { DataTable, type TableColumn } from '../../lib/DataTable';

const AUDIT_COLUMNS: readonly TableColumn[] = [{ label: 'Time' }, { label: 'Who' }, { label: 'Device' }, { label: 'What' }];

export const AUDIT_PAGE_SIZE = 200;

const OP_LABEL: Record<AuditEntry['op'], string> = {
  insert: 'added',
  update: 'changed',
  delete: 'deleted',
};

/** Every change the school server accepted, newest first. Online only. */
export function AuditScreen() {
  const fetchPage = useCallback(
    (before: number | null) => api.invoke('audit.list', { before: before ?? undefined, limit: AUDIT_PAGE_SIZE }),
    [],
  );
  const pages = useKeysetPages<AuditEntry, number>(fetchPage);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<AppError | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  async function exportCsv() {
    if (exporting) return;
    setExporting(true);
    setExportError(null);
    setExported(null);
    try {
      const { filename, csv } = await api.invoke('audit.exportCsv', {});
      saveTextFile(filename, csv);
      setExported(filename);
    } catch (err) {
      setExportError(toAppError(err));
    } finally {
      setExporting(false);
    }
  }

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="audit-title">
        <div className="screen-head">
          <h2 id="audit-title">Audit trail</h2>
          <div className="screen-head-actions">
            <button type="button" onClick={() => void pages.reload()} disabled={pages.loading}>
              Refresh
            </button>
            <button type="button" className="primary" onClick={() => void exportCsv()} disabled={exporting}>
              {exporting ? 'Exporting…' : 'Export CSV'}
            </button>
          </div>
        </div>
        <p className="muted">Every change the school server has accepted, newest first, with who made it and on which computer. This screen needs a connection to the school server.</p>

        {exportError && <ErrorNotice error={exportError} online testId="audit-export-error" />}
        {exported && (
          <div className="notice notice-success" role="status">
            Downloaded {exported}. Open it with a spreadsheet program.
          </div>
        )}

        <KeysetList pages={pages} empty="Nothing recorded yet." loadingText="Loading the audit trail…" online errorTestId="audit-error">
          <DataTable columns={AUDIT_COLUMNS} testId="audit-table">
            <tbody>
              {pages.rows.map((r) => (
                <tr key={r.seq} data-testid="audit-row">
                  <td className="nowrap">{formatDateTime(r.at)}</td>
                  <td>{r.userName ?? <span className="muted">—</span>}</td>
                  <td>{r.deviceName ?? <span className="muted">—</span>}</td>
                  <td>
                    <span className="audit-table-name">{r.table}</span> <span className={`op op-${r.op}`} title={OP_LABEL[r.op]}>
                      {r.op}
                    </span>
                    <span className="sub row-id">{r.rowId}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </KeysetList>
      </section>
    </main>
  );
}
