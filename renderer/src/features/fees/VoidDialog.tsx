import { useId, useRef, useState, type FormEvent } from 'react';
import type { StatementEntry } from '../../../../shared/domain/fees';
import type { AppError } from '../../../../shared/api/errors';
import { formatMinor } from '../../../../shared/money';
import { api, toAppError } from '../../api';
import { Dialog } from '../../lib/Dialog';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDateOrTime } from '../../lib/time';

export const MIN_VOID_REASON = 3;

interface Props {
  entry: StatementEntry;
  /** The payment's receipt number, when known. */
  receiptNo?: string | undefined;
  currency: string;
  onClose(): void;
  onVoided(reason: string): void;
}

/** Asks why, then voids one payment or charge. The entry itself is never changed or removed. */
export function VoidDialog({ entry, receiptNo, currency, onClose, onVoided }: Props) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const inFlight = useRef(false);
  const reasonRef = useRef<HTMLInputElement>(null);
  const ids = useId();
  const what = entry.kind === 'payment' ? 'payment' : 'charge';
  const amount = formatMinor(entry.kind === 'payment' ? entry.creditMinor : entry.debitMinor, currency);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    const trimmed = reason.trim();
    if (trimmed.length < MIN_VOID_REASON) {
      setProblem(`Give the reason for the void in a few words (at least ${MIN_VOID_REASON} characters), e.g. "Entered twice" or "Wrong student".`);
      reasonRef.current?.focus();
      return;
    }
    setProblem(null);
    setError(null);
    inFlight.current = true;
    setSaving(true);
    try {
      await api.invoke('ledger.void', { targetTable: entry.kind === 'payment' ? 'payments' : 'charges', targetId: entry.id, reason: trimmed });
      onVoided(trimmed);
    } catch (err) {
      const appError = toAppError(err);
      const reasonIssue = appError.issues?.find((i) => i.path === 'reason');
      if (reasonIssue) setProblem(reasonIssue.message);
      else setError(appError);
      reasonRef.current?.focus();
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  }

  return (
    <Dialog title={`Void this ${what}?`} onClose={onClose} testId="void-dialog">
      <form onSubmit={submit} noValidate className="dialog-form">
        <p>
          <strong>
            {entry.description || (entry.kind === 'payment' ? 'Payment' : 'Charge')}, {amount}
          </strong>{' '}
          <span className="muted">
            ({receiptNo && !entry.description.includes(receiptNo) ? `receipt ${receiptNo}, ` : ''}
            {formatDateOrTime(entry.date)})
          </span>
        </p>
        <p>
          The {what} stays in the ledger, marked <strong>Voided</strong> with your reason, and a reversing entry is added so it no longer counts
          in the balance. A void cannot be undone: if the {what} was right after all, {entry.kind === 'payment' ? 'record it' : 'post it'} again.
        </p>
        <label className="field">
          <span className="field-label">Reason</span>
          <input
            ref={reasonRef}
            aria-label="Reason for void"
            autoComplete="off"
            maxLength={200}
            value={reason}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${ids}-error` : `${ids}-hint`}
            onChange={(e) => {
              setReason(e.target.value);
              if (e.target.value.trim().length >= MIN_VOID_REASON) setProblem(null);
            }}
            autoFocus
          />
          {problem ? (
            <span className="field-error" id={`${ids}-error`} role="alert" data-testid="void-reason-error">
              {problem}
            </span>
          ) : (
            <span className="field-hint" id={`${ids}-hint`}>
              At least {MIN_VOID_REASON} characters; everyone who sees the statement sees it.
            </span>
          )}
        </label>
        {error && <ErrorNotice error={error} testId="void-error" />}
        <div className="form-actions">
          <button type="submit" className="danger" disabled={saving}>
            {saving ? 'Voiding…' : `Void ${what}`}
          </button>
          <button type="button" onClick={onClose} disabled={saving}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
