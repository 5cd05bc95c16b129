import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { PaymentMethod, PaymentView } from '../../../../shared/domain/payments';
import type { AppError } from '../../../../shared/api/errors';
import { formatMinor, parseMajorToMinor } from '../../../../shared/money';
import { api, toAppError } from '../../api';
import { openPrint } from '../print/route';
import { checkAllocations, oldestFirst, typedFrom, type OpenCharge } from './allocation';
import { AllocationTable } from './AllocationTable';
import { METHOD_LABEL, needsReference } from './methods';
import { MethodOptions } from './MethodOptions';

interface Props {
  studentId: string;
  currency: string;
  /** The student's open charges, oldest due first (null while the statement loads or cannot be seen). */
  openCharges: readonly OpenCharge[] | null;
  onRecorded(payment: PaymentView): void;
}

/** Which form field a server issue belongs to (issue paths follow RecordPaymentInput). */
type Field = 'amount' | 'method' | 'reference' | 'allocations';
function fieldOfPath(path: string): Field | undefined {
  if (path === 'amountMinor') return 'amount';
  if (path === 'method') return 'method';
  if (path === 'reference') return 'reference';
  if (path === 'allocations' || path.startsWith('allocations.')) return 'allocations';
  return undefined;
}

const NO_CHARGES: readonly OpenCharge[] = [];

/**
 * Keyboard-first: the amount is focused as soon as a student is chosen, Enter records, and the
 * form is ready for the next payment straight away. The payment settles the oldest charges
 * first unless the bursar spreads it otherwise; what is left is carried forward as credit.
 */
export function PaymentForm({ studentId, currency, openCharges, onRecorded }: Props) {
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  /** The bursar's own spread; null while it follows the amount, oldest due first. */
  const [custom, setCustom] = useState<ReadonlyMap<string, string> | null>(null);
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

  const open = openCharges ?? NO_CHARGES;
  const parsed = parseMajorToMinor(amount, currency);
  const amountMinor = parsed.ok ? parsed.minor : null;
  const amountError = !parsed.ok && (triedSubmit || amount.trim() !== '') ? parsed.error : null;
  const withReference = needsReference(method);
  const typed = useMemo(() => custom ?? typedFrom(open, oldestFirst(open, amountMinor ?? 0), currency), [custom, open, amountMinor, currency]);
  const check = checkAllocations(open, typed, amountMinor, currency);
  const spreadProblem = check.problem ?? (check.problems.size > 0 ? 'Correct the amounts against the charges first.' : null);

  const serverIssues = (field: Field) => serverError?.issues?.filter((i) => fieldOfPath(i.path) === field).map((i) => i.message) ?? [];
  const issueFor = (field: Field): string | null => serverIssues(field).join(' ') || null;
  const otherIssues = serverError?.issues?.filter((i) => fieldOfPath(i.path) === undefined) ?? [];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return; // a second Enter must never record the payment twice
    // The Enter of a double press that lands after the save: the form is empty, nothing to say.
    if (amount.trim() === '' && lastPayment && !serverError && !triedSubmit) return;
    setTriedSubmit(true);
    if (!parsed.ok) {
      amountRef.current?.focus();
      return;
    }
    if (custom && spreadProblem) return;
    inFlight.current = true;
    setSubmitting(true);
    try {
      const payment = await api.invoke('payments.record', {
        studentId,
        amountMinor: parsed.minor,
        method,
        reference: withReference && reference.trim() !== '' ? reference.trim() : undefined,
        // Left out, core spreads it oldest due first over the charges as they are when it saves.
        allocations: custom ? check.allocations : undefined,
      });
      setLastPayment(payment);
      setServerError(null);
      setAmount('');
      setReference('');
      setCustom(null);
      setTriedSubmit(false);
      onRecorded(payment);
      amountRef.current?.focus();
    } catch (err) {
      const appError = toAppError(err);
      setServerError(appError);
      const first = appError.issues?.map((i) => fieldOfPath(i.path)).find(Boolean);
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
  const allocationIssue = issueFor('allocations');

  return (
    <form className="payment-form" onSubmit={submit} noValidate aria-label="Record a payment">
      <h3>Record a payment</h3>
      {/* Above the fields, where it is seen while the next payment is typed. */}
      {lastPayment && !serverError && <RecordedNotice payment={lastPayment} />}
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
            <MethodOptions />
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

      {openCharges && (
        <AllocationTable
          open={open}
          typed={typed}
          check={check}
          custom={custom !== null}
          currency={currency}
          hasAmount={amountMinor !== null}
          onChange={(chargeId, text) => setCustom(new Map(typed).set(chargeId, text))}
          onReset={() => setCustom(null)}
        />
      )}
      {allocationIssue && (
        <p className="field-error" role="alert">
          {allocationIssue}
        </p>
      )}

      <div className="form-actions">
        <button type="submit" className="primary" disabled={submitting}>
          Record payment
        </button>
        {submitting && <span className="muted">Saving…</span>}
        {triedSubmit && custom && spreadProblem && <span className="field-error">{spreadProblem}</span>}
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

    </form>
  );
}

/** The last payment saved here: its receipt number, a way to print it, and a word if its reference was seen before. */
function RecordedNotice({ payment }: { payment: PaymentView }) {
  const duplicates = payment.duplicateReferenceOf;
  return (
    <>
      <div className="notice notice-success recorded-notice" role="status">
        <span>
          Payment recorded. Receipt{' '}
          <strong className="receipt-no" data-testid="last-receipt">
            {payment.receiptNo}
          </strong>{' '}
          for {formatMinor(payment.amountMinor, payment.currency)} ({METHOD_LABEL[payment.method]}).
        </span>
        <button type="button" className="row-button" onClick={() => openPrint({ kind: 'receipt', paymentId: payment.id })} data-testid="print-receipt">
          Print receipt
        </button>
      </div>
      {duplicates.length > 0 && (
        <div className="notice notice-warn" role="alert" data-testid="duplicate-warning">
          <p className="notice-title">
            This {METHOD_LABEL[payment.method].toLowerCase()} reference ({payment.reference}) was already used on receipt{duplicates.length > 1 ? 's' : ''}{' '}
            {duplicates.join(', ')}.
          </p>
          <p>The payment is saved. If the same slip or message was entered twice, void one of the two payments; if both are real, nothing needs doing.</p>
        </div>
      )}
    </>
  );
}
