import { useId, useState, type FormEvent } from 'react';
import type { PaymentMethod } from '../../../../shared/domain/payments';
import { parseMajorToMinor } from '../../../../shared/money';
import { AmountField } from '../../lib/AmountField';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { formatEditable } from '../../lib/money';
import { paidOutWithReference } from '../payments/methods';
import { MethodOptions } from '../payments/MethodOptions';
import { ReferenceField } from '../payments/ReferenceField';
import { issueAt, type FixFormProps } from './fixForm';

interface RefusedExpense {
  category: string;
  payee: string;
  description: string;
  amountMinor: number;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  spentOn: string;
}

function TextField({ label, value, onChange, problem, autoFocus }: { label: string; value: string; onChange(v: string): void; problem: string | null; autoFocus?: boolean }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input aria-label={label} value={value} autoComplete="off" aria-invalid={problem ? true : undefined} onChange={(e) => onChange(e.target.value)} autoFocus={autoFocus} />
      <FieldNote problem={problem} />
    </label>
  );
}

/** A refused expense, corrected: what it was for, who was paid, how much, how and when; its attachments stay. */
export function ExpenseFix({ item, error, saving, onSave, onCancel }: FixFormProps) {
  const refused = item.args as unknown as RefusedExpense;
  const currency = refused.currency;
  const [category, setCategory] = useState(refused.category);
  const [payee, setPayee] = useState(refused.payee);
  const [description, setDescription] = useState(refused.description);
  const [amount, setAmount] = useState(formatEditable(refused.amountMinor, currency));
  const [method, setMethod] = useState<PaymentMethod>(refused.method);
  const [reference, setReference] = useState(refused.reference ?? '');
  const [spentOn, setSpentOn] = useState(refused.spentOn);
  const [tried, setTried] = useState(false);
  const ids = useId();
  const parsed = parseMajorToMinor(amount, currency);

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!parsed.ok) return;
    onSave({
      category,
      payee,
      description,
      amountMinor: parsed.minor,
      method,
      reference: paidOutWithReference(method) ? reference.trim() || null : null,
      spentOn,
    });
  }

  return (
    <form className="dialog-form fix-form" onSubmit={submit} noValidate aria-label="Correct the expense">
      <div className="form-row">
        <TextField label="Category" value={category} onChange={setCategory} problem={issueAt(error, 'category')} autoFocus />
        <TextField label="Paid to" value={payee} onChange={setPayee} problem={issueAt(error, 'payee')} />
      </div>
      <TextField label="Description" value={description} onChange={setDescription} problem={issueAt(error, 'description')} />
      <div className="form-row">
        <AmountField
          label={`Amount (${currency})`}
          ariaLabel="Amount"
          currency={currency}
          value={amount}
          onChange={setAmount}
          problem={(!parsed.ok && tried ? parsed.error : null) ?? issueAt(error, 'amountMinor')}
          problemId={`${ids}-amount`}
          hint="For example 1,200.50"
        />
        <label className="field">
          <span className="field-label">Method</span>
          <select aria-label="Payment method" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
            <MethodOptions />
          </select>
        </label>
        {paidOutWithReference(method) && (
          <ReferenceField ariaLabel="Reference" value={reference} onChange={setReference} problem={issueAt(error, 'reference')} problemId={`${ids}-reference`} />
        )}
        <label className="field">
          <span className="field-label">Spent on</span>
          <input type="date" aria-label="Spent on" value={spentOn} onChange={(e) => setSpentOn(e.target.value)} />
          <FieldNote problem={issueAt(error, 'spentOn')} />
        </label>
      </div>
      {error && <ErrorNotice error={error} testId="fix-error" />}
      <DialogActions label="Save and send again" savingLabel="Saving…" saving={saving} testId="fix-save" onCancel={onCancel} />
    </form>
  );
}
