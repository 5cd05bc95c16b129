import { useCallback, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { ConflictCursor, ConflictItem } from '../../../../shared/domain/conflict-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { KeysetList } from '../../lib/KeysetList';
import { ScreenPanel } from '../../lib/ScreenPanel';
import { SectionTabs } from '../../lib/SectionTabs';
import { formatDateTime } from '../../lib/time';
import { useKeysetPages } from '../../lib/useKeysetPages';
import { useNavCounts } from '../nav/counts';
import { useAfterSync } from '../sync/useAfterSync';
import { openProfile } from '../students/openProfile';
import { actionLabels, doneText, duplicateText, emptyText, openCountText, resolutionText, studentLinkLabel, type ConflictState } from './conflictText';
import './conflicts.css';

const PAGE = 50;
const TABS: readonly { key: ConflictState; label: string }[] = [
  { key: 'open', label: 'To review' },
  { key: 'resolved', label: 'Resolved' },
];

/** Conflicts to review: what two computers changed offline, which value was kept, and a way to restore the other. */
export function ConflictsScreen() {
  const [state, setState] = useState<ConflictState>('open');
  const [done, setDone] = useState<string | null>(null);
  return (
    <main className="app-main app-main-single screen">
      <ScreenPanel titleId="conflicts-title" title="Conflicts to review">
        <SectionTabs
          label="Conflicts"
          tabs={TABS}
          current={state}
          onGo={(s) => {
            setState(s);
            setDone(null);
          }}
          testIdPrefix="conflicts-"
        />
        {done && (
          <p className="notice notice-success conflict-done" role="status" data-testid="conflict-done">
            {done}
          </p>
        )}
        <ConflictList key={state} state={state} onDone={setDone} />
      </ScreenPanel>
    </main>
  );
}

function ConflictList({ state, onDone }: { state: ConflictState; onDone(text: string): void }) {
  const [openCount, setOpenCount] = useState<number | null>(null);
  const fetchPage = useCallback(
    async (after: ConflictCursor | null) => {
      const page = await api.invoke('conflicts.list', { state, after, limit: PAGE });
      setOpenCount(page.openCount);
      return page;
    },
    [state],
  );
  const pages = useKeysetPages(fetchPage);
  useAfterSync(() => void pages.refresh());
  return (
    <>
      {state === 'open' && openCount !== null && openCount > 0 && <p className="muted">{openCountText(openCount)}</p>}
      <KeysetList pages={pages} empty={emptyText(state)} loadingText="Loading conflicts…">
        <ul className="conflict-list">
          {pages.rows.map((c) => (
            <ConflictCard
              key={c.id}
              conflict={c}
              onResolved={(text) => {
                onDone(text);
                void pages.reload();
                void useNavCounts.getState().refresh();
              }}
            />
          ))}
        </ul>
      </KeysetList>
    </>
  );
}

function ConflictCard({ conflict: c, onResolved }: { conflict: ConflictItem; onResolved(text: string): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const labels = actionLabels(c);

  async function resolve(resolution: 'kept' | 'restored') {
    setBusy(true);
    setError(null);
    try {
      await api.invoke('conflicts.resolve', { id: c.id, resolution });
      onResolved(doneText(c, resolution));
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  }

  async function openStudent(id: string) {
    try {
      openProfile(await api.invoke('students.get', { id }));
    } catch (err) {
      setError(toAppError(err));
    }
  }

  return (
    <li className="conflict-card" data-testid="conflict">
      <p className="conflict-title">
        <strong>{c.record}</strong>
        <span className="conflict-field">{c.fieldLabel}</span>
        <span className="muted conflict-when">{formatDateTime(c.raisedAt)}</span>
      </p>
      {c.kind === 'duplicate' ? (
        <p>{duplicateText(c)}</p>
      ) : (
        <dl className="conflict-values">
          <dt>Kept</dt>
          <dd data-testid="conflict-kept">
            <span className="conflict-value">{c.kept.value}</span> <span className="muted">by {c.kept.by}, on {c.kept.device}</span>
          </dd>
          <dt>Replaced</dt>
          <dd data-testid="conflict-replaced">
            <span className="conflict-value is-replaced">{c.replaced.value}</span> <span className="muted">by {c.replaced.by}, on {c.replaced.device}</span>
          </dd>
        </dl>
      )}
      <div className="conflict-actions">
        {c.resolution ? (
          <p className="muted" data-testid="conflict-resolution">
            {resolutionText(c)}
          </p>
        ) : (
          <>
            <button type="button" onClick={() => void resolve('kept')} disabled={busy} data-testid="conflict-keep">
              {labels.keep}
            </button>
            {labels.restore && (
              <button type="button" onClick={() => void resolve('restored')} disabled={busy} data-testid="conflict-restore">
                {labels.restore}
              </button>
            )}
          </>
        )}
        <span className="conflict-links">
          {c.studentIds.map((id, i) => (
            <button key={id} type="button" className="link-button" onClick={() => void openStudent(id)}>
              {studentLinkLabel(c, i)}
            </button>
          ))}
        </span>
      </div>
      {error && <ErrorNotice error={error} />}
    </li>
  );
}
