import { useId, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { StatementEntry } from '../../../../shared/domain/fees';
import type { PaymentMethod } from '../../../../shared/domain/payments';
import { formatMinor, parseMajorToMinor } from '../../../../shared/money';
import { api, toAppError } from '../../api';
import { AmountField } from '../../lib/AmountField';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { problemsByField } from '../../lib/problemsByField';
import { formatEditable } from '../../lib/money';
import { MethodOptions } from '../payments/MethodOptions';
import { paidOutReference, paidOutWithReference, REFERENCE_MISSING } from '../payments/methods';
import { ReferenceField } from '../payments/ReferenceField';
import { MIN_VOID_REASON } from './VoidDialog';
import { useSaveOnce } from '../../lib/useSaveOnce';

interface Props {
  studentId: string;
  studentName: string;
  /** The credit the student has now: a refund may not be more. */
  creditMinor: number;
  currency: string;
  onClose(): void;
  onRefunded(entry: StatementEntry): void;
}

type Field = 'amount' | 'reference' | 'reason';
const FIELD_OF_PATH: Record<string, Field> = { amountMinor: 'amount', reference: 'reference', reason: 'reason' };

/** Pays a student's credit (an overpayment) back to the family: a ledger entry, never more than the credit. */
export function RefundDialog({ studentId, studentName, creditMinor, currency, onClose, onRefunded }: Props) {
  const [amount, setAmount] = useState(() => formatEditable(creditMinor, currency));
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const ids = useId();
  const parsed = parseMajorToMinor(amount, currency);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    const p: Partial<Record<Field, string>> = {};
    if (!parsed.ok) p.amount = parsed.error;
    else if (parsed.minor > creditMinor) p.amount = `The credit is ${formatMinor(creditMinor, currency)}: a refund cannot be more than that.`;
    if (paidOutReference(method, reference) === '') p.reference = REFERENCE_MISSING;
    if (reason.trim().length < MIN_VOID_REASON) p.reason = `Say why in a few words (at least ${MIN_VOID_REASON} characters), e.g. "Overpaid term fees".`;
    setProblems(p);
    setError(null);
    if (Object.keys(p).length > 0 || !parsed.ok) return;
    await save(async () => {
      try {
        const entry = await api.invoke('refunds.record', {
          studentId,
          amountMinor: parsed.minor,
          method,
          reference: paidOutReference(method, reference),
          reason: reason.trim(),
        });
        onRefunded(entry);
      } catch (err) {
        const appError = toAppError(err);
        setProblems(problemsByField(appError, (path) => FIELD_OF_PATH[path]));
        setError(appError);
      }
    });
  }

  const note = (f: Field, hint: string) => <FieldNote problem={problems[f]} problemId={`${ids}-${f}-error`} hint={hint} />;

  return (
    <Dialog title={`Refund credit to ${studentName}`} onClose={onClose} testId="refund-dialog">
      <form onSubmit={submit} noValidate className="dialog-form">
        <p>
          {studentName} has <strong data-testid="refund-credit">{formatMinor(creditMinor, currency)}</strong> in credit. A refund pays it back to
          the family and is recorded on the statement.
        </p>
        <div className="form-row">
          <AmountField
            label={`Refund (${currency})`}
            ariaLabel="Refund sum"
            currency={currency}
            value={amount}
            onChange={setAmount}
            problem={problems.amount}
            problemId={`${ids}-amount-error`}
            hint={`At most ${formatMinor(creditMinor, currency)}`}
            autoFocus
          />
          <label className="field">
            <span className="field-label">Paid back by</span>
            <select aria-label="Refund method" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
              <MethodOptions />
            </select>
          </label>
        </div>
        {paidOutWithReference(method) && (
          <ReferenceField ariaLabel="Refund reference" value={reference} onChange={setReference} problem={problems.reference} problemId={`${ids}-reference-error`} />
        )}
        <label className="field">
          <span className="field-label">Reason</span>
          <input
            aria-label="Reason for the refund"
            autoComplete="off"
            maxLength={200}
            value={reason}
            aria-invalid={problems.reason ? true : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {note('reason', 'Shown on the statement.')}
        </label>
        {error && <ErrorNotice error={error} testId="refund-error" />}
        <DialogActions label="Record refund" savingLabel="Recording…" saving={saving} testId="refund-submit" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
