import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ClassDetail, ClassSubjectView, PromotionResult, SubjectView } from '../../../../shared/domain/student-views';
import type { StudentListItem } from '../../../../shared/domain/students';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { DataTable } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { useCan } from '../session/store';
import { useAfterSync } from '../sync/useAfterSync';
import { FeesOffer } from '../students/FeesOffer';
import { ClassDialog } from './ClassDialog';
import { PromoteDialog } from './PromoteDialog';
import { useStaffDirectory } from './useStaffDirectory';

/** The most students a class view lists (a class is far smaller). */
const CLASS_LIST_LIMIT = 500;

interface Props {
  classId: string;
  onChanged(): void;
}

/** One class: its subjects (with teachers, optional-subject enrolment) and students; edit and promote. */
export function ClassPanel({ classId, onChanged }: Props) {
  const canManage = useCan('classes.manage');
  const canEnrol = useCan('students.update');
  const [detail, setDetail] = useState<ClassDetail | null>(null);
  const [students, setStudents] = useState<StudentListItem[]>([]);
  const [subjects, setSubjects] = useState<SubjectView[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [open, setOpen] = useState<'edit' | 'promote' | null>(null);
  const [choosing, setChoosing] = useState<ClassSubjectView | null>(null);
  const [promoted, setPromoted] = useState<{ result: PromotionResult; ids: string[] } | null>(null);
  const staff = useStaffDirectory();

  const load = useCallback(() => {
    Promise.all([api.invoke('classes.get', { id: classId }), api.invoke('students.list', { classId, limit: CLASS_LIST_LIMIT }), api.invoke('subjects.list', {})])
      .then(([d, s, subs]) => {
        setDetail(d);
        setStudents(s.rows);
        setSubjects(subs.subjects);
        setError(null);
      })
      .catch((err) => setError(toAppError(err)));
  }, [classId]);
  useEffect(load, [load]);
  // The class as other computers left it; an open dialog or student choice keeps what was typed.
  useAfterSync(load);

  const changed = (d?: ClassDetail) => {
    if (d) setDetail(d);
    else load();
    onChanged();
  };

  if (error) return <ErrorNotice error={error} onRetry={load} />;
  if (!detail) return <p className="muted">Loading the class…</p>;
  const enrolledIds = students.filter((s) => s.status === 'enrolled').map((s) => s.id);
  return (
    <section className="class-panel" aria-labelledby="class-title" data-testid="class-panel">
      <div className="screen-head">
        <h3 id="class-title">
          {detail.name}, {detail.values.academic_year}
        </h3>
        <div className="screen-head-actions">
          {canManage && (
            <button type="button" onClick={() => setOpen('edit')} data-testid="class-edit">
              Edit class
            </button>
          )}
          {canManage && canEnrol && (
            <button type="button" onClick={() => setOpen('promote')} disabled={detail.enrolled === 0} data-testid="class-promote">
              Promote class…
            </button>
          )}
        </div>
      </div>
      <p className="muted">
        Class teacher: {detail.teacherName ?? 'none yet'} · {detail.enrolled} enrolled
      </p>
      {promoted && (
        <>
          <p className="notice" role="status" data-testid="promote-result">
            {promoted.result.graduated > 0
              ? `${promoted.result.graduated} students graduated.`
              : `${promoted.result.moved} students moved to ${promoted.result.targetName}.`}
          </p>
          {promoted.result.targetName && <FeesOffer className={promoted.result.targetName} studentIds={promoted.ids} />}
        </>
      )}

      <h4>Subjects</h4>
      <DataTable columns={[{ label: 'Subject' }, { label: 'Teacher' }, { label: 'Taken by' }, { label: 'Students', num: true }, { label: 'Actions', hidden: true }]} testId="class-subjects">
        <tbody>
          {detail.subjects.map((s) => (
            <tr key={s.id}>
              <td>
                {s.subjectName} <span className="muted">{s.code}</span>
              </td>
              <td>{s.teacherName ?? '—'}</td>
              <td>{s.compulsory ? 'Everyone (compulsory)' : 'Those enrolled (optional)'}</td>
              <td className="num">{s.students}</td>
              <td>
                {!s.compulsory && canEnrol && (
                  <button type="button" className="link-button" onClick={() => setChoosing(s)}>
                    Choose students
                  </button>
                )}{' '}
                {canManage && <RemoveSubject classId={classId} subject={s} onDone={changed} />}
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {detail.subjects.length === 0 && <p className="muted">No subjects taught in this class yet.</p>}
      {canManage && <AddSubject classId={classId} subjects={subjects.filter((s) => !detail.subjects.some((c) => c.subjectId === s.id))} staff={staff} onDone={changed} />}
      {choosing && <OptionalEnrolment subject={choosing} students={students.filter((s) => s.status === 'enrolled')} onDone={() => { setChoosing(null); changed(); }} onCancel={() => setChoosing(null)} />}

      <h4>Students</h4>
      <DataTable columns={[{ label: 'Name' }, { label: 'Admission no.' }, { label: 'Status' }]} testId="class-students">
        <tbody>
          {students.map((s) => (
            <tr key={s.id}>
              <td>
                {s.lastName}, {s.firstName}
              </td>
              <td>{s.admissionNo}</td>
              <td>{s.status}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      {students.length === 0 && <p className="muted">No students in this class yet. Put students in it from the Students screen (select them, then Move to class).</p>}

      {open === 'edit' && (
        <ClassDialog
          editing={detail}
          year={detail.values.academic_year}
          onClose={() => setOpen(null)}
          onSaved={() => {
            setOpen(null);
            changed();
          }}
        />
      )}
      {open === 'promote' && (
        <PromoteDialog
          cls={detail}
          onClose={() => setOpen(null)}
          onDone={(result) => {
            setOpen(null);
            setPromoted({ result, ids: enrolledIds });
            changed();
          }}
        />
      )}
    </section>
  );
}

function RemoveSubject({ classId, subject, onDone }: { classId: string; subject: ClassSubjectView; onDone(d: ClassDetail): void }) {
  const { saving, save } = useSaveOnce();
  const [error, setError] = useState<AppError | null>(null);
  return (
    <>
      <button
        type="button"
        className="link-button"
        disabled={saving}
        onClick={() =>
          void save(async () => {
            try {
              onDone(await api.invoke('classes.saveSubject', { classId, subjectId: subject.subjectId, teacherId: subject.teacherId, compulsory: subject.compulsory, remove: true }));
            } catch (err) {
              setError(toAppError(err));
            }
          })
        }
      >
        Remove
      </button>
      {error && <ErrorNotice error={error} />}
    </>
  );
}

function AddSubject(props: { classId: string; subjects: SubjectView[]; staff: { id: string; name: string }[]; onDone(d: ClassDetail): void }) {
  const [subjectId, setSubjectId] = useState('');
  const [teacherId, setTeacherId] = useState('');
  const [compulsory, setCompulsory] = useState(true);
  const [error, setError] = useState<AppError | null>(null);
  const { saving, save } = useSaveOnce();
  if (props.subjects.length === 0) return null;
  const add = () =>
    save(async () => {
      try {
        props.onDone(await api.invoke('classes.saveSubject', { classId: props.classId, subjectId, teacherId: teacherId || null, compulsory }));
        setSubjectId('');
        setError(null);
      } catch (err) {
        setError(toAppError(err));
      }
    });
  return (
    <div className="form-row add-subject">
      <select aria-label="Subject to add" value={subjectId} onChange={(e) => setSubjectId(e.target.value)} data-testid="add-subject">
        <option value="">Add a subject…</option>
        {props.subjects.map((s) => (
          <option key={s.id} value={s.id}>
            {s.values.name}
          </option>
        ))}
      </select>
      <select aria-label="Subject teacher" value={teacherId} onChange={(e) => setTeacherId(e.target.value)}>
        <option value="">No teacher yet</option>
        {props.staff.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <label>
        <input type="checkbox" checked={compulsory} onChange={(e) => setCompulsory(e.target.checked)} /> Compulsory
      </label>
      <button type="button" disabled={!subjectId || saving} onClick={() => void add()} data-testid="add-subject-save">
        Add
      </button>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}

function OptionalEnrolment(props: { subject: ClassSubjectView; students: StudentListItem[]; onDone(): void; onCancel(): void }) {
  const [taking, setTaking] = useState<Set<string> | null>(null);
  const [initial, setInitial] = useState<Set<string>>(new Set());
  const [error, setError] = useState<AppError | null>(null);
  const { saving, save } = useSaveOnce();
  useEffect(() => {
    api
      .invoke('classes.subjectStudents', { classSubjectId: props.subject.id })
      .then((r) => {
        setInitial(new Set(r.studentIds));
        setTaking(new Set(r.studentIds));
      })
      .catch((err) => setError(toAppError(err)));
  }, [props.subject.id]);
  const diff = useMemo(() => {
    const now = taking ?? new Set<string>();
    return { add: [...now].filter((id) => !initial.has(id)), drop: [...initial].filter((id) => !now.has(id) && props.students.some((s) => s.id === id)) };
  }, [taking, initial, props.students]);
  const submit = () =>
    save(async () => {
      try {
        if (diff.add.length) await api.invoke('classes.enrolSubject', { classSubjectId: props.subject.id, studentIds: diff.add, enrolled: true });
        if (diff.drop.length) await api.invoke('classes.enrolSubject', { classSubjectId: props.subject.id, studentIds: diff.drop, enrolled: false });
        props.onDone();
      } catch (err) {
        setError(toAppError(err));
      }
    });
  return (
    <div className="optional-enrolment" data-testid="optional-enrolment">
      <h4>Who takes {props.subject.subjectName}</h4>
      {!taking && !error && <p className="muted">Loading…</p>}
      {taking && (
        <ul className="tick-list">
          {props.students.map((s) => (
            <li key={s.id}>
              <label>
                <input
                  type="checkbox"
                  checked={taking.has(s.id)}
                  onChange={() => {
                    const next = new Set(taking);
                    if (next.has(s.id)) next.delete(s.id);
                    else next.add(s.id);
                    setTaking(next);
                  }}
                />{' '}
                {s.lastName}, {s.firstName}
              </label>
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorNotice error={error} />}
      <div className="form-actions">
        <button type="button" className="primary" disabled={saving || (diff.add.length === 0 && diff.drop.length === 0)} onClick={() => void submit()} data-testid="optional-save">
          {saving ? 'Saving…' : `Save (${diff.add.length} added, ${diff.drop.length} dropped)`}
        </button>
        <button type="button" onClick={props.onCancel} disabled={saving}>
          Cancel
        </button>
      </div>
    </div>
  );
}
