import { useMemo } from 'react';
import type { ArrearsListItem, NameCursor } from '../../../../../shared/domain/bursary-views';
import { api } from '../../../api';
import { formatPlain, toMajor } from '../../../lib/money';
import type { Column } from '../../../lib/VirtualTable';
import { useCurrency } from '../../session/store';
import { openPrint } from '../../print/route';
import type { CsvShape } from './exportRows';
import type { FilterField } from './filter';
import { LedgerListSection, type FetchLedgerPage } from './LedgerListSection';
import { studentColumn } from './columns';

const FIELDS: readonly FilterField[] = ['className'];
const NOUN = ['student owing', 'students owing'] as const;

const fetchArrears: FetchLedgerPage<ArrearsListItem, NameCursor> = (filter, after, withTotal, limit) =>
  api.invoke('ledger.arrears', { filter, after, withTotal, limit });

/** Amounts in the currency's major unit, as numbers a spreadsheet can add up. */
const csvShape = (currency: string): CsvShape<ArrearsListItem> => ({
  header: ['Student', 'Admission no', 'Class', 'Guardian phone', `Balance (${currency})`, 'Not yet due', 'Overdue 0-30 days', 'Overdue 31-60 days', 'Overdue 61-90 days', 'Overdue over 90 days'],
  cells: (a) => [a.studentName, a.admissionNo, a.className, a.guardianPhone, toMajor(a.balanceMinor, currency), toMajor(a.notDueMinor, currency), toMajor(a.d0to30Minor, currency), toMajor(a.d31to60Minor, currency), toMajor(a.d61to90Minor, currency), toMajor(a.d90plusMinor, currency)],
});

const openStatement = (a: ArrearsListItem) => openPrint({ kind: 'statement', studentId: a.studentId });

/** Students who owe, by name, with what they owe by how long overdue; a click opens the statement to print. */
export function ArrearsSection() {
  const currency = useCurrency();
  const csv = useMemo(() => csvShape(currency), [currency]);
  const columns = useMemo<Column<ArrearsListItem>[]>(() => {
    const amount = (key: string, header: string, pick: (a: ArrearsListItem) => number, strong = false): Column<ArrearsListItem> => ({
      key,
      header,
      width: '7.5rem',
      numeric: true,
      render: (a) => {
        const v = pick(a);
        if (v === 0) return <span className="muted">–</span>;
        return strong ? <strong>{formatPlain(v, currency)}</strong> : formatPlain(v, currency);
      },
    });
    return [
      studentColumn('minmax(11rem, 2fr)'),
      { key: 'phone', header: 'Guardian phone', width: '9rem', render: (a) => a.guardianPhone ?? '—' },
      amount('balance', `Owes (${currency})`, (a) => a.balanceMinor, true),
      amount('notdue', 'Not yet due', (a) => a.notDueMinor),
      amount('d30', '0–30 days', (a) => a.d0to30Minor),
      amount('d60', '31–60 days', (a) => a.d31to60Minor),
      amount('d90', '61–90 days', (a) => a.d61to90Minor),
      amount('d90plus', 'Over 90 days', (a) => a.d90plusMinor),
    ];
  }, [currency]);

  return (
    <LedgerListSection
      list="arrears"
      title="Arrears"
      intro="Students who owe, by name, with what is overdue by how long. Click a student (or press Enter) to open their statement for printing."
      fields={FIELDS}
      columns={columns}
      fetchPage={fetchArrears}
      csv={csv}
      rowKey={(a) => a.studentId}
      onOpen={openStatement}
      noun={NOUN}
    />
  );
}
