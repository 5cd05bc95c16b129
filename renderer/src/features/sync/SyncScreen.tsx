import type { RecoveryReport } from '../../../../shared/domain/backups';
import type { SyncStatus } from '../../../../shared/domain/sync-status';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { ScreenPanel } from '../../lib/ScreenPanel';
import { StatCard } from '../../lib/StatCard';
import { formatClock, formatDateTime } from '../../lib/time';
import { useNav } from '../nav/store';
import { BackupsSection } from './BackupsSection';
import { FirstSyncProgress } from './FirstSyncProgress';
import { useSync } from './store';
import { useBackups } from './useBackups';
import { errorAdvice, formatAge, formatAgo, lastSyncText, recoveryLines } from './syncText';
import './sync.css';

/** How this computer's sync is going, what to do when it is not, and its database backups. */
export function SyncScreen() {
  const status = useSync((s) => s.status);
  const hostError = useSync((s) => s.error);
  const syncing = useSync((s) => s.syncing);
  const syncNow = useSync((s) => s.syncNow);
  const backups = useBackups();
  const recovery = backups.overview?.lastRecovery ?? null;

  return (
    <main className="app-main app-main-single screen">
      <ScreenPanel
        titleId="sync-title"
        title="Sync & backups"
        testId="sync-screen"
        actions={
          <button type="button" onClick={() => void syncNow()} disabled={syncing} data-testid="sync-screen-now">
            {syncing ? 'Syncing…' : 'Sync now'}
          </button>
        }
      >
        {recovery && <RecoveryNotice report={recovery} />}
        {hostError && <ErrorNotice error={hostError} testId="sync-screen-host-error" />}
        {status === null ? !hostError && <p className="muted">Checking this computer's sync…</p> : <Health status={status} />}
        <BackupsSection backups={backups} />
      </ScreenPanel>
    </main>
  );
}

function Health({ status }: { status: SyncStatus }) {
  const go = useNav((s) => s.go);
  const now = Date.now();
  return (
    <>
      <p className="muted">
        Everything is saved on this computer first and sent to the school server in the background, so work goes on without a connection.
      </p>
      {status.initialSync && <FirstSyncProgress progress={status.initialSync} />}
      <div className="stat-cards sync-cards">
        <StatCard label="Connection" value={status.online ? 'Online' : 'Offline'} testId="sync-online" />
        <StatCard label="Waiting to be sent" value={status.pending.toLocaleString('en')} testId="sync-pending" />
        <StatCard
          label="Oldest waiting for"
          value={status.pending > 0 && status.oldestPendingAt ? formatAge(status.oldestPendingAt, now) : '—'}
          testId="sync-oldest"
        />
        <StatCard label="Last sync" value={status.lastSyncAt ? formatAgo(status.lastSyncAt, now) : 'Never'} testId="sync-last" />
        <StatCard
          label="Need attention"
          value={status.needsAttention.toLocaleString('en')}
          testId="sync-attention"
          action={
            status.needsAttention > 0 && (
              <button type="button" className="link-button" onClick={() => go('attention')} data-testid="sync-attention-link">
                Resend or discard them
              </button>
            )
          }
        />
      </div>
      <dl className="sync-facts">
        <dt>Last sync</dt>
        <dd data-testid="sync-last-full">{lastSyncText(status.lastSyncAt, now)}</dd>
        <dt>Last backup</dt>
        <dd data-testid="sync-last-backup">{status.lastBackupAt ? `${formatDateTime(status.lastBackupAt)} (${formatAgo(status.lastBackupAt, now)})` : 'None yet'}</dd>
      </dl>
      {status.lastError ? (
        <div className="notice notice-error sync-problem" role="alert" data-testid="sync-screen-error">
          <p className="notice-title">{status.lastErrorAt ? `The last sync failed at ${formatClock(status.lastErrorAt)}` : 'The last sync failed'}</p>
          <p data-testid="sync-screen-error-text">{status.lastError}</p>
          <p>{errorAdvice(status)}</p>
        </div>
      ) : (
        status.lastSyncAt && (
          <p className="notice notice-success" data-testid="sync-screen-ok">
            The last sync went through. {status.pending === 0 ? 'Everything saved here has reached the school server.' : 'The changes waiting go with the next one.'}
          </p>
        )
      )}
    </>
  );
}

function RecoveryNotice({ report }: { report: RecoveryReport }) {
  return (
    <div className="notice notice-warn sync-recovery" role="alert" data-testid="recovery-report">
      <p className="notice-title">This computer's database was repaired</p>
      {recoveryLines(report).map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}
