import { useCallback, useEffect, useRef, useState } from 'react';
import type { AttentionItem } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDateTime } from '../../lib/time';
import { useUser } from '../session/store';
import { useSync } from '../sync/store';
import { FixDialog } from './FixDialog';

/** What kind of change it was, in words. */
const KIND_LABEL: Record<string, string> = {
  'payments.record': 'Payment',
  'roles.update': 'Role permissions',
  'staff.update': 'Staff account',
  'logins.record': 'Sign-in record',
  'expenses.record': 'Expense',
  'students.save': 'Student',
};

function kindLabel(name: string): string {
  return KIND_LABEL[name] ?? 'Change';
}

type Action = 'resend' | 'fix' | 'discard';

/** What became of the last action on an item; the item is kept so the outcome can still be shown once it has left the list. */
interface Outcome {
  item: AttentionItem;
  done?: Action;
  message?: string;
  error?: AppError;
}

/**
 * Changes the school server refused (say a payment recorded by someone whose role changed
 * while this computer was offline). Nothing is lost: each waits here to be resent, as the
 * signed-in person, or discarded.
 */
export function AttentionScreen() {
  const user = useUser();
  const [items, setItems] = useState<AttentionItem[] | null>(null);
  const [listError, setListError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<Record<number, Action>>({});
  const [outcomes, setOutcomes] = useState<Record<number, Outcome>>({});
  const [confirming, setConfirming] = useState<AttentionItem | null>(null);
  const [fixing, setFixing] = useState<AttentionItem | null>(null);
  const loadSeq = useRef(0);

  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    setLoading(true);
    try {
      const out = await api.invoke('attention.list', {});
      if (seq !== loadSeq.current) return;
      setItems(out.rows);
      setListError(null);
    } catch (err) {
      if (seq !== loadSeq.current) return;
      setListError(toAppError(err));
    } finally {
      if (seq === loadSeq.current) setLoading(false);
    }
  }, []);

  // Load now, and again whenever the sync status moves on (a sync can add or settle items).
  const syncKey = useSync((s) => (s.status ? `${s.status.needsAttention}|${s.status.lastSyncAt ?? ''}|${s.status.pending}` : ''));
  useEffect(() => {
    void load();
  }, [load, syncKey]);

  const who = user ? ` as ${user.displayName}` : '';
  const queuedAgain = `It goes to the school server at the next sync; if the school refuses it again, it comes back to this list.`;

  async function fixed(item: AttentionItem) {
    setFixing(null);
    setOutcomes((o) => ({ ...o, [item.id]: { item, done: 'fix', message: `Corrected and queued again${who}. ${queuedAgain}` } }));
    await Promise.all([load(), useSync.getState().refresh()]);
  }

  async function act(item: AttentionItem, action: Exclude<Action, 'fix'>) {
    if (busy[item.id]) return;
    setBusy((b) => ({ ...b, [item.id]: action }));
    setOutcomes((o) => withoutKey(o, item.id));
    try {
      if (action === 'resend') {
        await api.invoke('attention.resend', { id: item.id });
        setOutcomes((o) => ({ ...o, [item.id]: { item, done: 'resend', message: `Queued again${who}. ${queuedAgain}` } }));
      } else {
        await api.invoke('attention.discard', { id: item.id });
        setOutcomes((o) => ({
          ...o,
          [item.id]: {
            item,
            done: 'discard',
            message: 'Discarded. The school never accepted this change, and it is no longer on this computer.',
          },
        }));
      }
    } catch (err) {
      setOutcomes((o) => ({ ...o, [item.id]: { item, error: toAppError(err) } }));
    } finally {
      setBusy((b) => withoutKey(b, item.id));
      // The list and the status bar's count both change after an action.
      await Promise.all([load(), useSync.getState().refresh()]);
    }
  }

  const listed = new Set(items?.map((i) => i.id) ?? []);
  // Outcomes for items no longer in the list: resent, discarded, or gone meanwhile.
  const settled = Object.values(outcomes)
    .filter((o) => !listed.has(o.item.id))
    .sort((a, b) => a.item.id - b.item.id);

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="attention-title">
        <div className="screen-head">
          <h2 id="attention-title">Needs attention</h2>
          <button type="button" onClick={() => void load()} disabled={loading}>
            Refresh
          </button>
        </div>
        <p className="muted">
          The school server refused these changes, so they are not in the school's records. Nothing is lost: each one stays here until you
          correct it, resend it or discard it. <strong>Fix…</strong> corrects what was wrong and sends it again;{' '}
          <strong>Resend</strong> sends it again unchanged as you{user ? ` (${user.displayName})` : ''}, if your role allows it.{' '}
          <strong>Discard</strong> gives it up for good.
        </p>

        {listError && <ErrorNotice error={listError} onRetry={() => void load()} testId="attention-list-error" />}

        {items === null ? (
          !listError && <p className="muted">Loading…</p>
        ) : items.length === 0 ? (
          <p className="attention-empty" data-testid="attention-empty">
            Nothing needs attention: every change made on this computer was accepted by the school, or is still waiting to be sent.
          </p>
        ) : (
          <ul className="attention-list" aria-label="Changes the school server refused">
            {items.map((item) => {
              const doing = busy[item.id];
              const outcome = outcomes[item.id];
              return (
                <li key={item.id} className="attention-item" data-testid="attention-row" data-id={item.id}>
                  <ItemText item={item} />
                  {item.instead && (
                    <p className="attention-instead" data-testid="attention-instead">
                      {item.instead}
                    </p>
                  )}
                  <div className="attention-actions">
                    {item.fixable && (
                      <button
                        type="button"
                        className="primary"
                        onClick={() => setFixing(item)}
                        disabled={doing !== undefined || outcome?.done !== undefined}
                        data-testid="attention-fix"
                      >
                        Fix…
                      </button>
                    )}
                    <button
                      type="button"
                      onClick={() => void act(item, 'resend')}
                      disabled={doing !== undefined || outcome?.done !== undefined}
                      data-testid="attention-resend"
                    >
                      {doing === 'resend' ? 'Resending…' : 'Resend'}
                    </button>
                    <button
                      type="button"
                      className="danger-outline"
                      onClick={() => setConfirming(item)}
                      disabled={doing !== undefined || outcome?.done !== undefined}
                      data-testid="attention-discard"
                    >
                      {doing === 'discard' ? 'Discarding…' : 'Discard'}
                    </button>
                  </div>
                  {outcome && <OutcomeNotice outcome={outcome} />}
                </li>
              );
            })}
          </ul>
        )}

        {settled.length > 0 && (
          <>
            <h3>Done here</h3>
            <ul className="attention-list" aria-label="Changes dealt with">
              {settled.map((o) => (
                <li key={o.item.id} className="attention-item is-settled" data-testid="attention-done" data-id={o.item.id}>
                  <ItemText item={o.item} />
                  <OutcomeNotice outcome={o} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {fixing && <FixDialog item={fixing} onClose={() => setFixing(null)} onFixed={() => void fixed(fixing)} />}

      {confirming && (
        <DiscardDialog
          item={confirming}
          onClose={() => setConfirming(null)}
          onConfirm={() => {
            const item = confirming;
            setConfirming(null);
            void act(item, 'discard');
          }}
        />
      )}
    </main>
  );
}

function ItemText({ item }: { item: AttentionItem }) {
  return (
    <>
      <div className="attention-item-head">
        <span className="attention-kind">{kindLabel(item.name)}</span>
        <span className="attention-when" title={item.createdAt}>
          refused {formatDateTime(item.createdAt)}
        </span>
      </div>
      <p className="attention-summary" data-testid="attention-summary">
        {item.summary}
      </p>
      <p className="attention-reason" data-testid="attention-reason">
        <span className="attention-reason-label">Why the school refused it: </span>
        {item.reason.trim() || 'The school server gave no reason.'}
      </p>
    </>
  );
}

function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  if (outcome.error) return <ErrorNotice error={outcome.error} testId="attention-error" />;
  if (!outcome.message) return null;
  return (
    <div className="notice notice-success" role="status" data-testid="attention-result">
      {outcome.message}
    </div>
  );
}

function DiscardDialog({ item, onClose, onConfirm }: { item: AttentionItem; onClose(): void; onConfirm(): void }) {
  return (
    <ConfirmDialog
      title="Discard this change?"
      testId="discard-dialog"
      confirmLabel="Discard change"
      onConfirm={onConfirm}
      onClose={onClose}
      cancelLabel="Keep it"
      confirmTestId="discard-confirm"
      cancelTestId="discard-cancel"
    >
      <p>
        <strong>{item.summary}</strong>
      </p>
      <p>
        This change was never accepted by the school. Discarding it removes it from this computer for good: it is not sent again, and it
        cannot be brought back.
      </p>
      <p className="muted">
        {item.name === 'payments.record'
          ? 'If the money was in fact received, the payment has to be recorded again by someone allowed to record payments.'
          : 'If it still needs doing, someone allowed to do it has to make the change again.'}
      </p>
    </ConfirmDialog>
  );
}

function withoutKey<T>(record: Record<number, T>, key: number): Record<number, T> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}
