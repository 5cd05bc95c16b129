import { useEffect, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { Recipient, RecipientChoices } from '../../../../shared/domain/message-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';

const keyOf = (r: Recipient) => (r.kind === 'all' ? 'all' : `${r.kind}:${r.id}`);

/** Writes a message to people from the staff list, groups (everyone with a role) or all staff. */
export function Compose({ onSent }: { onSent(): void }) {
  const [choices, setChoices] = useState<RecipientChoices | null>(null);
  const [to, setTo] = useState<Map<string, Recipient>>(new Map());
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    api.invoke('messages.recipients', {}).then(setChoices, (err) => setError(toAppError(err)));
  }, []);

  const toggle = (r: Recipient) =>
    setTo((old) => {
      const next = new Map(old);
      if (next.has(keyOf(r))) next.delete(keyOf(r));
      else next.set(keyOf(r), r);
      return next;
    });

  async function send(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.invoke('messages.send', { to: [...to.values()], subject, body });
      onSent();
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="message-compose" onSubmit={(e) => void send(e)} data-testid="message-compose">
      <fieldset>
        <legend>To</legend>
        {choices?.groups.map((g) => {
          const r: Recipient = g.kind === 'all' ? { kind: 'all' } : { kind: 'role', id: g.id! };
          return (
            <label key={keyOf(r)} className="check">
              <input type="checkbox" checked={to.has(keyOf(r))} onChange={() => toggle(r)} /> {g.label} ({g.count})
            </label>
          );
        })}
        {choices?.staff.map((s) => {
          const r: Recipient = { kind: 'staff', id: s.id };
          return (
            <label key={s.id} className="check">
              <input type="checkbox" checked={to.has(keyOf(r))} onChange={() => toggle(r)} /> {s.name}
              {s.roleName && <span className="muted"> · {s.roleName}</span>}
            </label>
          );
        })}
      </fieldset>
      <label>
        Subject
        <input value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={150} data-testid="message-subject" />
      </label>
      <label>
        Message
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={8} maxLength={5000} data-testid="message-body" />
      </label>
      {error && <ErrorNotice error={error} testId="message-error" />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="message-send">
          Send
        </button>
      </div>
      <p className="muted">Written here at once; delivered when this computer syncs.</p>
    </form>
  );
}
