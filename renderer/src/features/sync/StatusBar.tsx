import { formatClock } from '../../lib/time';
import { useSync } from './store';

interface Props {
  /** Opens the "Needs attention" screen. */
  onOpenAttention(): void;
}

/** Always visible: online/offline, pending changes, last sync, problems, and "Sync now". */
export function StatusBar({ onOpenAttention }: Props) {
  const status = useSync((s) => s.status);
  const error = useSync((s) => s.error);
  const syncing = useSync((s) => s.syncing);
  const syncNow = useSync((s) => s.syncNow);

  const online = status?.online ?? false;
  return (
    <footer className={`status-bar ${status ? (online ? 'is-online' : 'is-offline') : ''}`} aria-label="Sync status">
      <span className="status-dot" aria-hidden="true" />
      <span className="status-main" data-testid="sync-status" role="status">
        {status ? `${online ? 'online' : 'offline'} · ${status.pending} pending` : 'checking…'}
      </span>
      {status && (
        <span className="status-item" data-testid="last-sync">
          {status.lastSyncAt ? `last sync ${formatClock(status.lastSyncAt)}` : 'never synced'}
        </span>
      )}
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
      {status && !online && status.lastError && (
        <span className="status-item status-error" data-testid="sync-error" title={status.lastError}>
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
