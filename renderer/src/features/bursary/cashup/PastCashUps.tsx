import { useCallback } from 'react';
import type { CashUpListItem, TimeCursor } from '../../../../../shared/domain/bursary-views';
import { formatMinor } from '../../../../../shared/money';
import { api } from '../../../api';
import { KeysetList } from '../../../lib/KeysetList';
import { formatDate, formatDateTime } from '../../../lib/time';
import { useKeysetPages } from '../../../lib/useKeysetPages';
import { useCurrency } from '../../session/store';
import { useAfterSync } from '../../sync/useAfterSync';
import { DifferenceText } from './DifferenceText';
import { DataTable, type TableColumn } from '../../../lib/DataTable';

const PAST_COLUMNS: readonly TableColumn[] = [{ label: 'School day' }, { label: 'Bursar' }, { label: 'Expected', num: true }, { label: 'Counted', num: true }, { label: 'Difference', num: true }, { label: 'Note' }];

export const CASHUP_PAGE_SIZE = 100;

/** Closed days, newest first: who, where, expected, counted and the difference. */
export function PastCashUps() {
  const currency = useCurrency();
  const fetchPage = useCallback((after: TimeCursor | null) => api.invoke('cashup.list', { after, limit: CASHUP_PAGE_SIZE }), []);
  const pages = useKeysetPages<CashUpListItem, TimeCursor>(fetchPage);
  // A sync brings other offices' cash-ups and clears "Pending" on this one's: read the list again.
  useAfterSync(() => void pages.refresh());
  return (
    <section className="screen-panel past-cashups" aria-labelledby="past-cashups-title">
      <h2 id="past-cashups-title">Past cash-ups</h2>
      <KeysetList pages={pages} empty="No day has been closed yet." loadingText="Loading past cash-ups…" errorTestId="past-cashups-error">
        <DataTable columns={PAST_COLUMNS} testId="past-cashups">
          <tbody>
            {pages.rows.map((c) => (
              <tr key={c.id} data-testid="past-cashup-row">
                <td className="nowrap">
                  {formatDate(c.businessDate)}
                  <span className="sub">closed {formatDateTime(c.closedAt)}</span>
                </td>
                <td>
                  {c.staffName}
                  {c.deviceName && <span className="sub">{c.deviceName}</span>}
                </td>
                <td className="num">{formatMinor(c.expectedMinor, currency)}</td>
                <td className="num">{formatMinor(c.countedMinor, currency)}</td>
                <td className="num">
                  <DifferenceText minor={c.differenceMinor} currency={currency} />
                </td>
                <td>
                  {c.note}
                  {c.pending && <span className="badge badge-pending">Pending</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      </KeysetList>
    </section>
  );
}
