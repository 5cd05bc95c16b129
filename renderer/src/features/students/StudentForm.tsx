import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { GENDERS, STUDENT_STATUSES, type Gender, type StudentStatus } from '../../../../shared/domain/students';
import type { ClassView, StudentProfile } from '../../../../shared/domain/student-views';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { problemsByField } from '../../lib/problemsByField';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { useFollowedDraft } from '../../lib/useFollowedDraft';
import { todayIsoDate } from '../../lib/time';
import { checkStudentDraft, studentFieldOf, type StudentDraft, type StudentField } from './studentDraft';
import { GENDER_LABEL } from './labels';

interface Props {
  /** Absent: a new student. */
  id?: string;
  initial: StudentDraft;
  classes: readonly ClassView[];
  /** The student's class when it is not among `classes` (another year's). */
  currentClass?: { id: string; name: string } | null;
  readOnly: boolean;
  onSaved(profile: StudentProfile): void;
  onCancel?(): void;
}

const STATUS_LABEL: Record<StudentStatus, string> = { enrolled: 'Enrolled', withdrawn: 'Withdrawn', graduated: 'Graduated' };

/** The student's profile as a form: every field, checked here for what a person can fix, saved
 * whole (core sends on only what changed). A new `initial` (a sync) replaces the fields not typed in. */
export function StudentForm({ id, initial, classes, currentClass, readOnly, onSaved, onCancel }: Props) {
  const [draft, setDraft] = useFollowedDraft(initial);
  const [problems, setProblems] = useState<Partial<Record<StudentField, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const ids = useId();

  const set = <K extends StudentField>(k: K, v: StudentDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy() || readOnly) return;
    // A first check on this computer's date; core decides with the school's.
    const check = checkStudentDraft(draft, todayIsoDate());
    if (!check.ok) {
      setProblems(check.problems);
      return;
    }
    setProblems({});
    setError(null);
    await save(async () => {
      try {
        onSaved(await api.invoke('students.save', id ? { id, values: check.values } : { values: check.values }));
      } catch (err) {
        const appError = toAppError(err);
        const byField = problemsByField(appError, studentFieldOf);
        setProblems(byField);
        if (Object.keys(byField).length === 0) setError(appError);
      }
    });
  }

  const box = (field: StudentField, label: string, input: ReactNode, hint?: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      {input}
      <FieldNote problem={problems[field]} problemId={`${ids}-${field}`} hint={hint} />
    </label>
  );
  const text = (field: Exclude<StudentField, 'gender' | 'status'>, label: string, extra: { hint?: string; type?: string; maxLength?: number } = {}) =>
    box(
      field,
      label,
      <input
        type={extra.type ?? 'text'}
        value={draft[field]}
        readOnly={readOnly}
        maxLength={extra.maxLength ?? 80}
        aria-invalid={problems[field] ? true : undefined}
        aria-describedby={problems[field] ? `${ids}-${field}` : undefined}
        data-testid={`student-${field}`}
        onChange={(e) => set(field, e.target.value)}
      />,
      extra.hint,
    );

  const otherClass = currentClass && !classes.some((c) => c.id === currentClass.id) ? currentClass : null;
  return (
    <form className="student-form" onSubmit={submit} noValidate data-testid="student-form">
      <div className="form-row">
        {text('admission_no', 'Admission number', { maxLength: 32 })}
        {box(
          'status',
          'Status',
          <select value={draft.status} disabled={readOnly} onChange={(e) => set('status', e.target.value as StudentStatus)} data-testid="student-status">
            {STUDENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>,
        )}
      </div>
      <div className="form-row">
        {text('first_name', 'First name')}
        {text('middle_name', 'Middle name')}
        {text('last_name', 'Last name')}
      </div>
      <div className="form-row">
        {text('date_of_birth', 'Date of birth', { type: 'date' })}
        {box(
          'gender',
          'Gender',
          <select value={draft.gender} disabled={readOnly} onChange={(e) => set('gender', e.target.value as Gender | '')} data-testid="student-gender">
            <option value="">Not given</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {GENDER_LABEL[g]}
              </option>
            ))}
          </select>,
        )}
        {box(
          'class_id',
          'Class',
          <select value={draft.class_id} disabled={readOnly} onChange={(e) => set('class_id', e.target.value)} data-testid="student-class">
            <option value="">No class</option>
            {otherClass && <option value={otherClass.id}>{otherClass.name}</option>}
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>,
        )}
      </div>
      <div className="form-row">
        {text('photo_file', 'Photo file', { hint: 'The file name of the photo, e.g. amina.jpg.', maxLength: 120 })}
      </div>
      {box(
        'medical_notes',
        'Medical notes',
        <textarea value={draft.medical_notes} readOnly={readOnly} maxLength={2000} rows={3} onChange={(e) => set('medical_notes', e.target.value)} data-testid="student-medical_notes" />,
        'Allergies, conditions and what to do; seen by office staff.',
      )}
      {error && <ErrorNotice error={error} />}
      {!readOnly && (
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving} data-testid="student-save">
            {saving ? 'Saving…' : id ? 'Save changes' : 'Add student'}
          </button>
          {onCancel && (
            <button type="button" onClick={onCancel} disabled={saving}>
              Cancel
            </button>
          )}
        </div>
      )}
    </form>
  );
}
