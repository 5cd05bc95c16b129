import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ISO_DATE, type StatementEntry } from '../../../../shared/domain/fees';
import type { AppError } from '../../../../shared/api/errors';
import { formatMinor, parseMajorToMinor } from '../../../../shared/money';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDate, todayIsoDate } from '../../lib/time';
import { useNav } from '../nav/store';
import { useFeeCategories } from './store';

interface Props {
  studentId: string;
  currency: string;
  onPosted(entry: StatementEntry): void;
  /** Open from the start (when there is no payment form above it). */
  startOpen?: boolean;
}

type Field = 'category' | 'amount' | 'dueOn' | 'description' | 'term';
const FIELD_OF_PATH: Record<string, Field> = { categoryId: 'category', amountMinor: 'amount', dueOn: 'dueOn', description: 'description', term: 'term' };

/**
 * "Post a charge": folded away until asked for, so the payment form stays the first thing in
 * the panel (and its Amount stays the only amount on screen while taking payments).
 */
export function ChargeForm({ studentId, currency, onPosted, startOpen = false }: Props) {
  const [open, setOpen] = useState(startOpen);
  const categories = useFeeCategories((s) => s.categories);
  const categoriesError = useFeeCategories((s) => s.error);
  const [categoryId, setCategoryId] = useState('');
  const [amount, setAmount] = useState('');
  const [dueOn, setDueOn] = useState(() => todayIsoDate());
  const [description, setDescription] = useState('');
  const [term, setTerm] = useState('');
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [posted, setPosted] = useState<{ entry: StatementEntry; category: string; dueOn: string } | null>(null);
  const inFlight = useRef(false);
  const refs = {
    category: useRef<HTMLSelectElement>(null),
    amount: useRef<HTMLInputElement>(null),
    dueOn: useRef<HTMLInputElement>(null),
    description: useRef<HTMLInputElement>(null),
    term: useRef<HTMLInputElement>(null),
  };
  const ids = useId();

  useEffect(() => {
    if (open && useFeeCategories.getState().categories === null) void useFeeCategories.getState().load();
  }, [open]);

  // Focus moves into the form when someone opens it, not when it starts open.
  const focusOnOpen = useRef(false);
  useEffect(() => {
    if (open && focusOnOpen.current) {
      focusOnOpen.current = false;
      refs.category.current?.focus();
    }
  }, [open]); // refs are stable

  const active = categories?.filter((c) => c.active) ?? [];
  // A category chosen earlier that has since gone (or been retired) is no choice at all.
  const chosen = active.some((c) => c.id === categoryId) ? categoryId : '';
  const parsed = parseMajorToMinor(amount, currency);

  function focusFirst(p: Partial<Record<Field, string>>) {
    const first = (['category', 'amount', 'dueOn', 'description', 'term'] as const).find((f) => p[f]);
    if (first) refs[first].current?.focus();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    const p: Partial<Record<Field, string>> = {};
    if (!chosen) p.category = active.length === 0 ? 'There are no fee categories yet: add one under Fees first.' : 'Choose a fee category.';
    if (!parsed.ok) p.amount = parsed.error;
    else if (parsed.minor <= 0) p.amount = 'The charge must be more than zero.';
    if (!ISO_DATE.test(dueOn)) p.dueOn = 'Choose the date the charge is due.';
    setProblems(p);
    setError(null);
    if (Object.keys(p).length > 0) {
      setPosted(null);
      focusFirst(p);
      return;
    }
    if (!parsed.ok) return;
    inFlight.current = true;
    setSaving(true);
    try {
      const entry = await api.invoke('charges.post', {
        studentId,
        categoryId: chosen,
        amountMinor: parsed.minor,
        dueOn,
        description: description.trim(),
        term: term.trim() === '' ? null : term.trim(),
      });
      setPosted({ entry, category: active.find((c) => c.id === chosen)?.name ?? 'Charge', dueOn });
      setAmount('');
      setDescription('');
      onPosted(entry);
      refs.amount.current?.focus();
    } catch (err) {
      const appError = toAppError(err);
      const fieldProblems: Partial<Record<Field, string>> = {};
      for (const issue of appError.issues ?? []) {
        const f = FIELD_OF_PATH[issue.path];
        if (f) fieldProblems[f] = fieldProblems[f] ? `${fieldProblems[f]} ${issue.message}` : issue.message;
      }
      setProblems(fieldProblems);
      setError(appError);
      setPosted(null);
      focusFirst(fieldProblems);
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  }

  if (!open) {
    return (
      <div className="charge-toggle">
        <button
          type="button"
          aria-expanded={false}
          onClick={() => {
            focusOnOpen.current = true;
            setOpen(true);
          }}
          data-testid="open-charge-form"
        >
          Post a charge
        </button>
        {posted && (
          <span className="muted" role="status">
            Last charge posted: {posted.category}, {formatMinor(posted.entry.debitMinor, currency)}.
          </span>
        )}
      </div>
    );
  }

  const invalid = (f: Field) => (problems[f] ? true : undefined);
  const describedBy = (f: Field) => (problems[f] ? `${ids}-${f}-error` : `${ids}-${f}-hint`);
  const hintOr = (f: Field, hint: string) =>
    problems[f] ? (
      <span className="field-error" id={`${ids}-${f}-error`}>
        {problems[f]}
      </span>
    ) : (
      <span className="field-hint" id={`${ids}-${f}-hint`}>
        {hint}
      </span>
    );
  const otherIssues = error?.issues?.filter((i) => !(i.path in FIELD_OF_PATH)) ?? [];

  return (
    <form className="payment-form charge-form" onSubmit={submit} noValidate aria-label="Post a charge" data-testid="charge-form">
      <div className="form-head">
        <h3>Post a charge</h3>
        <button type="button" className="row-button" aria-expanded={true} onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
      <p className="muted">Adds a fee to this student's statement. Works offline; other computers see it after the next sync.</p>

      {categoriesError && categories === null && (
        <ErrorNotice error={categoriesError} onRetry={() => void useFeeCategories.getState().load()} testId="categories-error" />
      )}

      <div className="form-row">
        <label className="field">
          <span className="field-label">Fee category</span>
          <select
            ref={refs.category}
            aria-label="Fee category"
            value={chosen}
            aria-invalid={invalid('category')}
            aria-describedby={describedBy('category')}
            onChange={(e) => setCategoryId(e.target.value)}
          >
            <option value="" disabled>
              {categories === null ? 'Loading categories…' : active.length === 0 ? 'No categories yet' : 'Choose…'}
            </option>
            {active.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {problems.category ? (
            <span className="field-error" id={`${ids}-category-error`}>
              {problems.category}{' '}
              {active.length === 0 && (
                <button type="button" className="link-button" onClick={() => useNav.getState().go('fees')}>
                  Open Fees
                </button>
              )}
            </span>
          ) : (
            <span className="field-hint" id={`${ids}-category-hint`}>
              Tuition, lunch, transport… (see Fees)
            </span>
          )}
        </label>

        <label className="field">
          <span className="field-label">Amount ({currency})</span>
          <input
            ref={refs.amount}
            className="amount-input"
            aria-label="Charge amount"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            aria-invalid={invalid('amount')}
            aria-describedby={describedBy('amount')}
            onChange={(e) => setAmount(e.target.value)}
          />
          {hintOr('amount', parsed.ok ? formatMinor(parsed.minor, currency) : 'For example 12,000')}
        </label>

        <label className="field">
          <span className="field-label">Due</span>
          <input
            ref={refs.dueOn}
            type="date"
            aria-label="Due date"
            value={dueOn}
            aria-invalid={invalid('dueOn')}
            aria-describedby={describedBy('dueOn')}
            onChange={(e) => setDueOn(e.target.value)}
          />
          {hintOr('dueOn', ISO_DATE.test(dueOn) ? formatDate(dueOn) : 'The day it should be paid by.')}
        </label>
      </div>

      <div className="form-row">
        <label className="field field-wide">
          <span className="field-label">Description (optional)</span>
          <input
            ref={refs.description}
            aria-label="Charge description"
            autoComplete="off"
            maxLength={120}
            value={description}
            placeholder="e.g. Swimming trip"
            aria-invalid={invalid('description')}
            aria-describedby={describedBy('description')}
            onChange={(e) => setDescription(e.target.value)}
          />
          {hintOr('description', 'Shown on the statement after the category.')}
        </label>
        <label className="field">
          <span className="field-label">Term (optional)</span>
          <input
            ref={refs.term}
            aria-label="Term"
            autoComplete="off"
            maxLength={40}
            value={term}
            placeholder="e.g. Term 1 2026"
            aria-invalid={invalid('term')}
            aria-describedby={describedBy('term')}
            onChange={(e) => setTerm(e.target.value)}
          />
          {hintOr('term', '')}
        </label>
      </div>

      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Posting…' : 'Post charge'}
        </button>
      </div>

      {error && (
        <div data-testid="charge-error">
          <ErrorNotice error={error} />
          {otherIssues.length > 0 && (
            <ul className="field-error">
              {otherIssues.map((i, n) => (
                <li key={n}>{i.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      {posted && !error && (
        <div className="notice notice-success" role="status" data-testid="charge-posted">
          Charge posted: {posted.entry.description || posted.category}, {formatMinor(posted.entry.debitMinor, currency)}, due {formatDate(posted.dueOn)}.
          {posted.entry.pending && ' Saved on this computer; it reaches the school server at the next sync.'}
        </div>
      )}
    </form>
  );
}
