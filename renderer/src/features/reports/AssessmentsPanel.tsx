import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { AssessmentView, SubjectAssessments } from '../../../../shared/domain/report-views';
import { api, toAppError } from '../../api';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { useAfterSync } from '../sync/useAfterSync';

interface Props {
  classId: string;
  subjectId: string;
  term: string;
  onChanged(): void;
}

type Draft = { id?: string; name: string; weight: string; maxScore: string };
const EMPTY: Draft = { name: '', weight: '', maxScore: '' };

/** A subject's assessments in a term with their weights and most marks; adding, editing, removing. */
export function AssessmentsPanel({ classId, subjectId, term, onChanged }: Props) {
  const [list, setList] = useState<SubjectAssessments | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [removing, setRemoving] = useState<AssessmentView | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const id = useId();

  async function load() {
    try {
      setList(await api.invoke('assessments.list', { classId, subjectId, term }));
    } catch (err) {
      setError(toAppError(err));
    }
  }
  useEffect(() => {
    void load();
  }, []);
  useAfterSync(() => void load());

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft || busy()) return;
    await save(async () => {
      try {
        await api.invoke('assessments.save', { classId, subjectId, term, id: draft.id, name: draft.name, weight: Number(draft.weight), maxScore: Number(draft.maxScore) });
        setDraft(null);
        setError(null);
        await load();
        onChanged();
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  async function remove(a: AssessmentView) {
    await save(async () => {
      try {
        await api.invoke('assessments.delete', { id: a.id });
        setRemoving(null);
        await load();
        onChanged();
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  return (
    <div className="assessments-panel" data-testid="assessments">
      <h3>Assessments</h3>
      {list && list.assessments.length === 0 && <p className="muted">No assessments yet for this subject and term. Add one, e.g. "CAT 1", weight 30%, out of 30.</p>}
      {list && list.assessments.length > 0 && (
        <ul className="assessment-list">
          {list.assessments.map((a) => (
            <li key={a.id}>
              <strong>{a.name}</strong> <span className="muted">{a.weight}% · out of {a.maxScore}</span>{' '}
              <button type="button" className="link-button" onClick={() => setDraft({ id: a.id, name: a.name, weight: String(a.weight), maxScore: String(a.maxScore) })}>
                Edit
              </button>{' '}
              <button type="button" className="link-button" onClick={() => setRemoving(a)} disabled={saving}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {list?.weightNote && (
        <p className="notice notice-warn" data-testid="weight-note">
          {list.weightNote}
        </p>
      )}
      {!draft && (
        <button type="button" onClick={() => setDraft(EMPTY)}>
          Add an assessment
        </button>
      )}
      {draft && (
        <form className="form-row assessment-form" onSubmit={(e) => void submit(e)} aria-label="Assessment">
          <label className="field" htmlFor={`${id}-name`}>
            <span className="field-label">Name</span>
            <input id={`${id}-name`} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} autoFocus />
          </label>
          <label className="field field-narrow" htmlFor={`${id}-weight`}>
            <span className="field-label">Weight (%)</span>
            <input id={`${id}-weight`} inputMode="numeric" value={draft.weight} onChange={(e) => setDraft({ ...draft, weight: e.target.value })} />
          </label>
          <label className="field field-narrow" htmlFor={`${id}-max`}>
            <span className="field-label">Out of (marks)</span>
            <input id={`${id}-max`} inputMode="numeric" value={draft.maxScore} onChange={(e) => setDraft({ ...draft, maxScore: e.target.value })} />
          </label>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={saving}>
              {draft.id ? 'Save assessment' : 'Add assessment'}
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {error && <ErrorNotice error={error} />}
      {removing && (
        <ConfirmDialog title={`Remove "${removing.name}"?`} testId="remove-assessment" confirmLabel={saving ? 'Removing…' : 'Remove'} busy={saving} onConfirm={() => void remove(removing)} onClose={() => setRemoving(null)}>
          <p>Its marks will no longer count on report cards.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
