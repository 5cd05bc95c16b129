import type { BursaryDashboard } from '../../../../../shared/domain/bursary-views';
import { formatMinor } from '../../../../../shared/money';
import { api } from '../../../api';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { ScreenPanel } from '../../../lib/ScreenPanel';
import { StatCard } from '../../../lib/StatCard';
import { useReadAgain } from '../../../lib/useReadAgain';
import { formatDate } from '../../../lib/time';
import { useSync } from '../../sync/store';
import { useBursary } from '../store';
import { DailyChart } from './DailyChart';
import { DataTable, type TableColumn } from '../../../lib/DataTable';

const BY_CLASS_COLUMNS: readonly TableColumn[] = [{ label: 'Class' }, { label: 'Charged', num: true }, { label: 'Collected', num: true }, { label: 'Outstanding', num: true }, { label: 'Collection rate' }];
const BY_CATEGORY_COLUMNS: readonly TableColumn[] = [{ label: 'Category' }, { label: 'Charged', num: true }, { label: 'Outstanding', num: true }];

const readDashboard = () => api.invoke('ledger.dashboard', {});

/** The bursary at a glance: today, the term, what is owed, and where. */
export function DashboardSection() {
  // Again whenever a sync brings other offices' payments.
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);
  const { data: dashboard, error, reload: load } = useReadAgain(readDashboard, lastSyncAt);

  return (
    <ScreenPanel
      titleId="dashboard-title"
      title="Dashboard"
      actions={
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      }
    >
      {error && <ErrorNotice error={error} onRetry={() => void load()} testId="dashboard-error" />}
      {dashboard === null ? !error && <p className="muted">Loading the dashboard…</p> : <DashboardBody d={dashboard} />}
    </ScreenPanel>
  );
}

/** Where today sits against the term the figures are for (between terms it is the latest one). */
function termPhrase(d: BursaryDashboard): string {
  if (!d.term) return '';
  const { name, startsOn, endsOn } = d.term;
  if (d.today < startsOn) return `; ${name} starts on ${formatDate(startsOn)}`;
  if (d.today > endsOn) return `; the term figures are for ${name}, which ended on ${formatDate(endsOn)}`;
  return `, in ${name} (${formatDate(startsOn)} to ${formatDate(endsOn)})`;
}

function DashboardBody({ d }: { d: BursaryDashboard }) {
  const money = (minor: number) => formatMinor(minor, d.currency);
  const go = useBursary((s) => s.go);
  return (
    <>
      <p className="muted">
        Today is {formatDate(d.today)}
        {termPhrase(d)}. Figures include entries not yet synced.
      </p>
      <div className="stat-cards">
        <StatCard label="Collected today" value={money(d.collectedTodayMinor)} testId="stat-today" />
        <StatCard label={d.term ? `Collected in ${d.term.name}` : 'Collected this term'} value={money(d.collectedTermMinor)} testId="stat-term" />
        <StatCard label="Outstanding" value={money(d.outstandingMinor)} testId="stat-outstanding" tone={d.outstandingMinor > 0 ? 'owed' : undefined} />
        <StatCard
          label="Students in arrears"
          value={d.studentsInArrears.toLocaleString('en')}
          testId="stat-arrears"
          action={
            <button type="button" className="link-button" onClick={() => go('arrears')}>
              See the list
            </button>
          }
        />
      </div>

      <h3>Collected, last 30 days</h3>
      {d.daily.every((x) => x.collectedMinor === 0) ? (
        <p className="muted" data-testid="daily-chart-empty">
          Nothing collected in the last 30 days.
        </p>
      ) : (
        <DailyChart daily={d.daily} currency={d.currency} />
      )}

      <div className="dashboard-tables">
        <div>
          <h3>Collection by class</h3>
          {d.byClass.length === 0 ? (
            <p className="muted">No charges yet.</p>
          ) : (
            <DataTable columns={BY_CLASS_COLUMNS} testId="collection-by-class">
              <tbody>
                {d.byClass.map((c) => (
                  <tr key={c.className}>
                    <th scope="row">{c.className}</th>
                    <td className="num">{money(c.chargedMinor)}</td>
                    <td className="num">{money(c.collectedMinor)}</td>
                    <td className="num">{money(c.outstandingMinor)}</td>
                    <td>
                      <Rate rate={c.rate} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
        </div>
        <div>
          <h3>Outstanding by fee category</h3>
          {d.byCategory.length === 0 ? (
            <p className="muted">No charges yet.</p>
          ) : (
            <DataTable columns={BY_CATEGORY_COLUMNS} testId="outstanding-by-category">
              <tbody>
                {d.byCategory.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">{c.category}</th>
                    <td className="num">{money(c.chargedMinor)}</td>
                    <td className="num">{money(c.outstandingMinor)}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
        </div>
      </div>
    </>
  );
}

/** "82%" with a bar; "—" when nothing was charged. */
function Rate({ rate }: { rate: number | null }) {
  if (rate === null) return <span className="muted">—</span>;
  const pct = Math.round(rate * 100);
  return (
    <span className="rate">
      <span className="rate-bar" aria-hidden="true">
        <span style={{ width: `${Math.min(pct, 100)}%` }} />
      </span>
      <span className="rate-value">{pct}%</span>
    </span>
  );
}
