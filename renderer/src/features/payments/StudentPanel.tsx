import { useCallback, useState } from 'react';
import type { StatementEntry } from '../../../../shared/domain/fees';
import type { StudentListItem } from '../../../../shared/domain/students';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSync } from '../sync/store';
import { useCan } from '../session/store';
import { BalanceSummary, entryLabel, StatementTable } from '../fees/StatementTable';
import { ChargeForm } from '../fees/ChargeForm';
import { VoidDialog } from '../fees/VoidDialog';
import { useStatement } from '../fees/useStatement';
import { PaymentForm } from './PaymentForm';

interface Props {
  student: StudentListItem;
  currency: string;
}

/** The chosen student: details and balance, the payment and charge forms, and their statement. Keyed by student id. */
export function StudentPanel({ student, currency }: Props) {
  const canRecord = useCan('payments.record');
  const canView = useCan('payments.view');
  const canVoid = useCan('payments.void');
  const canManageFees = useCan('fees.manage');
  const { statement, payments, error, reload } = useStatement(student.id, canView);
  const [voiding, setVoiding] = useState<StatementEntry | null>(null);
  const [voidResult, setVoidResult] = useState<string | null>(null);

  // After anything is written here: the statement and balance again, and the pending count.
  const onChanged = useCallback(() => {
    void reload();
    void useSync.getState().refresh();
  }, [reload]);

  const shownCurrency = statement?.currency ?? currency;

  return (
    <section className="student-panel" aria-label="Selected student">
      <header className="student-header">
        <div className="student-header-main">
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
        </div>
        {canView && <BalanceSummary statement={statement} failed={error !== null} />}
      </header>

      {canRecord && <PaymentForm studentId={student.id} currency={currency} onRecorded={onChanged} />}

      {canManageFees && <ChargeForm studentId={student.id} currency={currency} onPosted={onChanged} startOpen={!canRecord} />}

      {canView && (
        <>
          <h3>Statement</h3>
          {voidResult && (
            <div className="notice notice-success" role="status" data-testid="void-result">
              <p>{voidResult}</p>
            </div>
          )}
          {error && <ErrorNotice error={error} onRetry={() => void reload()} testId="statement-error" />}
          {statement === null ? (
            !error && <p className="muted">Loading the statement…</p>
          ) : statement.entries.length === 0 ? (
            <p className="muted" data-testid="statement-empty">
              No payments recorded and no charges posted for this student yet.
            </p>
          ) : (
            <StatementTable
              statement={statement}
              payments={payments}
              onVoid={
                canVoid
                  ? (entry) => {
                      setVoidResult(null);
                      setVoiding(entry);
                    }
                  : undefined
              }
            />
          )}
        </>
      )}

      {voiding && (
        <VoidDialog
          entry={voiding}
          receiptNo={voiding.kind === 'payment' ? payments.get(voiding.id)?.receiptNo : undefined}
          currency={shownCurrency}
          onClose={() => setVoiding(null)}
          onVoided={(reason) => {
            const what = entryLabel(voiding, payments.get(voiding.id), shownCurrency);
            setVoiding(null);
            setVoidResult(
              `Voided the ${what} ("${reason}"). It stays on the statement marked Voided and no longer counts in the balance; other computers see the void after the next sync.`,
            );
            onChanged();
          }}
        />
      )}
    </section>
  );
}
