import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { SubjectView } from '../../../../shared/domain/student-views';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { DataTable } from '../../lib/DataTable';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { saveTextFile } from '../../lib/download';
import { todayIsoDate } from '../../lib/time';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { exportFilename } from '../bursary/lists/exportRows';
import { useCan } from '../session/store';
import { useAfterSync } from '../sync/useAfterSync';
import { subjectsCsv } from './classDraft';

/** The school's subjects: list, create, edit, export. */
export function SubjectsTab() {
  const canManage = useCan('classes.manage');
  const [subjects, setSubjects] = useState<SubjectView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [editing, setEditing] = useState<SubjectView | 'new' | null>(null);

  const load = useCallback(() => {
    api
      .invoke('subjects.list', {})
      .then((r) => setSubjects(r.subjects))
      .catch((err) => setError(toAppError(err)));
  }, []);
  useEffect(load, [load]);
  useAfterSync(load);

  return (
    <section aria-label="Subjects">
      <div className="screen-head-actions">
        {canManage && (
          <button type="button" className="primary" onClick={() => setEditing('new')} data-testid="subject-new">
            New subject
          </button>
        )}
        <button type="button" disabled={!subjects?.length} onClick={() => subjects && saveTextFile(exportFilename('subjects', todayIsoDate()), subjectsCsv(subjects))}>
          Export CSV
        </button>
      </div>
      {error && <ErrorNotice error={error} onRetry={load} />}
      {subjects?.length === 0 && <p className="muted">No subjects yet.</p>}
      {subjects && subjects.length > 0 && (
        <DataTable columns={[{ label: 'Subject' }, { label: 'Code' }, { label: 'Actions', hidden: true }]} testId="subjects-table">
          <tbody>
            {subjects.map((s) => (
              <tr key={s.id}>
                <td>{s.values.name}</td>
                <td>{s.values.code}</td>
                <td>
                  {canManage && (
                    <button type="button" className="link-button" onClick={() => setEditing(s)}>
                      Edit
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {editing && (
        <SubjectDialog
          editing={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            load();
          }}
        />
      )}
    </section>
  );
}

function SubjectDialog({ editing, onClose, onSaved }: { editing?: SubjectView; onClose(): void; onSaved(): void }) {
  const [name, setName] = useState(editing?.values.name ?? '');
  const [code, setCode] = useState(editing?.values.code ?? '');
  const [problems, setProblems] = useState<{ name?: string; code?: string }>({});
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    const found: { name?: string; code?: string } = {};
    if (!name.trim()) found.name = 'Name the subject.';
    if (!/^[A-Za-z0-9]{1,10}$/.test(code.trim())) found.code = 'A subject code is 1 to 10 letters or digits, e.g. MATH.';
    setProblems(found);
    if (found.name || found.code) return;
    await save(async () => {
      try {
        const values = { name: name.trim(), code: code.trim() };
        await api.invoke('subjects.save', editing ? { id: editing.id, values } : { values });
        onSaved();
      } catch (err) {
        const appError = toAppError(err);
        const codeIssue = appError.issues?.find((i) => i.path === 'values.code');
        if (codeIssue) setProblems({ code: codeIssue.message });
        else setError(appError);
      }
    });
  }

  return (
    <Dialog title={editing ? `Edit ${editing.values.name}` : 'New subject'} onClose={onClose} testId="subject-dialog">
      <form className="dialog-form" onSubmit={submit} noValidate>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Name</span>
            <input value={name} maxLength={60} onChange={(e) => setName(e.target.value)} data-testid="subject-name" />
            <FieldNote problem={problems.name} />
          </label>
          <label className="field">
            <span className="field-label">Code</span>
            <input value={code} maxLength={10} onChange={(e) => setCode(e.target.value.toUpperCase())} data-testid="subject-code" />
            <FieldNote problem={problems.code} hint="Short, e.g. MATH" />
          </label>
        </div>
        {error && <ErrorNotice error={error} />}
        <DialogActions label={editing ? 'Save subject' : 'Create subject'} savingLabel="Saving…" saving={saving} testId="subject-save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
