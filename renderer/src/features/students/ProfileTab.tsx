import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClassView, GuardianLinkView, StudentProfile } from '../../../../shared/domain/student-views';
import type { StudentListItem } from '../../../../shared/domain/students';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { useCan } from '../session/store';
import { useSync } from '../sync/store';
import { useAfterSync } from '../sync/useAfterSync';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { StudentForm } from './StudentForm';
import { GuardianDialog } from './GuardianDialog';
import { FeesOffer } from './FeesOffer';
import { draftFrom } from './studentDraft';
import { useStudents } from './store';

interface Props {
  student: StudentListItem;
  classes: readonly ClassView[];
}

type Open = { dialog: 'guardian'; editing?: GuardianLinkView } | { dialog: 'unlink'; guardian: GuardianLinkView } | null;

/** The student's profile, guardians and siblings. Keyed by student id. */
export function ProfileTab({ student, classes }: Props) {
  const canEdit = useCan('students.update');
  const [profile, setProfile] = useState<StudentProfile | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [saved, setSaved] = useState<{ text: string; n: number } | null>(null);
  /** Moves on each save of the form: it is built again from what was saved. */
  const [formSaves, setFormSaves] = useState(0);
  const savedNote = useRef<HTMLParagraphElement>(null);
  // The form is rebuilt from what was saved, so its focus is gone: the note saying so takes it
  // (and scrolls into view), and Tab goes on into the form.
  useEffect(() => {
    if (saved) savedNote.current?.focus();
  }, [saved]);
  const joined = useStudents((s) => s.joined);
  const setJoined = useStudents((s) => s.setJoined);
  const changed = useStudents((s) => s.changed);
  const select = useStudents((s) => s.select);

  useEffect(() => {
    let current = true;
    api
      .invoke('students.profile', { id: student.id })
      .then((p) => current && setProfile(p))
      .catch((err) => current && setError(toAppError(err)));
    return () => {
      current = false;
    };
  }, [student.id]);
  // Guardians and brothers and sisters as other computers left them; the form keeps what was typed
  // and takes the rest (a failed read keeps what is shown: the next sync tries again).
  useAfterSync(() => {
    void api.invoke('students.profile', { id: student.id }).then(setProfile, () => undefined);
  });

  const onSaved = useCallback(
    (p: StudentProfile, what: string) => {
      if (profile && p.values.class_id && p.values.class_id !== profile.values.class_id && p.className) setJoined({ studentId: p.id, className: p.className });
      setProfile(p);
      setSaved((old) => ({ text: what, n: (old?.n ?? 0) + 1 }));
      setOpen(null);
      changed();
      void useSync.getState().refresh();
    },
    [profile, setJoined, changed],
  );

  const openSibling = async (id: string) => {
    try {
      select(await api.invoke('students.get', { id }));
    } catch (err) {
      setError(toAppError(err));
    }
  };

  const joinedIds = useMemo(() => (joined?.studentId === student.id ? [student.id] : []), [joined, student.id]);
  if (!profile) {
    return (
      <section className="student-panel" aria-label="Selected student">
        {error ? <ErrorNotice error={error} /> : <p className="muted">Loading the profile…</p>}
      </section>
    );
  }
  return (
    <section className="student-panel student-profile" aria-label="Selected student" data-testid="student-profile">
      {joined?.studentId === student.id && <FeesOffer className={joined.className} studentIds={joinedIds} />}
      {saved && (
        <p className="notice" role="status" tabIndex={-1} ref={savedNote}>
          {saved.text}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      <StudentForm
        key={formSaves}
        id={profile.id}
        initial={draftFrom(profile.values)}
        classes={classes}
        currentClass={profile.values.class_id ? { id: profile.values.class_id, name: profile.className ?? 'Its class' } : null}
        readOnly={!canEdit}
        onSaved={(p) => {
          setFormSaves((n) => n + 1);
          onSaved(p, 'Saved.');
        }}
      />

      <section aria-labelledby="guardians-title">
        <h3 id="guardians-title">Guardians</h3>
        {profile.guardians.length === 0 && <p className="muted">No guardian yet.</p>}
        <ul className="guardian-list" data-testid="guardian-list">
          {profile.guardians.map((g) => (
            <li key={g.guardianId}>
              <strong>{g.values.name}</strong> ({g.relationship}){g.paysFees && <span className="tag">Pays fees</span>}
              <div className="muted">{[g.values.phone, g.values.alt_phone, g.values.email, g.values.address].filter(Boolean).join(' · ')}</div>
              {canEdit && (
                <div className="row-actions">
                  <button type="button" className="link-button" onClick={() => setOpen({ dialog: 'guardian', editing: g })}>
                    Edit
                  </button>
                  <button type="button" className="link-button" onClick={() => setOpen({ dialog: 'unlink', guardian: g })}>
                    Remove from {profile.values.first_name}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
        {canEdit && (
          <button type="button" onClick={() => setOpen({ dialog: 'guardian' })} data-testid="guardian-add">
            Add a guardian
          </button>
        )}
      </section>

      <section aria-labelledby="siblings-title">
        <h3 id="siblings-title">Brothers and sisters</h3>
        {profile.siblings.length === 0 ? (
          <p className="muted">None at the school (students sharing a guardian).</p>
        ) : (
          <ul className="sibling-list" data-testid="sibling-list">
            {profile.siblings.map((s) => (
              <li key={s.id}>
                <button type="button" className="link-button" onClick={() => void openSibling(s.id)}>
                  {s.name}
                </button>{' '}
                <span className="muted">
                  {s.admissionNo}, {s.className ?? 'no class'}
                  {s.status !== 'enrolled' && `, ${s.status}`}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {open?.dialog === 'guardian' && (
        <GuardianDialog studentId={profile.id} editing={open.editing} onClose={() => setOpen(null)} onSaved={(p) => onSaved(p, open.editing ? 'Guardian saved.' : 'Guardian added.')} />
      )}
      {open?.dialog === 'unlink' && (
        <UnlinkDialog studentId={profile.id} guardian={open.guardian} studentName={profile.values.first_name} onClose={() => setOpen(null)} onDone={(p) => onSaved(p, `${open.guardian.values.name} removed.`)} />
      )}
    </section>
  );
}

function UnlinkDialog(props: { studentId: string; guardian: GuardianLinkView; studentName: string; onClose(): void; onDone(p: StudentProfile): void }) {
  const { saving, save } = useSaveOnce();
  const [error, setError] = useState<AppError | null>(null);
  const confirm = () =>
    save(async () => {
      try {
        props.onDone(await api.invoke('guardians.unlink', { studentId: props.studentId, guardianId: props.guardian.guardianId }));
      } catch (err) {
        setError(toAppError(err));
      }
    });
  return (
    <ConfirmDialog
      title={`Remove ${props.guardian.values.name}?`}
      testId="guardian-unlink"
      confirmTestId="guardian-unlink-confirm"
      confirmLabel={saving ? 'Removing…' : 'Remove'}
      busy={saving}
      onClose={props.onClose}
      onConfirm={() => void confirm()}
    >
      <p>
        {props.guardian.values.name} will no longer be a guardian of {props.studentName}. Their details stay for any brothers or sisters.
      </p>
      {error && <ErrorNotice error={error} />}
    </ConfirmDialog>
  );
}
