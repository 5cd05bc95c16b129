import { useMemo, useState } from 'react';
import type { PaymentListItem, TimeCursor } from '../../../../../shared/domain/bursary-views';
import { api } from '../../../api';
import { toMajor } from '../../../lib/money';
import { formatDateTime } from '../../../lib/time';
import type { Column } from '../../../lib/VirtualTable';
import { METHOD_LABEL } from '../../payments/methods';
import { useCan, useCurrency } from '../../session/store';
import { useSync } from '../../sync/store';
import { openPrint } from '../../print/route';
import { EntryBadges } from '../EntryBadges';
import { ImportPayments } from '../import/ImportPayments';
import { yesNo, type CsvShape } from './exportRows';
import type { FilterField } from './filter';
import { LedgerListSection, type FetchLedgerPage } from './LedgerListSection';
import { amountColumn, studentColumn } from './columns';

const FIELDS: readonly FilterField[] = ['dates', 'className', 'method', 'staff'];
const NOUN = ['payment', 'payments'] as const;

const fetchPayments: FetchLedgerPage<PaymentListItem, TimeCursor> = (filter, after, withTotal, limit) =>
  api.invoke('ledger.payments', { filter, after, withTotal, limit });

/** Amounts in the currency's major unit, as numbers a spreadsheet can add up. */
const csvShape = (currency: string): CsvShape<PaymentListItem> => ({
  header: ['Recorded at', 'Receipt no', 'Student', 'Admission no', 'Class', 'Method', 'Reference', `Amount (${currency})`, 'Recorded by', 'Device', 'Voided', 'Pending sync', 'Duplicate reference'],
  cells: (p) => [p.recordedAt, p.receiptNo, p.studentName, p.admissionNo, p.className, METHOD_LABEL[p.method], p.reference, toMajor(p.amountMinor, currency), p.recordedBy, p.deviceName, yesNo(p.voided), yesNo(p.pending), yesNo(p.duplicateReference)],
});

const openReceipt = (p: PaymentListItem) => openPrint({ kind: 'receipt', paymentId: p.id });

/** Brings the list (under the import) into view, newest payments first. */
function showList() {
  const list = document.querySelector<HTMLElement>('[data-testid="payments-list"]');
  list?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  list?.querySelector<HTMLElement>('[role="grid"]')?.focus({ preventScroll: true });
}
const staffOf = (p: PaymentListItem) => (p.recordedById && p.recordedBy ? ([p.recordedById, p.recordedBy] as const) : null);

/** Every payment on this computer, newest first; a click opens its receipt. */
export function PaymentsSection() {
  const currency = useCurrency();
  const canRecord = useCan('payments.record');
  const [refreshKey, setRefreshKey] = useState(0);
  const imported = () => {
    setRefreshKey((k) => k + 1);
    void useSync.getState().refresh();
  };
  const csv = useMemo(() => csvShape(currency), [currency]);
  const columns = useMemo<Column<PaymentListItem>[]>(
    () => [
      { key: 'when', header: 'Recorded', width: '9.5rem', render: (p) => <span className="nowrap">{formatDateTime(p.recordedAt)}</span> },
      { key: 'receipt', header: 'Receipt', width: '10rem', render: (p) => <span className="receipt-no">{p.receiptNo}</span> },
      studentColumn(),
      {
        key: 'method',
        header: 'Method',
        width: 'minmax(8rem, 1fr)',
        render: (p) => (
          <>
            <span className="cell-main">{METHOD_LABEL[p.method]}</span>
            {p.reference && <span className="sub">Ref. {p.reference}</span>}
          </>
        ),
      },
      amountColumn(`Amount (${currency})`, currency, (p) => p.voided),
      {
        key: 'by',
        header: 'Recorded by',
        width: 'minmax(8rem, 1fr)',
        render: (p) => (
          <>
            <span className="cell-main">{p.recordedBy ?? '—'}</span>
            {p.deviceName && <span className="sub">{p.deviceName}</span>}
          </>
        ),
      },
      { key: 'status', header: <span className="visually-hidden">Status</span>, width: '9rem', render: (p) => <EntryBadges voided={p.voided} pending={p.pending} duplicateReference={p.duplicateReference} /> },
    ],
    [currency],
  );

  return (
    <LedgerListSection
      list="payments"
      title="Payments"
      intro="Every payment recorded, newest first. Click a payment (or highlight it and press Enter) to open its receipt."
      fields={FIELDS}
      columns={columns}
      fetchPage={fetchPayments}
      csv={csv}
      rowKey={(p) => p.id}
      onOpen={openReceipt}
      rowClassName={(p) => (p.voided ? 'is-voided' : undefined)}
      noun={NOUN}
      staffOf={staffOf}
      refreshKey={refreshKey}
    >
      {canRecord && <ImportPayments currency={currency} onRecorded={imported} onShowList={showList} />}
    </LedgerListSection>
  );
}
