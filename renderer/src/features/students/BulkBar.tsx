import { useState } from 'react';
import { STUDENT_STATUSES, type StudentFilter, type StudentStatus } from '../../../../shared/domain/students';
import type { ClassView } from '../../../../shared/domain/student-views';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { useStudents } from './store';
import { bulkResultText, bulkTarget, NO_SELECTION, selectedCount, selectionText } from './selection';
import { FeesOffer } from './FeesOffer';

interface Props {
  filter: StudentFilter;
  /** The classes students can be moved to (this year's). */
  classes: readonly ClassView[];
}

const STATUS_LABEL: Record<StudentStatus, string> = { enrolled: 'Enrolled', withdrawn: 'Withdrawn', graduated: 'Graduated' };

/** Changes every ticked student (or all matching) at once: move to a class, or change status. */
export function BulkBar({ filter, classes }: Props) {
  const ticked = useStudents((s) => s.ticked);
  const setTicked = useStudents((s) => s.setTicked);
  const changed = useStudents((s) => s.changed);
  const [classId, setClassId] = useState('');
  const [status, setStatus] = useState<StudentStatus | ''>('');
  const [done, setDone] = useState<{ text: string; className: string | null; ids: string[] } | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const { saving, save } = useSaveOnce();

  const run = (change: { classId: string } | { status: StudentStatus }, what: string, className: string | null) =>
    save(async () => {
      setError(null);
      try {
        const r = await api.invoke('students.bulkChange', { target: bulkTarget(ticked, filter), change });
        setDone({ text: bulkResultText(r, what), className, ids: r.changedIds });
        setTicked(NO_SELECTION);
        changed();
      } catch (err) {
        setError(toAppError(err));
      }
    });

  const target = classes.find((c) => c.id === classId);
  const any = selectedCount(ticked) > 0;
  if (!any && !done && !error) return null;
  return (
    <div className="bulk-bar" role="region" aria-label="Change selected students" data-testid="bulk-bar">
      {any && (
        <>
      <strong>{selectionText(ticked)}</strong>
      <select aria-label="Move to class" value={classId} onChange={(e) => setClassId(e.target.value)}>
        <option value="">Move to class…</option>
        {classes.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <button type="button" disabled={saving || !target} onClick={() => target && void run({ classId: target.id }, `Moved {n} to ${target.name}`, target.name)} data-testid="bulk-move">
        Move
      </button>
      <select aria-label="Change status to" value={status} onChange={(e) => setStatus(e.target.value as StudentStatus | '')}>
        <option value="">Change status…</option>
        {STUDENT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </select>
      <button type="button" disabled={saving || !status} onClick={() => status && void run({ status }, `Marked {n} ${STATUS_LABEL[status].toLowerCase()}`, null)} data-testid="bulk-status">
        Apply
      </button>
      <button type="button" className="link-button" onClick={() => setTicked(NO_SELECTION)}>
        Clear selection
      </button>
        </>
      )}
      {done && (
        <p role="status" data-testid="bulk-result">
          {done.text}
        </p>
      )}
      {done?.className && <FeesOffer className={done.className} studentIds={done.ids} />}
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
