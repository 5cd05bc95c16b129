import { useCallback, useEffect, useRef, useState } from 'react';
import type { PaymentView } from '../../../../shared/domain/payments';
import type { StudentListItem } from '../../../../shared/domain/students';
import type { AppError } from '../../../../shared/api/errors';
import { formatMinor } from '../../../../shared/money';
import { api, toAppError } from '../../api';
import { formatDateTime } from '../../lib/time';
import { useSync } from '../sync/store';
import { useCan } from '../session/store';
import { PaymentForm } from './PaymentForm';
import { METHOD_LABEL } from './methods';

interface Props {
  student: StudentListItem;
  currency: string;
}

/** The chosen student: details, the payment form, and their payments. Keyed by student id. */
export function StudentPanel({ student, currency }: Props) {
  const canRecord = useCan('payments.record');
  const canView = useCan('payments.view');
  const { payments, error, reload } = useStudentPayments(student.id, canView);

  const onRecorded = useCallback(() => {
    void reload();
    void useSync.getState().refresh();
  }, [reload]);

  return (
    <section className="student-panel" aria-label="Selected student">
      <header className="student-header">
        <h2>
          {student.lastName}, {student.firstName}
        </h2>
        <dl className="student-facts">
          <div>
            <dt>Admission no.</dt>
            <dd>{student.admissionNo}</dd>
          </div>
          <div>
            <dt>Class</dt>
            <dd>{student.className ?? '—'}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd className="capitalize">{student.status}</dd>
          </div>
          <div>
            <dt>Guardian phone</dt>
            <dd>{student.guardianPhone ?? '—'}</dd>
          </div>
        </dl>
      </header>

      {canRecord && <PaymentForm studentId={student.id} currency={currency} onRecorded={onRecorded} />}

      {canView && <PaymentsTable payments={payments} error={error} reload={reload} />}
    </section>
  );
}

function PaymentsTable({ payments, error, reload }: { payments: PaymentView[] | null; error: AppError | null; reload(): Promise<void> }) {
  return (
    <>
      <h3>Payments</h3>
      {error && (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
          <button type="button" onClick={() => void reload()}>
            Try again
          </button>
        </div>
      )}
      {payments === null ? (
        !error && <p className="muted">Loading payments…</p>
      ) : payments.length === 0 ? (
        <p className="muted">No payments recorded for this student yet.</p>
      ) : (
        <table className="payments-table" data-testid="payments-list">
          <thead>
            <tr>
              <th scope="col">Receipt</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Method</th>
              <th scope="col">Recorded</th>
              <th scope="col">
                <span className="visually-hidden">Sync</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {payments.map((p) => (
              <tr key={p.id} data-testid="payment-row">
                <td className="receipt-no">{p.receiptNo}</td>
                <td className="num">{formatMinor(p.amountMinor, p.currency)}</td>
                <td>
                  {METHOD_LABEL[p.method]}
                  {p.reference && <span className="muted"> · {p.reference}</span>}
                </td>
                <td>{formatDateTime(p.recordedAt)}</td>
                <td>
                  {p.pending && (
                    <span className="badge badge-pending" data-testid="pending-badge" title="Saved on this computer; not yet sent to the school server.">
                      pending sync
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The student's payments, reloaded after each payment and whenever sync moves on. */
function useStudentPayments(studentId: string, enabled: boolean) {
  const [payments, setPayments] = useState<PaymentView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const latest = useRef(0);
  // A change in the pending count or last sync time is when "pending sync" badges can change.
  const pending = useSync((s) => s.status?.pending);
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);

  const reload = useCallback(async () => {
    if (!enabled) return;
    const call = ++latest.current;
    try {
      const { rows } = await api.invoke('payments.listForStudent', { studentId });
      if (call !== latest.current) return;
      setPayments(rows);
      setError(null);
    } catch (err) {
      if (call === latest.current) setError(toAppError(err));
    }
  }, [studentId, enabled]);

  useEffect(() => {
    void reload();
  }, [reload, pending, lastSyncAt]);

  return { payments, error, reload };
}
