import { useId, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { ReportCard } from '../../../../shared/domain/report-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { useCan } from '../session/store';

/** The class teacher's and the head teacher's comments on one card (the head's only for those who publish cards). */
export function CommentsForm({ card, onSaved }: { card: ReportCard; onSaved(): void }) {
  const [classTeacher, setClassTeacher] = useState(card.comments.classTeacher);
  const [headTeacher, setHeadTeacher] = useState(card.comments.headTeacher);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState(false);
  const canPublish = useCan('reportcards.publish');
  const { saving, busy, save } = useSaveOnce();
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    await save(async () => {
      try {
        await api.invoke('reportCards.saveComments', { studentId: card.student.id, term: card.term, classTeacherComment: classTeacher, headTeacherComment: headTeacher });
        setError(null);
        setDone(true);
        onSaved();
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  return (
    <form className="comments-form" onSubmit={(e) => void submit(e)} aria-label={`Comments for ${card.student.name}`}>
      <label className="field" htmlFor={`${id}-ct`}>
        <span className="field-label">Class teacher's comment</span>
        <textarea id={`${id}-ct`} rows={2} maxLength={500} value={classTeacher} onChange={(e) => (setDone(false), setClassTeacher(e.target.value))} autoFocus />
      </label>
      <label className="field" htmlFor={`${id}-ht`}>
        <span className="field-label">Head teacher's comment</span>
        <textarea id={`${id}-ht`} rows={2} maxLength={500} value={headTeacher} onChange={(e) => (setDone(false), setHeadTeacher(e.target.value))} disabled={!canPublish} />
        {!canPublish && <span className="field-hint">Written by the head teacher.</span>}
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          Save comments
        </button>
        {done && <span role="status">Saved.</span>}
      </div>
      {error && <ErrorNotice error={error} />}
    </form>
  );
}
