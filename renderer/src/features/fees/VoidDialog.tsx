import { useId, useRef, useState, type FormEvent } from 'react';
import type { VoidableTable } from '../../../../shared/domain/fees';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';

export const MIN_VOID_REASON = 3;

/** One ledger entry that can be voided, described for the person about to void it. */
export interface VoidTarget {
  table: VoidableTable;
  id: string;
  /** What it is, in a word: "payment", "charge", "discount", "refund", "expense". */
  noun: string;
  /** The entry in a few words, bold: "Tuition, KES 12,000.00". */
  summary: string;
  /** Where it came from, in brackets after it: "receipt KHS-D1-000042, 3 Mar 2026, 10:12". */
  detail: string;
}

const REDO: Record<VoidableTable, string> = {
  payments: 'record it again',
  charges: 'post it again',
  discounts: 'grant it again',
  refunds: 'record it again',
  expenses: 'record it again',
};

interface Props {
  target: VoidTarget;
  onClose(): void;
  onVoided(reason: string): void;
}

/** Asks why, then voids one ledger entry. The entry itself is never changed or removed. */
export function VoidDialog({ target, onClose, onVoided }: Props) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const reasonRef = useRef<HTMLInputElement>(null);
  const ids = useId();
  const { noun } = target;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    const trimmed = reason.trim();
    if (trimmed.length < MIN_VOID_REASON) {
      setProblem(`Give the reason for the void in a few words (at least ${MIN_VOID_REASON} characters), e.g. "Entered twice" or "Wrong student".`);
      reasonRef.current?.focus();
      return;
    }
    setProblem(null);
    setError(null);
    await save(async () => {
      try {
        await api.invoke('ledger.void', { targetTable: target.table, targetId: target.id, reason: trimmed });
        onVoided(trimmed);
      } catch (err) {
        const appError = toAppError(err);
        const reasonIssue = appError.issues?.find((i) => i.path === 'reason');
        if (reasonIssue) setProblem(reasonIssue.message);
        else setError(appError);
        reasonRef.current?.focus();
      }
    });
  }

  return (
    <Dialog title={`Void this ${noun}?`} onClose={onClose} testId="void-dialog">
      <form onSubmit={submit} noValidate className="dialog-form">
        <p>
          <strong>{target.summary}</strong> {target.detail && <span className="muted">({target.detail})</span>}
        </p>
        <p>
          The {noun} stays in the ledger, marked <strong>Voided</strong> with your reason, and no longer counts. A void cannot be undone: if the{' '}
          {noun} was right after all, {REDO[target.table]}.
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
              At least {MIN_VOID_REASON} characters; everyone who sees the ledger sees it.
            </span>
          )}
        </label>
        {error && <ErrorNotice error={error} testId="void-error" />}
        <DialogActions label={`Void ${noun}`} savingLabel="Voiding…" saving={saving} tone="danger" testId="void-confirm" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
