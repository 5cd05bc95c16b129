import { useCallback } from 'react';
import type { LoginView } from '../../../../shared/api/contract';
import { api } from '../../api';
import { KeysetList } from '../../lib/KeysetList';
import { formatDateTime } from '../../lib/time';
import { useKeysetPages } from '../../lib/useKeysetPages';
import { DataTable, type TableColumn } from '../../lib/DataTable';

const LOGIN_COLUMNS: readonly TableColumn[] = [{ label: 'Time' }, { label: 'Person' }, { label: 'Device' }, { label: 'Result' }];

export const LOGINS_PAGE_SIZE = 100;
type Cursor = { at: string; id: string };

/** Every sign-in attempt, newest first, from this computer and (once synced) all others. */
export function LoginsScreen() {
  const fetchPage = useCallback(
    (before: Cursor | null) => api.invoke('logins.list', { before, limit: LOGINS_PAGE_SIZE }),
    [],
  );
  const pages = useKeysetPages<LoginView, Cursor>(fetchPage);

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="logins-title">
        <div className="screen-head">
          <h2 id="logins-title">Login history</h2>
          <button type="button" onClick={() => void pages.reload()} disabled={pages.loading}>
            Refresh
          </button>
        </div>
        <p className="muted">Every sign-in attempt, newest first. Sign-ins made offline reach the school server at the next sync.</p>

        <KeysetList pages={pages} empty="No sign-ins recorded yet." loadingText="Loading sign-ins…">
          <DataTable columns={LOGIN_COLUMNS} testId="logins-table">
            <tbody>
              {pages.rows.map((r) => (
                <tr key={r.id} data-testid="login-row" className={r.success ? '' : 'is-failed'}>
                  <td className="nowrap">{formatDateTime(r.at)}</td>
                  <td>
                    {r.displayName ?? <span className="muted">Unknown account</span>}
                    <span className="sub">{r.username}</span>
                  </td>
                  <td>
                    {r.deviceName ? (
                      <span title={r.deviceId}>
                        {r.deviceName}
                      </span>
                    ) : (
                      <span className="device-id" title={`${r.deviceId} (this computer does not know the device's name)`}>
                        {shortId(r.deviceId)}
                      </span>
                    )}
                  </td>
                  <td>
                    {r.success ? (
                      <span className="result-ok">Success</span>
                    ) : (
                      <span className="result-failed">
                        Failed{r.reason && <span className="reason"> · {r.reason}</span>}
                      </span>
                    )}
                    {r.offline && (
                      <span className="badge badge-offline" title="Checked on the device because the school server could not be reached.">
                        offline
                      </span>
                    )}
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

/** Device ids are UUIDs: the first block is enough to tell devices apart on screen. */
function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}
