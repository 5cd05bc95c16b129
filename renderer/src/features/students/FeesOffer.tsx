import { useEffect, useState } from 'react';
import type { FeeStructureView } from '../../../../shared/domain/bursary-views';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { useCan } from '../session/store';
import { structureToOffer } from './feesOffer';

interface Props {
  className: string | null;
  studentIds: readonly string[];
}

/** After students join a class: offers, to someone who manages fees, to charge the class's fees
 * for the current term to them. Nothing is charged unless they press it. */
export function FeesOffer({ className, studentIds }: Props) {
  const canCharge = useCan('fees.manage');
  const [structure, setStructure] = useState<FeeStructureView | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const { saving, save } = useSaveOnce();

  useEffect(() => {
    if (!canCharge || !className || studentIds.length === 0) return;
    let current = true;
    void Promise.all([api.invoke('fees.structures', {}), api.invoke('terms.list', {})])
      .then(([s, t]) => {
        const term = t.terms.find((x) => x.id === t.currentTermId)?.name ?? null;
        if (current) setStructure(structureToOffer(className, s.structures, term));
      })
      .catch(() => current && setStructure(null));
    return () => {
      current = false;
    };
  }, [canCharge, className, studentIds]);

  if (!structure || studentIds.length === 0) return null;
  if (done) return <p className="notice" role="status">{done}</p>;
  const charge = () =>
    save(async () => {
      try {
        const r = await api.invoke('fees.applyStructure', { structureId: structure.id, studentIds: [...studentIds] });
        setDone(`Charged ${structure.term} fees to ${r.studentsCharged} ${r.studentsCharged === 1 ? 'student' : 'students'}${r.studentsSkipped ? ` (${r.studentsSkipped} already had them)` : ''}.`);
      } catch (err) {
        setError(toAppError(err));
      }
    });
  return (
    <div className="notice fees-offer" data-testid="fees-offer">
      <p>
        {structure.className} has fees for {structure.term}. They were not charged to {studentIds.length === 1 ? 'this student' : `these ${studentIds.length} students`}.
      </p>
      <button type="button" className="primary" disabled={saving} onClick={() => void charge()} data-testid="fees-offer-charge">
        {saving ? 'Charging…' : `Charge ${structure.className}'s ${structure.term} fees`}
      </button>
      {error && <ErrorNotice error={error} />}
    </div>
  );
}
