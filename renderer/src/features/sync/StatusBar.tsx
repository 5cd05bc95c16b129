import { formatClock } from '../../lib/time';
import { useSync } from './store';
import { oldestPendingText, percentDone, progressTotal, statusSummary } from './syncText';
import './sync.css';

interface Props {
  /** Opens the "Needs attention" screen. */
  onOpenAttention(): void;
  /** Opens the "Sync & backups" screen. */
  onOpenSync(): void;
}

/** Always visible: online/offline, pending changes and how long the oldest has waited, last sync,
 * a first sync's percent, the last failure, problems, and "Sync now". The status opens the Sync screen. */
export function StatusBar({ onOpenAttention, onOpenSync }: Props) {
  const status = useSync((s) => s.status);
  const error = useSync((s) => s.error);
  const syncing = useSync((s) => s.syncing);
  const syncNow = useSync((s) => s.syncNow);

  const online = status?.online ?? false;
  const oldest = status ? oldestPendingText(status) : null;
  const first = status?.initialSync ?? null;
  return (
    <footer className={`status-bar ${status ? (online ? 'is-online' : 'is-offline') : ''}`} aria-label="Sync status">
      <button type="button" className="status-open" onClick={onOpenSync} title="Open Sync & backups" data-testid="status-open">
        <span className="status-dot" aria-hidden="true" />
        <span className="status-main">
          <span data-testid="sync-status" role="status">
            {status ? statusSummary(status) : 'checking…'}
          </span>
          {oldest && <span data-testid="oldest-pending"> · {oldest}</span>}
        </span>
        {status && (
          <span className="status-item" data-testid="last-sync">
            {status.lastSyncAt ? `last sync ${formatClock(status.lastSyncAt)}` : 'never synced'}
          </span>
        )}
        {first && (
          <span className="status-item status-first-sync" data-testid="status-first-sync">
            first sync {percentDone(first.rowsDone, progressTotal(first))}%
            <progress max={progressTotal(first) || 1} value={first.rowsDone} aria-hidden="true" />
          </span>
        )}
      </button>
      {status && status.needsAttention > 0 && (
        <button
          type="button"
          className="status-item status-attention"
          data-testid="needs-attention"
          title="Changes the school server refused. Open them to resend or discard."
          onClick={onOpenAttention}
        >
          {status.needsAttention} need attention
        </button>
      )}
      {status?.lastError && (
        <span
          className="status-item status-error"
          data-testid="sync-error"
          title={status.lastErrorAt ? `Since ${formatClock(status.lastErrorAt)}: ${status.lastError}` : status.lastError}
        >
          {status.lastError}
        </span>
      )}
      {error && (
        <span className="status-item status-error" data-testid="host-error" role="alert">
          {error.message}
        </span>
      )}
      <span className="status-spacer" />
      <button type="button" className="status-button" onClick={() => void syncNow()} disabled={syncing}>
        {syncing ? 'Syncing…' : 'Sync now'}
      </button>
    </footer>
  );
}
