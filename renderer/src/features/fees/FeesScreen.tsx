import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { FeeCategoryRow } from '../../../../shared/domain/fees';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSync } from '../sync/store';
import { useFeeCategories } from './store';

/**
 * The bursary's settings. For now the fee categories that charges are posted under; charges
 * themselves are posted from a student's panel (Students tab).
 */
export function FeesScreen() {
  const categories = useFeeCategories((s) => s.categories);
  const error = useFeeCategories((s) => s.error);
  const loading = useFeeCategories((s) => s.loading);
  const load = useFeeCategories((s) => s.load);
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);

  // Load at start, and again whenever a sync may have brought categories from other computers.
  useEffect(() => {
    void load();
  }, [load, lastSyncAt]);

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="fees-title">
        <div className="screen-head">
          <h2 id="fees-title">Fee categories</h2>
          <button type="button" onClick={() => void load()} disabled={loading}>
            Refresh
          </button>
        </div>
        <p className="muted">
          The kinds of fee the school charges (tuition, lunch, transport…). Charges are posted from a student's panel under Students, each in
          one of these categories. Adding a category works offline; other computers get it at their next sync.
        </p>

        {error && <ErrorNotice error={error} onRetry={() => void load()} testId="categories-error" />}

        {categories === null ? (
          !error && <p className="muted">Loading fee categories…</p>
        ) : categories.length === 0 ? (
          <p className="muted" data-testid="no-categories">
            No fee categories yet. Add the first one below, for example "Tuition".
          </p>
        ) : (
          <ul className="category-list" data-testid="fee-categories">
            {categories.map((c) => (
              <li key={c.id} data-testid="fee-category" className={c.active ? undefined : 'is-retired'}>
                <span>{c.name}</span>
                {!c.active && <span className="badge badge-revoked">Not in use</span>}
              </li>
            ))}
          </ul>
        )}

        <AddCategoryForm existing={categories ?? []} />
      </section>
    </main>
  );
}

function AddCategoryForm({ existing }: { existing: readonly FeeCategoryRow[] }) {
  const add = useFeeCategories((s) => s.add);
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [added, setAdded] = useState<FeeCategoryRow | null>(null);
  const inFlight = useRef(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const ids = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    const trimmed = name.trim().replace(/\s+/g, ' ');
    setError(null);
    setAdded(null);
    if (trimmed === '') {
      setProblem('Type the name of the fee category, e.g. "Lunch".');
      inputRef.current?.focus();
      return;
    }
    const clash = existing.find((c) => c.name.toLowerCase() === trimmed.toLowerCase());
    if (clash) {
      setProblem(`There is already a fee category called "${clash.name}". Use that one, or choose another name.`);
      inputRef.current?.focus();
      return;
    }
    setProblem(null);
    inFlight.current = true;
    setSaving(true);
    try {
      const created = await add(trimmed);
      setAdded(created);
      setName('');
      void useSync.getState().refresh();
    } catch (err) {
      const appError = err as AppError;
      const nameIssue = appError.issues?.find((i) => i.path === 'name');
      if (nameIssue) setProblem(nameIssue.message);
      else setError(appError);
    } finally {
      inFlight.current = false;
      setSaving(false);
      inputRef.current?.focus();
    }
  }

  return (
    <form className="staff-add category-add" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`} data-testid="category-add-form">
      <h3 id={`${ids}-title`}>Add a fee category</h3>
      <div className="form-row">
        <label className="field">
          <span className="field-label">Name</span>
          <input
            ref={inputRef}
            aria-label="New fee category"
            autoComplete="off"
            maxLength={60}
            value={name}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${ids}-error` : `${ids}-hint`}
            onChange={(e) => setName(e.target.value)}
          />
          {problem ? (
            <span className="field-error" id={`${ids}-error`} data-testid="category-field-error">
              {problem}
            </span>
          ) : (
            <span className="field-hint" id={`${ids}-hint`}>
              For example Tuition, Lunch, Transport.
            </span>
          )}
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Adding…' : 'Add category'}
        </button>
      </div>
      {error && <ErrorNotice error={error} testId="category-add-error" />}
      {added && !error && (
        <div className="notice notice-success" role="status" data-testid="category-added">
          Added the fee category <strong>{added.name}</strong>. You can post charges in it now; other computers get it at their next sync.
        </div>
      )}
    </form>
  );
}
