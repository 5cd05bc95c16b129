import { useId, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../../shared/api/errors';
import type { FeeStructureView } from '../../../../../shared/domain/bursary-views';
import { formatMinor, parseMajorToMinor } from '../../../../../shared/money';
import { api, toAppError } from '../../../api';
import { AmountField } from '../../../lib/AmountField';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { formatEditable } from '../../../lib/money';
import { formatDate, todayIsoDate } from '../../../lib/time';
import { useFeeCategories } from '../../fees/store';
import { useBursaryRefs } from '../refs';
import { checkDraft, draftFromView, emptyItem, splitEvenly, type ItemDraft, type StructureDraft } from './structureDraft';
import { useSaveOnce } from '../../../lib/useSaveOnce';
import { SuggestInput } from '../../../lib/SuggestInput';

interface Props {
  /** The structure being changed; absent for a new one. */
  editing: FeeStructureView | null;
  currency: string;
  onSaved(saved: FeeStructureView): void;
  onCancel(): void;
}

/** Creates or changes what one class pays in one term: fees by category, each at once or in instalments. */
export function StructureForm({ editing, currency, onSaved, onCancel }: Props) {
  const categories = useFeeCategories((s) => s.categories);
  const terms = useBursaryRefs((s) => s.terms);
  const classNames = useBursaryRefs((s) => s.classNames);
  const [draft, setDraft] = useState<StructureDraft>(() => (editing ? draftFromView(editing, currency) : { className: '', term: '', items: [emptyItem(todayIsoDate())] }));
  const [inUse, setInUse] = useState(editing?.active ?? true);
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const ids = useId();
  const check = checkDraft(draft, currency);
  const choices = categories?.filter((c) => c.active || draft.items.some((i) => i.categoryId === c.id)) ?? [];

  const setItem = (n: number, patch: Partial<ItemDraft>) => setDraft((d) => ({ ...d, items: d.items.map((it, i) => (i === n ? { ...it, ...patch } : it)) }));
  const lastDue = (it: ItemDraft) => it.instalments.at(-1)?.dueOn || todayIsoDate();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    setTried(true);
    setError(null);
    if (!check.ok) return;
    await save(async () => {
      try {
        onSaved(await api.invoke('fees.saveStructure', { id: editing?.id, className: draft.className.trim(), term: draft.term.trim(), items: check.items, active: inUse }));
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  const show = (problem: string | undefined) => (tried && problem ? <span className="field-error">{problem}</span> : null);
  const total = check.items.reduce((s, i) => s + i.amountMinor, 0);

  return (
    <form className="payment-form structure-form" onSubmit={submit} noValidate aria-label={editing ? 'Change fee structure' : 'New fee structure'} data-testid="structure-form">
      <div className="form-head">
        <h3>{editing ? `Change ${editing.className}, ${editing.term}` : 'New fee structure'}</h3>
        <button type="button" className="row-button" onClick={onCancel}>
          Close
        </button>
      </div>
      <p className="muted">
        What every student of the class pays that term. Saving changes the structure only: charges already applied are not changed (void and re-post a
        student's charge if it must change).
      </p>
      <div className="form-row">
        <label className="field">
          <span className="field-label">Class</span>
          <SuggestInput
            aria-label="Structure class"
            maxLength={40}
            value={draft.className}
            aria-invalid={tried && check.className ? true : undefined}
            onChange={(e) => setDraft({ ...draft, className: e.target.value })}
            autoFocus
            suggestions={classNames ?? []}
          />
          {show(check.className)}
        </label>
        <label className="field">
          <span className="field-label">Term</span>
          <SuggestInput
            aria-label="Structure term"
            maxLength={40}
            value={draft.term}
            aria-invalid={tried && check.term ? true : undefined}
            onChange={(e) => setDraft({ ...draft, term: e.target.value })}
            suggestions={(terms ?? []).map((t) => t.name)}
          />
          {show(check.term)}
        </label>
      </div>

      {draft.items.map((item, n) => {
        const p = check.problems[n]!;
        const category = choices.find((c) => c.id === item.categoryId)?.name ?? `fee ${n + 1}`;
        const amount = parseMajorToMinor(item.amount, currency);
        return (
          <fieldset key={n} className="structure-item" data-testid="structure-item">
            <legend>Fee {n + 1}</legend>
            <div className="form-row">
              <label className="field">
                <span className="field-label">Category</span>
                <select aria-label={`Fee ${n + 1} category`} value={item.categoryId} aria-invalid={tried && p.category ? true : undefined} onChange={(e) => setItem(n, { categoryId: e.target.value })}>
                  <option value="" disabled>
                    {categories === null ? 'Loading…' : 'Choose…'}
                  </option>
                  {choices.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
                {show(p.category)}
              </label>
              <AmountField
                label={`Fee (${currency})`}
                ariaLabel={`Fee ${n + 1} sum`}
                currency={currency}
                value={item.amount}
                onChange={(text) => setItem(n, { amount: text })}
                problem={tried ? p.amount : null}
                problemId={`${ids}-fee-${n}-error`}
                hint=""
              />
              {item.instalments.length === 1 && (
                <label className="field">
                  <span className="field-label">Due</span>
                  <input
                    type="date"
                    aria-label={`Fee ${n + 1} due date`}
                    value={item.instalments[0]!.dueOn}
                    onChange={(e) => setItem(n, { instalments: [{ dueOn: e.target.value, amount: '' }] })}
                  />
                  {show(p.instalments[0])}
                </label>
              )}
            </div>

            {item.instalments.length > 1 && (
              <div className="instalments" data-testid="instalments">
                {item.instalments.map((x, k) => (
                  <div key={k} className="form-row instalment-row">
                    <span className="instalment-no">Instalment {k + 1}</span>
                    <input
                      type="date"
                      aria-label={`${category} instalment ${k + 1} due date`}
                      value={x.dueOn}
                      onChange={(e) => setItem(n, { instalments: item.instalments.map((y, j) => (j === k ? { ...y, dueOn: e.target.value } : y)) })}
                    />
                    <input
                      aria-label={`${category} instalment ${k + 1} sum`}
                      inputMode="decimal"
                      autoComplete="off"
                      value={x.amount}
                      onChange={(e) => setItem(n, { instalments: item.instalments.map((y, j) => (j === k ? { ...y, amount: e.target.value } : y)) })}
                    />
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => setItem(n, { instalments: item.instalments.filter((_, j) => j !== k) })}
                      aria-label={`Remove ${category} instalment ${k + 1}`}
                    >
                      Remove
                    </button>
                    {show(p.instalments[k])}
                  </div>
                ))}
                {show(p.split)}
                {!tried && p.split && <span className="field-hint">{p.split}</span>}
              </div>
            )}

            <div className="item-actions">
              <button
                type="button"
                className="row-button"
                disabled={item.instalments.length >= 12}
                onClick={() => setItem(n, { instalments: [...item.instalments, { dueOn: lastDue(item), amount: '' }] })}
              >
                {item.instalments.length === 1 ? 'Pay in instalments' : 'Add an instalment'}
              </button>
              {item.instalments.length > 1 && amount.ok && (
                <button
                  type="button"
                  className="row-button"
                  onClick={() => {
                    const parts = splitEvenly(amount.minor, item.instalments.length);
                    setItem(n, { instalments: item.instalments.map((x, k) => ({ ...x, amount: formatEditable(parts[k]!, currency) })) });
                  }}
                >
                  Split evenly
                </button>
              )}
              {draft.items.length > 1 && (
                <button type="button" className="row-button danger-outline" onClick={() => setDraft({ ...draft, items: draft.items.filter((_, i) => i !== n) })}>
                  Remove this fee
                </button>
              )}
            </div>
          </fieldset>
        );
      })}

      <div className="form-actions">
        <button type="button" onClick={() => setDraft({ ...draft, items: [...draft.items, emptyItem(lastDue(draft.items.at(-1) ?? emptyItem(todayIsoDate())))] })} disabled={draft.items.length >= 30}>
          Add a fee
        </button>
        <span className="muted" data-testid="structure-total">
          Total per student: <strong>{formatMinor(total, currency)}</strong>
          {draft.items.some((i) => i.instalments.length > 1) && ` (first due ${formatDate(draft.items.flatMap((i) => i.instalments.map((x) => x.dueOn)).filter(Boolean).sort()[0] ?? '')})`}
        </span>
      </div>
      <label className="check-field">
        <input type="checkbox" checked={inUse} onChange={(e) => setInUse(e.target.checked)} aria-describedby={`${ids}-active-hint`} />
        <span>In use</span>
        <span className="field-hint" id={`${ids}-active-hint`}>
          Only a structure in use can be applied; a class has at most one in use per term.
        </span>
      </label>
      {error && <ErrorNotice error={error} testId="structure-error" />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving} data-testid="structure-save">
          {saving ? 'Saving…' : editing ? 'Save changes' : 'Save structure'}
        </button>
        {tried && !check.ok && <span className="field-error">Correct the boxes marked in red first.</span>}
      </div>
    </form>
  );
}
