import { useCallback, useState } from 'react';
import type { StudentListItem } from '../../../../shared/domain/students';
import { formatMinor } from '../../../../shared/money';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSync } from '../sync/store';
import { useCan } from '../session/store';
import { openPrint } from '../print/route';
import { ArrearsByAge } from '../fees/ArrearsByAge';
import { BalanceSummary, entryLabel, StatementTable, voidTargetOfEntry } from '../fees/StatementTable';
import { ChargeForm } from '../fees/ChargeForm';
import { DiscountDialog } from '../fees/DiscountDialog';
import { RefundDialog } from '../fees/RefundDialog';
import { VoidDialog, type VoidTarget } from '../fees/VoidDialog';
import { useStatement } from '../fees/useStatement';
import { PaymentForm } from './PaymentForm';

interface Props {
  student: StudentListItem;
  currency: string;
}

type Open = { dialog: 'void'; target: VoidTarget; label: string } | { dialog: 'discount' } | { dialog: 'refund' } | null;

/** The chosen student: details and balance, the payment and charge forms, and their statement. Keyed by student id. */
export function StudentPanel({ student, currency }: Props) {
  const canRecord = useCan('payments.record');
  const canView = useCan('payments.view');
  const canVoid = useCan('payments.void');
  const canManageFees = useCan('fees.manage');
  const { statement, payments, error, reload } = useStatement(student.id, canView);
  const [open, setOpen] = useState<Open>(null);
  const [result, setResult] = useState<string | null>(null);

  // After anything is written here: the statement and balance again, and the pending count.
  const onChanged = useCallback(() => {
    void reload();
    void useSync.getState().refresh();
  }, [reload]);

  const shownCurrency = statement?.currency ?? currency;
  const studentName = `${student.firstName} ${student.lastName}`;
  const creditMinor = statement?.creditMinor ?? 0;

  const done = (message: string) => {
    setOpen(null);
    setResult(message);
    onChanged();
  };

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

      {canRecord && <PaymentForm studentId={student.id} currency={currency} openCharges={statement?.openCharges ?? null} onRecorded={onChanged} />}

      {canManageFees && <ChargeForm studentId={student.id} currency={currency} onPosted={onChanged} startOpen={!canRecord} />}

      {canView && (
        <>
          <div className="statement-head">
            <h3>Statement</h3>
            <div className="statement-actions">
              {canManageFees && (
                <button type="button" className="row-button" onClick={() => setOpen({ dialog: 'discount' })} data-testid="open-discount">
                  Grant discount / scholarship
                </button>
              )}
              {canVoid && creditMinor > 0 && (
                <button type="button" className="row-button" onClick={() => setOpen({ dialog: 'refund' })} data-testid="open-refund">
                  Refund credit
                </button>
              )}
              <button type="button" className="row-button" onClick={() => openPrint({ kind: 'statement', studentId: student.id })} data-testid="print-statement">
                Print statement
              </button>
            </div>
          </div>
          {result && (
            <div className="notice notice-success" role="status" data-testid="void-result">
              <p>{result}</p>
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
            <>
              <StatementTable
                statement={statement}
                payments={payments}
                onVoid={
                  canVoid
                    ? (entry) => {
                        setResult(null);
                        setOpen({ dialog: 'void', target: voidTargetOfEntry(entry, payments.get(entry.id), shownCurrency), label: entryLabel(entry, payments.get(entry.id), shownCurrency) });
                      }
                    : undefined
                }
                onReceipt={(paymentId) => openPrint({ kind: 'receipt', paymentId })}
              />
              <ArrearsByAge statement={statement} />
            </>
          )}
        </>
      )}

      {open?.dialog === 'void' && (
        <VoidDialog
          target={open.target}
          onClose={() => setOpen(null)}
          onVoided={(reason) =>
            done(
              `Voided the ${open.label} ("${reason}"). It stays on the statement marked Voided and no longer counts in the balance; other computers see the void after the next sync.`,
            )
          }
        />
      )}
      {open?.dialog === 'discount' && (
        <DiscountDialog
          studentId={student.id}
          studentName={studentName}
          currency={shownCurrency}
          onClose={() => setOpen(null)}
          onGranted={(entry) => done(`Granted ${formatMinor(entry.creditMinor, shownCurrency)} off the bill: ${entry.description || 'discount'}.`)}
        />
      )}
      {open?.dialog === 'refund' && (
        <RefundDialog
          studentId={student.id}
          studentName={studentName}
          creditMinor={creditMinor}
          currency={shownCurrency}
          onClose={() => setOpen(null)}
          onRefunded={(entry) => done(`Recorded a refund of ${formatMinor(entry.debitMinor, shownCurrency)}. It is on the statement; the credit is that much less.`)}
        />
      )}
    </section>
  );
}
