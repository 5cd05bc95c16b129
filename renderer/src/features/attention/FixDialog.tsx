import { useRef, useState } from 'react';
import type { AttentionItem } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { Dialog } from '../../lib/Dialog';
import { ExpenseFix } from './ExpenseFix';
import type { FixFormProps } from './fixForm';
import { PaymentFix } from './PaymentFix';
import { RecordsFix } from './RecordsFix';
import './attention.css';

interface Props {
  item: AttentionItem;
  onClose(): void;
  /** The corrected change is queued; the item has left the list. */
  onFixed(): void;
}

/** Corrects a refused change, starting from what was refused, and queues it again (attention.fix). */
export function FixDialog({ item, onClose, onFixed }: Props) {
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const inFlight = useRef(false);

  async function save(args: Record<string, unknown>) {
    if (inFlight.current) return; // a second Enter must never queue it twice
    inFlight.current = true;
    setSaving(true);
    try {
      await api.invoke('attention.fix', { id: item.id, args });
      onFixed();
    } catch (err) {
      setError(toAppError(err));
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  }

  const form: FixFormProps = { item, error, saving, onSave: (args) => void save(args), onCancel: onClose };
  return (
    <Dialog title="Correct and send again" onClose={onClose} testId="fix-dialog">
      <div className="fix-dialog">
        <p className="fix-reason" data-testid="fix-reason">
          <span className="attention-reason-label">Why the school refused it: </span>
          {item.reason.trim() || 'The school server gave no reason.'}
        </p>
        <p className="attention-summary">{item.summary}</p>
        {item.name === 'payments.record' ? <PaymentFix {...form} /> : item.name === 'expenses.record' ? <ExpenseFix {...form} /> : <RecordsFix {...form} />}
      </div>
    </Dialog>
  );
}
