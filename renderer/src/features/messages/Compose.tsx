import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { Recipient, RecipientChoices } from '../../../../shared/domain/message-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { problemsByField } from '../../lib/problemsByField';
import { BODY_MAX, checkMessageDraft, chosenText, messageFieldOf, recipientKey, SUBJECT_MAX, toggledRecipient, type MessageField } from './messageDraft';

/** Writes a message to people from the staff list, groups (everyone with a role) or all staff. */
export function Compose({ onSent }: { onSent(): void }) {
  const [choices, setChoices] = useState<RecipientChoices | null>(null);
  const [to, setTo] = useState<Map<string, Recipient>>(new Map());
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<MessageField, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const boxes = { to: useRef<HTMLFieldSetElement>(null), subject: useRef<HTMLInputElement>(null), body: useRef<HTMLTextAreaElement>(null) };

  useEffect(() => {
    api.invoke('messages.recipients', {}).then(setChoices, (err) => setError(toAppError(err)));
  }, []);

  const labelOf = (r: Recipient): string => {
    if (r.kind === 'staff') return choices?.staff.find((s) => s.id === r.id)?.name ?? 'someone';
    return choices?.groups.find((g) => (r.kind === 'all' ? g.kind === 'all' : g.id === r.id))?.label ?? 'a group';
  };

  // The first box with a problem takes the focus, so the person sees what to fix.
  const show = (found: Partial<Record<MessageField, string>>) => {
    setProblems(found);
    const first = (['to', 'subject', 'body'] as const).find((f) => found[f]);
    if (first === 'to') boxes.to.current?.querySelector('input')?.focus();
    else if (first) boxes[first].current?.focus();
  };

  async function send(e: FormEvent) {
    e.preventDefault();
    if (busy) return;
    const { message, problems: found } = checkMessageDraft(to, subject, body);
    if (!message) return show(found);
    setBusy(true);
    setProblems({});
    setError(null);
    try {
      await api.invoke('messages.send', message);
      onSent();
    } catch (err) {
      const appError = toAppError(err);
      setError(appError);
      show(problemsByField(appError, messageFieldOf));
    } finally {
      setBusy(false);
    }
  }

  const tick = (r: Recipient, label: string, extra?: string) => (
    <label key={recipientKey(r)} className="check">
      <input type="checkbox" checked={to.has(recipientKey(r))} onChange={() => setTo((old) => toggledRecipient(old, r))} /> {label}
      {extra && <span className="muted"> · {extra}</span>}
    </label>
  );

  return (
    <form className="message-compose" onSubmit={(e) => void send(e)} noValidate data-testid="message-compose">
      <fieldset ref={boxes.to} className="message-to" aria-describedby={problems.to ? 'message-to-problem' : undefined}>
        <legend>To</legend>
        {choices === null ? (
          !error && <p className="muted">Loading the staff list…</p>
        ) : (
          <div className="message-to-list">
            {choices.groups.length > 0 && (
              <div className="message-to-part">
                <span className="message-to-heading">Groups</span>
                {choices.groups.map((g) => tick(g.kind === 'all' ? { kind: 'all' } : { kind: 'role', id: g.id! }, g.label, `${g.count.toLocaleString('en')} ${g.count === 1 ? 'person' : 'people'}`))}
              </div>
            )}
            <div className="message-to-part">
              <span className="message-to-heading">People</span>
              {choices.staff.length === 0 ? <p className="muted">Nobody else has an account yet.</p> : choices.staff.map((s) => tick({ kind: 'staff', id: s.id }, s.name, s.roleName ?? undefined))}
            </div>
          </div>
        )}
        <FieldNote problem={problems.to} problemId="message-to-problem" hint={chosenText(to, labelOf)} />
      </fieldset>
      <div className="message-write">
        <label className="field">
          <span className="field-label">Subject</span>
          <input
            ref={boxes.subject}
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
            maxLength={SUBJECT_MAX}
            aria-invalid={problems.subject ? true : undefined}
            aria-describedby={problems.subject ? 'message-subject-problem' : undefined}
            data-testid="message-subject"
          />
          <FieldNote problem={problems.subject} problemId="message-subject-problem" />
        </label>
        <label className="field">
          <span className="field-label">Message</span>
          <textarea
            ref={boxes.body}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={10}
            maxLength={BODY_MAX}
            aria-invalid={problems.body ? true : undefined}
            aria-describedby={problems.body ? 'message-body-problem' : undefined}
            data-testid="message-body"
          />
          <FieldNote problem={problems.body} problemId="message-body-problem" hint={`${body.length.toLocaleString('en')} of 5,000 characters`} />
        </label>
        {error && <ErrorNotice error={error} testId="message-error" />}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy} data-testid="message-send">
            Send
          </button>
          <span className="muted">Saved here at once; delivered when this computer syncs.</span>
        </div>
      </div>
    </form>
  );
}
