import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { PaymentMethod } from '../../../../shared/domain/payments';
import { parseMajorToMinor } from '../../../../shared/money';
import { api } from '../../api';
import { AmountField } from '../../lib/AmountField';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { formatEditable } from '../../lib/money';
import { checkAllocations, oldestFirst, typedFrom, type OpenCharge } from '../payments/allocation';
import { AllocationTable } from '../payments/AllocationTable';
import { needsReference } from '../payments/methods';
import { MethodOptions } from '../payments/MethodOptions';
import { ReferenceField } from '../payments/ReferenceField';
import { issueAt, type FixFormProps } from './fixForm';
import { StudentChooser } from './StudentChooser';

interface RefusedPayment {
  studentId: string;
  amountMinor: number;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  receiptNo: string;
  allocations?: { chargeId: string; amountMinor: number }[];
}

/** The student's open charges, oldest due first; null while loading or when they cannot be read here. */
function useOpenCharges(studentId: string): readonly OpenCharge[] | null {
  const [open, setOpen] = useState<{ studentId: string; charges: readonly OpenCharge[] | null } | null>(null);
  useEffect(() => {
    let live = true;
    api
      .invoke('students.statement', { studentId })
      .then((s) => live && setOpen({ studentId, charges: s.openCharges }))
      .catch(() => live && setOpen({ studentId, charges: null }));
    return () => {
      live = false;
    };
  }, [studentId]);
  return open?.studentId === studentId ? open.charges : null;
}

/** A refused payment, corrected: student, amount, method, reference and what it pays; the receipt number stays. */
export function PaymentFix({ item, error, saving, onSave, onCancel }: FixFormProps) {
  const refused = item.args as unknown as RefusedPayment;
  const currency = refused.currency;
  const refusedSpread = () => new Map((refused.allocations ?? []).map((a) => [a.chargeId, formatEditable(a.amountMinor, currency)]));
  const [studentId, setStudentId] = useState(refused.studentId);
  const [amount, setAmount] = useState(formatEditable(refused.amountMinor, currency));
  const [method, setMethod] = useState<PaymentMethod>(refused.method);
  const [reference, setReference] = useState(refused.reference ?? '');
  // The refused spread, to be corrected; for another student the oldest charges first.
  const [custom, setCustom] = useState<ReadonlyMap<string, string> | null>(refusedSpread);
  const [tried, setTried] = useState(false);
  const ids = useId();
  const charges = useOpenCharges(studentId);
  const open = charges ?? [];

  const parsed = parseMajorToMinor(amount, currency);
  const amountMinor = parsed.ok ? parsed.minor : null;
  const typed = useMemo(() => custom ?? typedFrom(open, oldestFirst(open, amountMinor ?? 0), currency), [custom, open, amountMinor, currency]);
  const check = checkAllocations(open, typed, amountMinor, currency);
  const spreadProblem = check.problem ?? (check.problems.size > 0 ? 'Correct the amounts against the charges first.' : null);

  function chooseStudent(id: string) {
    setStudentId(id);
    setCustom(id === refused.studentId ? refusedSpread() : null);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!parsed.ok || (charges && spreadProblem)) return;
    onSave({
      studentId,
      amountMinor: parsed.minor,
      method,
      reference: needsReference(method) ? reference.trim() || null : null,
      // Unread charges (no permission to see the statement): the refused spread stays as it was.
      ...(charges ? { allocations: check.allocations } : {}),
    });
  }

  const amountProblem = (!parsed.ok && (tried || amount.trim() !== '') ? parsed.error : null) ?? issueAt(error, 'amountMinor');
  const allocationProblem = issueAt(error, 'allocations') ?? (tried ? spreadProblem : null);
  return (
    <form className="dialog-form fix-form" onSubmit={submit} noValidate aria-label="Correct the payment">
      <p className="muted">
        Receipt <strong data-testid="fix-receipt">{refused.receiptNo}</strong> stays the same, so a receipt already given out is still valid.
      </p>
      <div className="form-row">
        <AmountField
          label={`Amount (${currency})`}
          ariaLabel="Amount"
          currency={currency}
          value={amount}
          onChange={setAmount}
          problem={amountProblem}
          problemId={`${ids}-amount`}
          hint="For example 1,200.50"
          autoFocus
        />
        <label className="field">
          <span className="field-label">Method</span>
          <select aria-label="Payment method" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
            <MethodOptions />
          </select>
          <FieldNote problem={issueAt(error, 'method')} />
        </label>
        {needsReference(method) && (
          <ReferenceField ariaLabel="Reference" value={reference} onChange={setReference} problem={issueAt(error, 'reference')} problemId={`${ids}-reference`} />
        )}
      </div>
      <StudentChooser value={studentId} onChange={chooseStudent} problem={issueAt(error, 'studentId')} />
      {charges && (
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
      {allocationProblem && (
        <p className="field-error" role="alert">
          {allocationProblem}
        </p>
      )}
      {error && <ErrorNotice error={error} testId="fix-error" />}
      <DialogActions label="Save and send again" savingLabel="Saving…" saving={saving} testId="fix-save" onCancel={onCancel} />
    </form>
  );
}
