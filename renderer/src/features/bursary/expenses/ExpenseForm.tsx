import { useId, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../../shared/api/errors';
import type { ExpenseListItem } from '../../../../../shared/domain/bursary-views';
import type { PaymentMethod } from '../../../../../shared/domain/payments';
import { parseMajorToMinor } from '../../../../../shared/money';
import { api, toAppError } from '../../../api';
import { AmountField } from '../../../lib/AmountField';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { FieldNote } from '../../../lib/FieldNote';
import { problemsByField } from '../../../lib/problemsByField';
import { formatDate, todayIsoDate } from '../../../lib/time';
import { MethodOptions } from '../../payments/MethodOptions';
import { paidOutReference, paidOutWithReference, REFERENCE_MISSING } from '../../payments/methods';
import { ReferenceField } from '../../payments/ReferenceField';
import { AttachmentNames } from './AttachmentNames';
import { useSaveOnce } from '../../../lib/useSaveOnce';
import { SuggestInput } from '../../../lib/SuggestInput';

interface Props {
  currency: string;
  categories: readonly string[];
  onRecorded(expense: ExpenseListItem): void;
  onClose(): void;
}

type Field = 'category' | 'payee' | 'description' | 'amount' | 'reference' | 'spentOn' | 'attachments';
const FIELDS: readonly Field[] = ['category', 'payee', 'description', 'amount', 'reference', 'spentOn', 'attachments'];
function fieldOfPath(path: string): Field | undefined {
  if (path === 'amountMinor') return 'amount';
  if (path.startsWith('attachments')) return 'attachments';
  return FIELDS.find((f) => f === path);
}

/** Records money the school spent. A second person approves or rejects it afterwards. */
export function ExpenseForm({ currency, categories, onRecorded, onClose }: Props) {
  const [category, setCategory] = useState('');
  const [payee, setPayee] = useState('');
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [reference, setReference] = useState('');
  const [spentOn, setSpentOn] = useState(() => todayIsoDate());
  const [attachments, setAttachments] = useState<string[]>([]);
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const firstRef = useRef<HTMLInputElement>(null);
  const ids = useId();
  const parsed = parseMajorToMinor(amount, currency);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    const p: Partial<Record<Field, string>> = {};
    if (!category.trim()) p.category = 'Choose or type an expense category, e.g. "Stationery".';
    if (!payee.trim()) p.payee = 'Say who was paid.';
    if (!parsed.ok) p.amount = parsed.error;
    if (paidOutReference(method, reference) === '') p.reference = REFERENCE_MISSING;
    if (!spentOn) p.spentOn = 'Choose the day the money was spent.';
    setProblems(p);
    setError(null);
    if (Object.keys(p).length > 0 || !parsed.ok) return;
    await save(async () => {
      try {
        const expense = await api.invoke('expenses.record', {
          category: category.trim(),
          payee: payee.trim(),
          description: description.trim(),
          amountMinor: parsed.minor,
          method,
          reference: paidOutReference(method, reference),
          spentOn,
          attachments,
        });
        onRecorded(expense);
        setPayee('');
        setDescription('');
        setAmount('');
        setReference('');
        setAttachments([]);
        firstRef.current?.focus();
      } catch (err) {
        const appError = toAppError(err);
        setProblems(problemsByField(appError, fieldOfPath));
        setError(appError);
      }
    });
  }

  const invalid = (f: Field) => (problems[f] ? true : undefined);
  const hintOr = (f: Field, hint: string) => <FieldNote problem={problems[f]} problemId={`${ids}-${f}-error`} hint={hint} />;

  return (
    <form className="payment-form expense-form" onSubmit={submit} noValidate aria-label="Record an expense" data-testid="expense-form">
      <div className="form-head">
        <h3>Record an expense</h3>
        <button type="button" className="row-button" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="form-row">
        <label className="field">
          <span className="field-label">Category</span>
          <SuggestInput
            ref={firstRef}
            aria-label="Expense category"
            maxLength={60}
            value={category}
            aria-invalid={invalid('category')}
            onChange={(e) => setCategory(e.target.value)}
            autoFocus
            suggestions={categories}
          />
          {hintOr('category', 'Stationery, repairs, fuel… or a new one.')}
        </label>
        <label className="field field-wide">
          <span className="field-label">Paid to</span>
          <input aria-label="Payee" autoComplete="off" maxLength={120} value={payee} aria-invalid={invalid('payee')} onChange={(e) => setPayee(e.target.value)} />
          {hintOr('payee', 'The shop, supplier or person.')}
        </label>
      </div>
      <div className="form-row">
        <AmountField
          label={`Sum (${currency})`}
          ariaLabel="Expense sum"
          className="amount-input"
          currency={currency}
          value={amount}
          onChange={setAmount}
          problem={problems.amount}
          problemId={`${ids}-amount-error`}
          hint="For example 2,500"
        />
        <label className="field">
          <span className="field-label">Paid by</span>
          <select aria-label="Expense paid by" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
            <MethodOptions />
          </select>
          <span className="field-hint">{method === 'cash' ? 'Counts against your cash at cash-up.' : ''}</span>
        </label>
        {paidOutWithReference(method) && (
          <ReferenceField ariaLabel="Expense reference" value={reference} onChange={setReference} problem={problems.reference} problemId={`${ids}-reference-error`} />
        )}
        <label className="field">
          <span className="field-label">Date spent</span>
          <input type="date" aria-label="Date spent" value={spentOn} aria-invalid={invalid('spentOn')} onChange={(e) => setSpentOn(e.target.value)} />
          {hintOr('spentOn', spentOn ? formatDate(spentOn) : '')}
        </label>
      </div>
      <label className="field field-wide">
        <span className="field-label">What for (optional)</span>
        <input
          aria-label="Expense description"
          autoComplete="off"
          maxLength={200}
          value={description}
          aria-invalid={invalid('description')}
          onChange={(e) => setDescription(e.target.value)}
        />
        {hintOr('description', '')}
      </label>
      <AttachmentNames names={attachments} onChange={setAttachments} problem={problems.attachments ?? null} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving} data-testid="expense-submit">
          {saving ? 'Saving…' : 'Record expense'}
        </button>
      </div>
      {error && <ErrorNotice error={error} testId="expense-error" />}
    </form>
  );
}
