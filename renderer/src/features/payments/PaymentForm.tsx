import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { PAYMENT_METHODS, type PaymentMethod, type PaymentView } from '../../../../shared/domain/payments';
import type { AppError } from '../../../../shared/api/errors';
import { formatMinor, parseMajorToMinor } from '../../../../shared/money';
import { api, toAppError } from '../../api';
import { METHOD_LABEL, needsReference } from './methods';

interface Props {
  studentId: string;
  currency: string;
  onRecorded(payment: PaymentView): void;
}

/** Which form field a server issue belongs to (issue paths follow RecordPaymentInput). */
type Field = 'amount' | 'method' | 'reference';
const FIELD_OF_PATH: Record<string, Field> = { amountMinor: 'amount', method: 'method', reference: 'reference' };

/**
 * Keyboard-first: the amount is focused as soon as a student is chosen, Enter records, and the
 * form is ready for the next payment straight away.
 */
export function PaymentForm({ studentId, currency, onRecorded }: Props) {
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  const [triedSubmit, setTriedSubmit] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<AppError | null>(null);
  const [lastPayment, setLastPayment] = useState<PaymentView | null>(null);
  const inFlight = useRef(false);
  const amountRef = useRef<HTMLInputElement>(null);
  const referenceRef = useRef<HTMLInputElement>(null);
  const ids = useId();

  useEffect(() => {
    amountRef.current?.focus();
  }, [studentId]);

  const parsed = parseMajorToMinor(amount, currency);
  const amountError = !parsed.ok && (triedSubmit || amount.trim() !== '') ? parsed.error : null;
  const withReference = needsReference(method);

  const issueFor = (field: Field): string | null => {
    const issues = serverError?.issues?.filter((i) => FIELD_OF_PATH[i.path] === field) ?? [];
    return issues.length > 0 ? issues.map((i) => i.message).join(' ') : null;
  };
  const otherIssues = serverError?.issues?.filter((i) => !(i.path in FIELD_OF_PATH)) ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return; // a second Enter must never record the payment twice
    setTriedSubmit(true);
    if (!parsed.ok) {
      amountRef.current?.focus();
      return;
    }
    inFlight.current = true;
    setSubmitting(true);
    try {
      const payment = await api.invoke('payments.record', {
        studentId,
        amountMinor: parsed.minor,
        method,
        reference: withReference && reference.trim() !== '' ? reference.trim() : undefined,
      });
      setLastPayment(payment);
      setServerError(null);
      setAmount('');
      setReference('');
      setTriedSubmit(false);
      onRecorded(payment);
      amountRef.current?.focus();
    } catch (err) {
      const appError = toAppError(err);
      setServerError(appError);
      const first = appError.issues?.map((i) => FIELD_OF_PATH[i.path]).find(Boolean);
      if (first === 'reference') referenceRef.current?.focus();
      else amountRef.current?.focus();
    } finally {
      inFlight.current = false;
      setSubmitting(false);
    }
  }

  const amountIssue = amountError ?? issueFor('amount');
  const methodIssue = issueFor('method');
  const referenceIssue = issueFor('reference');

  return (
    <form className="payment-form" onSubmit={submit} noValidate aria-label="Record a payment">
      <h3>Record a payment</h3>
      <div className="form-row">
        <label className="field">
          <span className="field-label">Amount ({currency})</span>
          <input
            ref={amountRef}
            className="amount-input"
            aria-label="Amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            aria-invalid={amountIssue ? true : undefined}
            aria-describedby={amountIssue ? `${ids}-amount-error` : `${ids}-amount-hint`}
            onChange={(e) => setAmount(e.target.value)}
          />
          {amountIssue ? (
            <span className="field-error" id={`${ids}-amount-error`}>
              {amountIssue}
            </span>
          ) : (
            <span className="field-hint" id={`${ids}-amount-hint`}>
              {parsed.ok ? formatMinor(parsed.minor, currency) : 'For example 1,200.50'}
            </span>
          )}
        </label>

        <label className="field">
          <span className="field-label">Method</span>
          <select
            aria-label="Payment method"
            value={method}
            aria-invalid={methodIssue ? true : undefined}
            onChange={(e) => setMethod(e.target.value as PaymentMethod)}
          >
            {PAYMENT_METHODS.map((m) => (
              <option key={m} value={m}>
                {METHOD_LABEL[m]}
              </option>
            ))}
          </select>
          {methodIssue && <span className="field-error">{methodIssue}</span>}
        </label>

        {withReference && (
          <label className="field">
            <span className="field-label">Reference</span>
            <input
              ref={referenceRef}
              aria-label="Reference"
              autoComplete="off"
              maxLength={64}
              value={reference}
              aria-invalid={referenceIssue ? true : undefined}
              placeholder="Slip, cheque or message no."
              onChange={(e) => setReference(e.target.value)}
            />
            {referenceIssue && <span className="field-error">{referenceIssue}</span>}
          </label>
        )}
      </div>

      <div className="form-actions">
        <button type="submit" className="primary" disabled={submitting}>
          Record payment
        </button>
        {submitting && <span className="muted">Saving…</span>}
      </div>

      {serverError && (
        <div className="notice notice-error" role="alert" data-testid="payment-error">
          <p>{serverError.message}</p>
          {otherIssues.length > 0 && (
            <ul>
              {otherIssues.map((i, n) => (
                <li key={n}>{i.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      {lastPayment && !serverError && (
        <div className="notice notice-success" role="status">
          Payment recorded. Receipt{' '}
          <strong className="receipt-no" data-testid="last-receipt">
            {lastPayment.receiptNo}
          </strong>{' '}
          for {formatMinor(lastPayment.amountMinor, lastPayment.currency)} ({METHOD_LABEL[lastPayment.method]}).
        </div>
      )}
    </form>
  );
}
