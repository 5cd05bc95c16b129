import { useMemo } from 'react';
import type { ChargeListItem, TimeCursor } from '../../../../../shared/domain/bursary-views';
import { api } from '../../../api';
import { toMajor } from '../../../lib/money';
import { formatDate, formatDateTime } from '../../../lib/time';
import type { Column } from '../../../lib/VirtualTable';
import { useCurrency } from '../../session/store';
import { EntryBadges } from '../EntryBadges';
import { yesNo, type CsvShape } from './exportRows';
import type { FilterField } from './filter';
import { LedgerListSection, type FetchLedgerPage } from './LedgerListSection';
import { amountColumn, studentColumn } from './columns';

const FIELDS: readonly FilterField[] = ['dates', 'className', 'category'];
const NOUN = ['charge', 'charges'] as const;

const fetchCharges: FetchLedgerPage<ChargeListItem, TimeCursor> = (filter, after, withTotal, limit) =>
  api.invoke('ledger.charges', { filter, after, withTotal, limit });

/** Amounts in the currency's major unit, as numbers a spreadsheet can add up. */
const csvShape = (currency: string): CsvShape<ChargeListItem> => ({
  header: ['Posted at', 'Student', 'Admission no', 'Class', 'Category', 'Description', 'Term', 'Due on', `Amount (${currency})`, 'Posted by', 'Voided', 'Pending sync'],
  cells: (c) => [c.postedAt, c.studentName, c.admissionNo, c.className, c.category, c.description, c.term, c.dueOn, toMajor(c.amountMinor, currency), c.postedBy, yesNo(c.voided), yesNo(c.pending)],
});

/** Every fee charged to a student, newest first. */
export function ChargesSection() {
  const currency = useCurrency();
  const csv = useMemo(() => csvShape(currency), [currency]);
  const columns = useMemo<Column<ChargeListItem>[]>(
    () => [
      { key: 'when', header: 'Posted', width: '9.5rem', render: (c) => <span className="nowrap">{formatDateTime(c.postedAt)}</span> },
      studentColumn(),
      {
        key: 'what',
        header: 'Fee',
        width: 'minmax(9rem, 1.5fr)',
        render: (c) => (
          <>
            <span className="cell-main">{c.category}</span>
            {(c.description || c.term) && <span className="sub">{[c.description, c.term].filter(Boolean).join(' · ')}</span>}
          </>
        ),
      },
      { key: 'due', header: 'Due', width: '7.5rem', render: (c) => <span className="nowrap">{formatDate(c.dueOn)}</span> },
      amountColumn(`Amount (${currency})`, currency, (c) => c.voided),
      { key: 'by', header: 'Posted by', width: 'minmax(7rem, 1fr)', render: (c) => c.postedBy ?? '—' },
      { key: 'status', header: <span className="visually-hidden">Status</span>, width: '6.5rem', render: (c) => <EntryBadges voided={c.voided} pending={c.pending} /> },
    ],
    [currency],
  );

  return (
    <LedgerListSection
      list="charges"
      title="Charges"
      intro="Every fee charged to a student, newest first: from fee structures and charges posted by hand."
      fields={FIELDS}
      columns={columns}
      fetchPage={fetchCharges}
      csv={csv}
      rowKey={(c) => c.id}
      rowClassName={(c) => (c.voided ? 'is-voided' : undefined)}
      noun={NOUN}
    />
  );
}
