import { useEffect, useState, type FormEvent } from 'react';
import type { GuardianLinkView, GuardianMatch, StudentProfile } from '../../../../shared/domain/student-views';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { FieldNote } from '../../lib/FieldNote';
import { problemsByField } from '../../lib/problemsByField';
import { useDebouncedValue } from '../../lib/useDebouncedValue';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { checkGuardianDraft, EMPTY_GUARDIAN, guardianDraftFrom, guardianFieldOf, type GuardianDraft, type GuardianField } from './guardianDraft';

interface Props {
  studentId: string;
  /** Editing a linked guardian; absent to add one (new, or found by name or phone). */
  editing?: GuardianLinkView;
  onClose(): void;
  onSaved(profile: StudentProfile): void;
}

/** Adds a guardian to a student (a new one, or an existing one such as a sibling's parent) or
 * edits one: details, relationship and whether they pay the fees. */
export function GuardianDialog({ studentId, editing, onClose, onSaved }: Props) {
  const [search, setSearch] = useState('');
  const [matches, setMatches] = useState<GuardianMatch[]>([]);
  const [existing, setExisting] = useState<GuardianMatch | null>(null);
  const [draft, setDraft] = useState<GuardianDraft>(editing ? guardianDraftFrom(editing.values) : EMPTY_GUARDIAN);
  const [relationship, setRelationship] = useState(editing?.relationship ?? '');
  const [paysFees, setPaysFees] = useState(editing?.paysFees ?? false);
  const [problems, setProblems] = useState<Partial<Record<GuardianField, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const typed = useDebouncedValue(search, 150);

  useEffect(() => {
    if (editing || typed.trim().length < 2) return setMatches([]);
    let current = true;
    api
      .invoke('guardians.search', { search: typed, limit: 10 })
      .then((r) => current && setMatches(r.rows))
      .catch(() => current && setMatches([]));
    return () => {
      current = false;
    };
  }, [typed, editing]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    const linking = existing !== null;
    const check = checkGuardianDraft(linking ? guardianDraftFrom(existing.values) : draft, relationship);
    if (!check.values) return setProblems(check.problems);
    setProblems({});
    setError(null);
    const guardianId = editing?.guardianId ?? existing?.id;
    await save(async () => {
      try {
        onSaved(
          await api.invoke('guardians.link', {
            studentId,
            ...(guardianId ? { guardianId } : {}),
            ...(linking ? {} : { details: check.values! }),
            relationship: relationship.trim(),
            paysFees,
          }),
        );
      } catch (err) {
        const appError = toAppError(err);
        const byField = problemsByField(appError, guardianFieldOf);
        setProblems(byField);
        if (Object.keys(byField).length === 0) setError(appError);
      }
    });
  }

  const box = (field: keyof GuardianDraft, label: string, type = 'text') => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input type={type} value={draft[field]} maxLength={field === 'address' ? 200 : 120} onChange={(e) => setDraft({ ...draft, [field]: e.target.value })} data-testid={`guardian-${field}`} />
      <FieldNote problem={problems[field]} />
    </label>
  );

  return (
    <Dialog title={editing ? `Edit ${editing.values.name}` : 'Add a guardian'} onClose={onClose} testId="guardian-dialog">
      <form className="dialog-form" onSubmit={submit} noValidate>
        {!editing && (
          <label className="field">
            <span className="field-label">Find an existing guardian (a brother's or sister's)</span>
            <input type="search" value={search} placeholder="Name or phone" onChange={(e) => setSearch(e.target.value)} data-testid="guardian-search" />
          </label>
        )}
        {matches.length > 0 && !existing && (
          <ul className="guardian-matches" aria-label="Guardians found">
            {matches.map((m) => (
              <li key={m.id}>
                <button type="button" className="link-button" onClick={() => setExisting(m)} data-testid="guardian-match">
                  {m.values.name}
                  {m.values.phone && `, ${m.values.phone}`}
                </button>
                {m.children && <span className="muted"> (guardian of {m.children})</span>}
              </li>
            ))}
          </ul>
        )}
        {existing ? (
          <p>
            Linking <strong>{existing.values.name}</strong>
            {existing.values.phone && `, ${existing.values.phone}`}.{' '}
            <button type="button" className="link-button" onClick={() => setExisting(null)}>
              Choose someone else
            </button>
          </p>
        ) : (
          <>
            {!editing && <p className="muted">Or enter a new guardian:</p>}
            <div className="form-row">
              {box('name', 'Name')}
              {box('phone', 'Phone', 'tel')}
              {box('alt_phone', 'Other phone', 'tel')}
            </div>
            <div className="form-row">
              {box('email', 'Email', 'email')}
              {box('address', 'Address')}
            </div>
          </>
        )}
        <div className="form-row">
          <label className="field">
            <span className="field-label">Relationship</span>
            <input value={relationship} maxLength={40} placeholder="Mother, Father, Aunt…" onChange={(e) => setRelationship(e.target.value)} data-testid="guardian-relationship" />
            <FieldNote problem={problems.relationship} />
          </label>
          <label className="field field-check">
            <span>
              <input type="checkbox" checked={paysFees} onChange={(e) => setPaysFees(e.target.checked)} data-testid="guardian-pays" /> Pays the fees
            </span>
          </label>
        </div>
        {error && <ErrorNotice error={error} />}
        <DialogActions label={existing ? 'Link guardian' : editing ? 'Save guardian' : 'Add guardian'} savingLabel="Saving…" saving={saving} testId="guardian-save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
