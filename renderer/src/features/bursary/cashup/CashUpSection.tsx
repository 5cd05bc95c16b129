import { useState } from 'react';
import type { AppError } from '../../../../../shared/api/errors';
import type { CashUpView } from '../../../../../shared/domain/bursary-views';
import { sumTotals } from '../../../../../shared/domain/cashup';
import { formatMinor } from '../../../../../shared/money';
import { api, toAppError } from '../../../api';
import { ConfirmDialog } from '../../../lib/ConfirmDialog';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { useReadAgain } from '../../../lib/useReadAgain';
import { plural } from '../../../lib/words';
import { formatDate, formatDateTime } from '../../../lib/time';
import { useCan, useCurrency } from '../../session/store';
import { useSync } from '../../sync/store';
import { CashUpFigures, CountForm } from './CountForm';
import { PastCashUps } from './PastCashUps';
import { DifferenceText } from './DifferenceText';

/** The end of the bursar's day on this computer: what the ledger expects per method, what was counted, and the close. */
export function CashUpSection() {
  const canRecord = useCan('payments.record');
  const canView = useCan('payments.view');
  // A close just made here shows in the list of past cash-ups at once.
  const [closes, setCloses] = useState(0);
  return (
    <>
      {canRecord && <TodayCashUp onClosed={() => setCloses((n) => n + 1)} />}
      {canView && <PastCashUps key={closes} />}
    </>
  );
}

const readPreview = () => api.invoke('cashup.preview', {});

function TodayCashUp({ onClosed }: { onClosed(): void }) {
  const currency = useCurrency();
  const [confirming, setConfirming] = useState<{ counted: CashUpView['expected']; note: string } | null>(null);
  const [closing, setClosing] = useState(false);
  const [closeError, setCloseError] = useState<AppError | null>(null);
  // Again whenever this computer's pending count moves: a payment recorded meanwhile changes what is expected.
  const pending = useSync((s) => s.status?.pending);
  const { data: view, setData: setView, error, reload: load } = useReadAgain(readPreview, pending);

  async function close() {
    if (!confirming || closing) return;
    setClosing(true);
    setCloseError(null);
    try {
      setView(await api.invoke('cashup.close', { businessDate: view?.businessDate, counted: confirming.counted, note: confirming.note }));
      setConfirming(null);
      onClosed();
      void useSync.getState().refresh();
    } catch (err) {
      setCloseError(toAppError(err));
    } finally {
      setClosing(false);
    }
  }

  return (
    <section className="screen-panel" aria-labelledby="cashup-title" data-testid="cashup">
      <div className="screen-head">
        <h2 id="cashup-title">Cash-up{view ? ` for ${formatDate(view.businessDate)}` : ''}</h2>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
      </div>
      {error && <ErrorNotice error={error} onRetry={() => void load()} testId="cashup-error" />}
      {view === null ? (
        !error && <p className="muted">Working out today's takings…</p>
      ) : view.closed ? (
        <>
          <div className="notice notice-success" role="status" data-testid="cashup-closed">
            <p className="notice-title">
              {view.staffName}'s day on {view.deviceName} was closed at {formatDateTime(view.closed.closedAt)}.
            </p>
            <p>
              Payments, refunds and expenses can no longer be recorded into {formatDate(view.businessDate)} by {view.staffName} on this computer. Anything
              taken now belongs to the next school day.
            </p>
          </div>
          <CashUpFigures expected={view.closed.expected} counted={view.closed.counted} currency={currency} />
          <p className="cashup-total" data-testid="cashup-difference">
            In all: <DifferenceText minor={view.closed.differenceMinor} currency={currency} />
          </p>
          {view.closed.note && <p>Note: {view.closed.note}</p>}
          {view.closed.pending && <p className="muted">Saved on this computer; it reaches the school server at the next sync.</p>}
        </>
      ) : (
        <>
          <p className="muted">
            What {view.staffName} took on {view.deviceName} today, from {plural(view.paymentCount, 'payment')}, less {plural(view.refundCount, 'refund')} and{' '}
            {plural(view.expenseCount, 'expense')} paid out; voided entries do not count. Count what you hold for each method and enter it.
          </p>
          <CountForm key={view.businessDate} expected={view.expected} currency={currency} onClose={(counted, note) => setConfirming({ counted, note })} />
        </>
      )}

      {confirming && view && (
        <ConfirmDialog
          title={`Close ${formatDate(view.businessDate)}?`}
          testId="cashup-confirm"
          confirmLabel={closing ? 'Closing…' : 'Close the day'}
          confirmTestId="cashup-confirm-button"
          busy={closing}
          onConfirm={() => void close()}
          onClose={() => {
            setConfirming(null);
            setCloseError(null);
          }}
        >
          <p>
            Counted <strong>{formatMinor(sumTotals(confirming.counted), currency)}</strong> against{' '}
            <strong>{formatMinor(sumTotals(view.expected), currency)}</strong> expected:{' '}
            <DifferenceText minor={sumTotals(confirming.counted) - sumTotals(view.expected)} currency={currency} />
          </p>
          <p>
            Once the day is closed, you cannot record payments, refunds or expenses into {formatDate(view.businessDate)} on this computer. This cannot be
            undone.
          </p>
          {closeError && <ErrorNotice error={closeError} testId="cashup-close-error" />}
        </ConfirmDialog>
      )}
    </section>
  );
}
