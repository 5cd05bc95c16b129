import { useEffect, useState, type FormEvent } from 'react';
import type { ClassView, PromotionPlan, PromotionResult } from '../../../../shared/domain/student-views';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';

interface Props {
  cls: ClassView;
  onClose(): void;
  onDone(result: PromotionResult): void;
}

type Choice = 'next' | 'class' | 'graduate';

/** Promotes a whole class: to next year's class (created if missing), another later class, or graduation. */
export function PromoteDialog({ cls, onClose, onDone }: Props) {
  const [plan, setPlan] = useState<PromotionPlan | null>(null);
  const [later, setLater] = useState<ClassView[]>([]);
  const [choice, setChoice] = useState<Choice>('next');
  const [targetId, setTargetId] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const { saving, busy, save } = useSaveOnce();

  useEffect(() => {
    let current = true;
    Promise.all([api.invoke('classes.promotionPlan', { classId: cls.id }), api.invoke('classes.list', { year: cls.values.academic_year + 1 })])
      .then(([p, next]) => {
        if (!current) return;
        setPlan(p);
        setLater(next.classes);
        setChoice(p.finalYear || !p.next ? 'graduate' : 'next');
      })
      .catch((err) => current && setError(toAppError(err)));
    return () => {
      current = false;
    };
  }, [cls]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (busy()) return;
    if (choice === 'class' && !targetId) return setError(null);
    await save(async () => {
      try {
        const to = choice === 'class' ? { kind: 'class' as const, classId: targetId } : { kind: choice };
        onDone(await api.invoke('classes.promote', { classId: cls.id, to }));
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  const n = plan?.enrolled ?? 0;
  return (
    <Dialog title={`Promote ${cls.name} (${cls.values.academic_year})`} onClose={onClose} testId="promote-dialog">
      <form className="dialog-form" onSubmit={submit} noValidate>
        {!plan && !error && <p className="muted">Working out the promotion…</p>}
        {plan && (
          <>
            <p>
              {n} enrolled {n === 1 ? 'student moves' : 'students move'} together. Withdrawn and graduated students stay where they are.
            </p>
            <fieldset className="choice-list">
              <legend>Promote to</legend>
              {plan.next && plan.nextName && (
                <label>
                  <input type="radio" name="promote" checked={choice === 'next'} onChange={() => setChoice('next')} data-testid="promote-next" /> {plan.nextName}, {plan.next.academic_year}
                  {plan.nextExistingId ? '' : ' (a new class, created now)'}
                </label>
              )}
              {later.length > 0 && (
                <label>
                  <input type="radio" name="promote" checked={choice === 'class'} onChange={() => setChoice('class')} /> Another class of {cls.values.academic_year + 1}:{' '}
                  <select value={targetId} onChange={(e) => {
                    setTargetId(e.target.value);
                    setChoice('class');
                  }} aria-label="Class to promote to">
                    <option value="">Choose…</option>
                    {later.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <label>
                <input type="radio" name="promote" checked={choice === 'graduate'} onChange={() => setChoice('graduate')} data-testid="promote-graduate" /> Graduate them
                {plan.finalYear ? ' (the school’s final year)' : ''}
              </label>
            </fieldset>
          </>
        )}
        {choice === 'class' && !targetId && <p className="field-error">Choose the class to promote to.</p>}
        {error && <ErrorNotice error={error} />}
        <DialogActions label={choice === 'graduate' ? `Graduate ${n}` : `Promote ${n}`} savingLabel="Promoting…" saving={saving || !plan || n === 0} testId="promote-save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
