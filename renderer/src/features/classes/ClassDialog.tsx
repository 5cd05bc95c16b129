import { useEffect, useState, type FormEvent } from 'react';
import type { ClassView } from '../../../../shared/domain/student-views';
import type { AppError } from '../../../../shared/api/errors';
import type { ApiOutput } from '../../../../shared/api/contract';
import { api, toAppError } from '../../api';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { problemsByField } from '../../lib/problemsByField';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { checkClassDraft, classDraftFrom, classFieldOf, emptyClassDraft, levelFromGrade, type ClassDraft, type ClassField } from './classDraft';
import { useStaffDirectory } from './useStaffDirectory';

interface Props {
  editing?: ClassView;
  year: number;
  onClose(): void;
  onSaved(c: ClassView): void;
}

type Scales = ApiOutput<'gradingScales.list'>['scales'];

/** Creates or edits a class: grade and level, stream, year, class teacher, grading scale. */
export function ClassDialog({ editing, year, onClose, onSaved }: Props) {
  const [draft, setDraft] = useState<ClassDraft>(editing ? classDraftFrom(editing.values) : emptyClassDraft(year));
  const [problems, setProblems] = useState<Partial<Record<ClassField, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const [scales, setScales] = useState<Scales>([]);
  const staff = useStaffDirectory();
  const { saving, busy, save } = useSaveOnce();

  useEffect(() => {
    api
      .invoke('gradingScales.list', {})
      .then((r) => setScales(r.scales))
      .catch(() => undefined);
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    const check = checkClassDraft(draft);
    if (!check.values) return setProblems(check.problems);
    setProblems({});
    setError(null);
    await save(async () => {
      try {
        onSaved(await api.invoke('classes.save', editing ? { id: editing.id, values: check.values! } : { values: check.values! }));
      } catch (err) {
        const appError = toAppError(err);
        const byField = problemsByField(appError, classFieldOf);
        setProblems(byField);
        if (Object.keys(byField).length === 0) setError(appError);
      }
    });
  }

  const text = (field: 'grade' | 'level' | 'stream' | 'academic_year', label: string, hint?: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        value={draft[field]}
        inputMode={field === 'level' || field === 'academic_year' ? 'numeric' : undefined}
        onChange={(e) => {
          const v = e.target.value;
          // The level follows the grade's number until someone types a level of their own.
          const followLevel = field === 'grade' && draft.level === levelFromGrade(draft.grade);
          setDraft({ ...draft, [field]: v, ...(followLevel ? { level: levelFromGrade(v) } : {}) });
        }}
        data-testid={`class-${field}`}
      />
      <FieldNote problem={problems[field]} hint={hint} />
    </label>
  );

  return (
    <Dialog title={editing ? `Edit ${editing.name} (${editing.values.academic_year})` : 'New class'} onClose={onClose} testId="class-dialog">
      <form className="dialog-form" onSubmit={submit} noValidate>
        <div className="form-row">
          {text('grade', 'Grade', 'e.g. Grade 4, Form 2')}
          {text('level', 'Level', 'For order and promotion: 4 for Grade 4')}
          {text('stream', 'Stream', 'e.g. A, East; may be empty')}
          {text('academic_year', 'Academic year')}
        </div>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Class teacher</span>
            <select value={draft.class_teacher_id} onChange={(e) => setDraft({ ...draft, class_teacher_id: e.target.value })} data-testid="class-teacher">
              <option value="">None yet</option>
              {staff.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                  {s.role ? ` (${s.role})` : ''}
                </option>
              ))}
            </select>
            <FieldNote problem={problems.class_teacher_id} />
          </label>
          <label className="field">
            <span className="field-label">Grading scale</span>
            <select value={draft.grading_scale_id} onChange={(e) => setDraft({ ...draft, grading_scale_id: e.target.value })}>
              <option value="">The school's default</option>
              {scales.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
            <FieldNote problem={problems.grading_scale_id} />
          </label>
        </div>
        {error && <ErrorNotice error={error} />}
        <DialogActions label={editing ? 'Save class' : 'Create class'} savingLabel="Saving…" saving={saving} testId="class-save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
