import { useEffect } from 'react';
import type { Receipt } from '../../../../shared/domain/bursary-views';
import { formatMinor } from '../../../../shared/money';
import { api } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDate, formatDateTime } from '../../lib/time';
import { balanceText } from '../fees/StatementTable';
import { METHOD_LABEL } from '../payments/methods';
import { PrintHead, PrintStudentLine } from './PrintParts';
import { usePrintData } from './usePrintData';

/** An A5 receipt: who paid what, for what, by which means, the balance after it, and who took it. */
export function ReceiptPrint({ paymentId }: { paymentId: string }) {
  const { data: receipt, error } = usePrintData(() => api.invoke('payments.receipt', { paymentId }), paymentId);

  useEffect(() => {
    if (receipt) document.title = `Receipt ${receipt.receiptNo}`;
  }, [receipt]);

  if (error) return <ErrorNotice error={error} testId="receipt-error" />;
  if (!receipt) return <p className="muted">Loading the receipt…</p>;
  return <ReceiptPage receipt={receipt} />;
}

function ReceiptPage({ receipt: r }: { receipt: Receipt }) {
  const money = (minor: number) => formatMinor(minor, r.currency);
  return (
    <article className={`print-page print-receipt${r.voided ? ' is-voided' : ''}`} data-testid="receipt" aria-label={`Receipt ${r.receiptNo}`}>
      {r.voided && (
        <div className="void-watermark" aria-hidden="true" data-testid="void-watermark">
          VOID
        </div>
      )}
      <PrintHead school={r.schoolName} doc="Official receipt">
        <div>
          <dt>Receipt no.</dt>
          <dd className="receipt-no" data-testid="receipt-no">
            {r.receiptNo}
          </dd>
        </div>
        <div>
          <dt>Date</dt>
          <dd>{formatDateTime(r.recordedAt)}</dd>
        </div>
      </PrintHead>

      {r.voided && (
        <p className="print-void-note" data-testid="receipt-voided">
          This receipt was voided{r.voidReason ? `: ${r.voidReason}` : ''}. The payment does not count.
        </p>
      )}

      <section className="print-section">
        <h2 className="print-label">Received for</h2>
        <PrintStudentLine name={r.student.name} admissionNo={r.student.admissionNo} className={r.student.className} />
      </section>

      <section className="print-section print-amount-row">
        <div>
          <h2 className="print-label">Amount</h2>
          <p className="print-amount" data-testid="receipt-amount">
            {money(r.amountMinor)}
          </p>
        </div>
        <div>
          <h2 className="print-label">Paid by</h2>
          <p>
            {METHOD_LABEL[r.method]}
            {r.reference && <span className="print-sub">Ref. {r.reference}</span>}
          </p>
        </div>
      </section>

      <section className="print-section">
        <h2 className="print-label">What it paid for</h2>
        <table className="print-table">
          <tbody>
            {r.lines.map((l, i) => (
              <tr key={i}>
                <td>{l.description ?? 'Carried forward as credit'}</td>
                <td className="num">{money(l.amountMinor)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num">{money(r.amountMinor)}</td>
            </tr>
          </tfoot>
        </table>
      </section>

      <p className="print-balance" data-testid="receipt-balance">
        Balance after this payment: <strong>{balanceText(r.balanceAfterMinor, r.currency)}</strong>
      </p>

      <footer className="print-foot">
        <span>Received by {r.recordedBy ?? 'the bursary'}</span>
        <span>
          {r.deviceName} · school day {formatDate(r.businessDate)}
        </span>
      </footer>
    </article>
  );
}
