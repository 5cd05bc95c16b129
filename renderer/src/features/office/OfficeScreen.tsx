import type { OfficeDashboard } from '../../../../shared/api/office-api';
import { api } from '../../api';
import { DataTable, type TableColumn } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { ScreenPanel } from '../../lib/ScreenPanel';
import { StatCard } from '../../lib/StatCard';
import { useReadAgain } from '../../lib/useReadAgain';
import { formatDate } from '../../lib/time';
import { useNav } from '../nav/store';
import { useSync } from '../sync/store';
import { timeText, TYPE_LABELS } from '../calendar/calendarMath';
import { percent } from '../attendance/WeeklyChart';
import './office.css';

const ENROLMENT_COLUMNS: readonly TableColumn[] = [{ label: 'Class' }, { label: 'Enrolled', num: true }];
const readDashboard = () => api.invoke('office.dashboard', {});

/** The office at a glance: enrolment, today's registers, the coming fortnight, messages and conflicts. */
export function OfficeScreen() {
  // Again after each sync: registers, messages and conflicts come from other computers.
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);
  const { data, error, reload } = useReadAgain(readDashboard, lastSyncAt);
  return (
    <main className="app-main app-main-single screen">
      <ScreenPanel
        titleId="office-title"
        title="Office"
        actions={
          <button type="button" onClick={() => void reload()}>
            Refresh
          </button>
        }
      >
        {error && <ErrorNotice error={error} onRetry={() => void reload()} testId="office-error" />}
        {data === null ? !error && <p className="muted">Loading the office dashboard…</p> : <OfficeBody d={data} />}
      </ScreenPanel>
    </main>
  );
}

function OfficeBody({ d }: { d: OfficeDashboard }) {
  const go = useNav((s) => s.go);
  const enrolled = d.enrolment.reduce((s, c) => s + c.enrolled, 0);
  const a = d.attendanceToday;
  return (
    <>
      <p className="muted">
        Today is {formatDate(d.today)}
        {d.academicYear ? `; enrolment is for the ${d.academicYear} classes` : ''}. Figures include changes not yet synced.
      </p>
      <div className="stat-cards">
        <StatCard label="Students enrolled" value={enrolled.toLocaleString('en')} testId="office-enrolled" />
        <StatCard label="Class registers taken today" value={`${a.classesTaken} of ${a.classes}`} testId="office-registers" />
        <StatCard label="Present or late today" value={a.marked === 0 ? '—' : `${percent(a.rate)} of ${a.marked}`} testId="office-rate" />
        <StatCard
          label="Unread messages"
          value={String(d.unreadMessages)}
          testId="office-unread"
          action={
            <button type="button" className="link-button" onClick={() => go('messages')}>
              Open messages
            </button>
          }
        />
        <StatCard
          label="Conflicts to review"
          value={String(d.openConflicts)}
          testId="office-conflicts"
          action={
            d.openConflicts > 0 && (
              <button type="button" className="link-button" onClick={() => go('conflicts')} data-testid="office-conflicts-link">
                Review them
              </button>
            )
          }
        />
      </div>
      <div className="dashboard-tables office-tables">
        <div>
          <h3>Enrolment by class</h3>
          {d.enrolment.length === 0 ? (
            <p className="muted">No classes on this computer yet: add them under Classes.</p>
          ) : (
            <DataTable columns={ENROLMENT_COLUMNS} testId="office-enrolment">
              <tbody>
                {d.enrolment.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">{c.name}</th>
                    <td className="num">{c.enrolled}</td>
                  </tr>
                ))}
              </tbody>
            </DataTable>
          )}
        </div>
        <div>
          <h3>Next 14 days</h3>
          {d.upcoming.length === 0 ? (
            <p className="muted">Nothing on the calendar in the next 14 days.</p>
          ) : (
            <ul className="upcoming" data-testid="office-upcoming">
              {d.upcoming.map((e) => (
                <li key={e.id}>
                  <strong>{e.startsOn === e.endsOn ? formatDate(e.startsOn) : `${formatDate(e.startsOn)} – ${formatDate(e.endsOn)}`}</strong> {timeText(e)} {e.title}{' '}
                  <span className="muted">
                    ({TYPE_LABELS[e.type]}
                    {e.className ? `, ${e.className}` : ''}
                    {e.location ? `, ${e.location}` : ''})
                  </span>
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="link-button" onClick={() => go('calendar')}>
            Open the calendar
          </button>
        </div>
      </div>
    </>
  );
}
