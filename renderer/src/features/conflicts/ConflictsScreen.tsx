import { useCallback, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { ConflictCursor, ConflictItem } from '../../../../shared/domain/conflict-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { KeysetList } from '../../lib/KeysetList';
import { formatDateTime } from '../../lib/time';
import { useKeysetPages } from '../../lib/useKeysetPages';
import { useNav } from '../nav/store';
import { useStudents } from '../students/store';

const PAGE = 50;

/** Conflicts to review: what two computers changed offline, which value was kept, and a way to restore the other. */
export function ConflictsScreen() {
  const [state, setState] = useState<'open' | 'resolved'>('open');
  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="conflicts-title">
        <div className="screen-head">
          <h2 id="conflicts-title">Conflicts to review</h2>
        </div>
        <nav className="section-nav" aria-label="Conflicts">
          {(['open', 'resolved'] as const).map((s) => (
            <button key={s} type="button" className={`section-tab${state === s ? ' is-current' : ''}`} aria-current={state === s ? 'page' : undefined} onClick={() => setState(s)} data-testid={`conflicts-${s}`}>
              {s === 'open' ? 'To review' : 'Resolved'}
            </button>
          ))}
        </nav>
        <ConflictList key={state} state={state} />
      </section>
    </main>
  );
}

function ConflictList({ state }: { state: 'open' | 'resolved' }) {
  const fetchPage = useCallback((after: ConflictCursor | null) => api.invoke('conflicts.list', { state, after, limit: PAGE }), [state]);
  const pages = useKeysetPages(fetchPage);
  return (
    <KeysetList
      pages={pages}
      empty={state === 'open' ? 'Nothing to review: no two computers have changed the same thing.' : 'No conflict has been resolved yet.'}
      loadingText="Loading conflicts…"
    >
      <ul className="conflict-list">
        {pages.rows.map((c) => (
          <ConflictCard key={c.id} conflict={c} onResolved={() => void pages.reload()} />
        ))}
      </ul>
    </KeysetList>
  );
}

function ConflictCard({ conflict: c, onResolved }: { conflict: ConflictItem; onResolved(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const go = useNav((s) => s.go);

  async function resolve(resolution: 'kept' | 'restored') {
    setBusy(true);
    setError(null);
    try {
      await api.invoke('conflicts.resolve', { id: c.id, resolution });
      onResolved();
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  }

  async function openStudent(id: string) {
    try {
      useStudents.getState().select(await api.invoke('students.get', { id }));
      go('students');
    } catch (err) {
      setError(toAppError(err));
    }
  }

  return (
    <li className="conflict-card notice" data-testid="conflict">
      <p>
        <strong>{c.record}</strong>: {c.fieldLabel}
        <span className="muted"> · {formatDateTime(c.raisedAt)}</span>
      </p>
      {c.kind === 'duplicate' ? (
        <p>
          Two students were given the admission number <strong>{c.kept.value}</strong> on different computers: {c.record} and {c.other?.record}. Both were saved. Change the admission number
          of one of them, then mark this as dealt with.
        </p>
      ) : (
        <dl className="conflict-values">
          <dt>Kept</dt>
          <dd data-testid="conflict-kept">
            {c.kept.value} <span className="muted">by {c.kept.by}, on {c.kept.device}</span>
          </dd>
          <dt>Replaced</dt>
          <dd data-testid="conflict-replaced">
            {c.replaced.value} <span className="muted">by {c.replaced.by}, on {c.replaced.device}</span>
          </dd>
        </dl>
      )}
      {c.studentIds.length > 0 && (
        <p className="conflict-links">
          {c.studentIds.map((id, i) => (
            <button key={id} type="button" className="link-button" onClick={() => void openStudent(id)}>
              {i === 0 ? `Open ${c.kind === 'duplicate' ? 'this' : 'the'} student` : 'Open the other student'}
            </button>
          ))}
        </p>
      )}
      {c.resolution ? (
        <p className="muted" data-testid="conflict-resolution">
          {c.resolution === 'restored' ? 'Replaced value restored' : 'Kept as it was'} by {c.resolvedBy} on {c.resolvedAt ? formatDateTime(c.resolvedAt) : ''}.
        </p>
      ) : (
        <div className="form-actions">
          <button type="button" onClick={() => void resolve('kept')} disabled={busy} data-testid="conflict-keep">
            {c.kind === 'duplicate' ? 'Mark as dealt with' : 'Keep'}
          </button>
          {c.kind === 'overwritten' && (
            <button type="button" onClick={() => void resolve('restored')} disabled={busy} data-testid="conflict-restore">
              Restore the replaced value
            </button>
          )}
        </div>
      )}
      {error && <ErrorNotice error={error} />}
    </li>
  );
}
