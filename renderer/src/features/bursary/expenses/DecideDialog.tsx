import { useState, type FormEvent } from 'react';
import type { AppError } from '../../../../../shared/api/errors';
import type { ExpenseListItem } from '../../../../../shared/domain/bursary-views';
import type { ExpenseDecision } from '../../../../../shared/domain/expenses';
import { formatMinor } from '../../../../../shared/money';
import { api, toAppError } from '../../../api';
import { Dialog } from '../../../lib/Dialog';
import { DialogActions } from '../../../lib/DialogActions';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { formatDate } from '../../../lib/time';
import { useSaveOnce } from '../../../lib/useSaveOnce';

interface Props {
  expense: ExpenseListItem;
  decision: ExpenseDecision;
  currency: string;
  onClose(): void;
  onDecided(expense: ExpenseListItem): void;
}

/** The second person's decision on an expense, with a note; a rejection says why. */
export function DecideDialog({ expense, decision, currency, onClose, onDecided }: Props) {
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const approve = decision === 'approved';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    if (!approve && note.trim().length < 3) {
      setProblem('Say why it is rejected, so whoever recorded it knows what to put right.');
      return;
    }
    setProblem(null);
    setError(null);
    await save(async () => {
      try {
        onDecided(await api.invoke('expenses.decide', { expenseId: expense.id, decision, note: note.trim() }));
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  return (
    <Dialog title={approve ? 'Approve this expense?' : 'Reject this expense?'} onClose={onClose} testId="decide-dialog">
      <form onSubmit={submit} noValidate className="dialog-form">
        <p>
          <strong>
            {expense.category}: {expense.payee}, {formatMinor(expense.amountMinor, currency)}
          </strong>{' '}
          <span className="muted">
            (spent {formatDate(expense.spentOn)}, recorded by {expense.recordedBy ?? 'someone'})
          </span>
        </p>
        {expense.description && <p>{expense.description}</p>}
        <p>A decision cannot be changed afterwards. {approve ? '' : 'A rejected expense stays on the list, marked Rejected with your note.'}</p>
        <label className="field">
          <span className="field-label">{approve ? 'Note (optional)' : 'Why it is rejected'}</span>
          <input
            aria-label="Decision note"
            autoComplete="off"
            maxLength={200}
            value={note}
            aria-invalid={problem ? true : undefined}
            onChange={(e) => setNote(e.target.value)}
            autoFocus
          />
          {problem && (
            <span className="field-error" role="alert">
              {problem}
            </span>
          )}
        </label>
        {error && <ErrorNotice error={error} testId="decide-error" />}
        <DialogActions
          label={approve ? 'Approve expense' : 'Reject expense'}
          savingLabel="Saving…"
          saving={saving}
          tone={approve ? 'primary' : 'danger'}
          testId="decide-confirm"
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
