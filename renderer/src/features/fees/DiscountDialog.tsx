import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { StatementEntry } from '../../../../shared/domain/fees';
import { parseMajorToMinor } from '../../../../shared/money';
import { api, toAppError } from '../../api';
import { AmountField } from '../../lib/AmountField';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { problemsByField } from '../../lib/problemsByField';
import { useBursaryRefs } from '../bursary/refs';
import { useFeeCategories } from './store';
import { MIN_VOID_REASON } from './VoidDialog';
import { parsePercentBp } from './percent';
import { useSaveOnce } from '../../lib/useSaveOnce';

interface Props {
  studentId: string;
  studentName: string;
  currency: string;
  onClose(): void;
  onGranted(entry: StatementEntry): void;
}

type Field = 'percent' | 'amount' | 'reason' | 'term';
const FIELD_OF_PATH: Record<string, Field> = { percentBp: 'percent', amountMinor: 'amount', reason: 'reason', term: 'term' };

/**
 * Grants a discount or scholarship: a percentage of the student's charges (the whole bill or
 * one category, in one term or all), worked out into an amount when it is granted, or a fixed
 * amount. Either way it is a credit on the ledger, voided like any entry if it was a mistake.
 */
export function DiscountDialog({ studentId, studentName, currency, onClose, onGranted }: Props) {
  const categories = useFeeCategories((s) => s.categories);
  const terms = useBursaryRefs((s) => s.terms);
  const currentTermId = useBursaryRefs((s) => s.currentTermId);
  const [kind, setKind] = useState<'discount' | 'scholarship'>('discount');
  const [basis, setBasis] = useState<'percent' | 'fixed'>('percent');
  const [percent, setPercent] = useState('');
  const [amount, setAmount] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [term, setTerm] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const ids = useId();

  useEffect(() => {
    if (useFeeCategories.getState().categories === null) void useFeeCategories.getState().load();
    if (useBursaryRefs.getState().terms === null) void useBursaryRefs.getState().loadTerms();
  }, []);

  // The current term is the usual choice; "All terms" stays one click away.
  const chosenTerm = term ?? terms?.find((t) => t.id === currentTermId)?.name ?? '';
  const active = categories?.filter((c) => c.active) ?? [];
  const noun = kind === 'scholarship' ? 'scholarship' : 'discount';
  const parsed = parseMajorToMinor(amount, currency);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    const p: Partial<Record<Field, string>> = {};
    const percentBp = parsePercentBp(percent);
    if (basis === 'percent' && (percentBp === null || percentBp < 1 || percentBp > 10_000)) p.percent = 'Give the percentage, from 0.01 to 100, e.g. 25 or 12.5.';
    if (basis === 'fixed' && !parsed.ok) p.amount = parsed.error;
    if (reason.trim().length < MIN_VOID_REASON) p.reason = `Say why in a few words (at least ${MIN_VOID_REASON} characters), e.g. "Sibling discount" or "Board bursary 2026".`;
    setProblems(p);
    setError(null);
    if (Object.keys(p).length > 0) return;
    await save(async () => {
      try {
        const entry = await api.invoke('discounts.grant', {
          studentId,
          kind,
          basis,
          categoryId: categoryId || null,
          term: chosenTerm || null,
          reason: reason.trim(),
          ...(basis === 'percent' ? { percentBp: percentBp! } : { amountMinor: parsed.ok ? parsed.minor : 0 }),
        });
        onGranted(entry);
      } catch (err) {
        const appError = toAppError(err);
        setProblems(problemsByField(appError, (path) => FIELD_OF_PATH[path]));
        setError(appError);
      }
    });
  }

  const note = (f: Field, hint?: string) => <FieldNote problem={problems[f]} problemId={`${ids}-${f}-error`} hint={hint} />;

  return (
    <Dialog title={`Grant a discount or scholarship to ${studentName}`} onClose={onClose} testId="discount-dialog">
      <form onSubmit={submit} noValidate className="dialog-form">
        <fieldset className="choice-row">
          <legend className="field-label">What it is</legend>
          <label>
            <input type="radio" name={`${ids}-kind`} checked={kind === 'discount'} onChange={() => setKind('discount')} /> Discount
          </label>
          <label>
            <input type="radio" name={`${ids}-kind`} checked={kind === 'scholarship'} onChange={() => setKind('scholarship')} /> Scholarship
          </label>
        </fieldset>
        <fieldset className="choice-row">
          <legend className="field-label">How much</legend>
          <label>
            <input type="radio" name={`${ids}-basis`} checked={basis === 'percent'} onChange={() => setBasis('percent')} /> A percentage
          </label>
          <label>
            <input type="radio" name={`${ids}-basis`} checked={basis === 'fixed'} onChange={() => setBasis('fixed')} /> A fixed sum
          </label>
        </fieldset>
        {basis === 'percent' ? (
          <label className="field">
            <span className="field-label">Percentage</span>
            <input
              aria-label="Percentage off"
              inputMode="decimal"
              autoComplete="off"
              value={percent}
              placeholder="e.g. 25"
              aria-invalid={problems.percent ? true : undefined}
              aria-describedby={problems.percent ? `${ids}-percent-error` : undefined}
              onChange={(e) => setPercent(e.target.value)}
              autoFocus
            />
            {note('percent', 'Worked out on the charges chosen below when you grant it, and kept as that sum.')}
          </label>
        ) : (
          <AmountField
            label={`Sum (${currency})`}
            ariaLabel="Sum off"
            currency={currency}
            value={amount}
            onChange={setAmount}
            problem={problems.amount}
            problemId={`${ids}-amount-error`}
            hint="No more than the charges it applies to."
            autoFocus
          />
        )}
        <div className="form-row">
          <label className="field">
            <span className="field-label">Applies to</span>
            <select aria-label="Applies to" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
              <option value="">The whole bill</option>
              {active.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} only
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Term</span>
            <select aria-label="Discount term" value={chosenTerm} aria-invalid={problems.term ? true : undefined} onChange={(e) => setTerm(e.target.value)}>
              <option value="">All terms</option>
              {(terms ?? []).map((t) => (
                <option key={t.id} value={t.name}>
                  {t.name}
                </option>
              ))}
            </select>
            {note('term')}
          </label>
        </div>
        <label className="field">
          <span className="field-label">Reason</span>
          <input
            aria-label={`Reason for the ${noun}`}
            autoComplete="off"
            maxLength={200}
            value={reason}
            aria-invalid={problems.reason ? true : undefined}
            aria-describedby={problems.reason ? `${ids}-reason-error` : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {note('reason', 'Shown on the statement.')}
        </label>
        {error && <ErrorNotice error={error} testId="discount-error" />}
        <DialogActions label={`Grant ${noun}`} savingLabel="Granting…" saving={saving} testId="discount-submit" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
