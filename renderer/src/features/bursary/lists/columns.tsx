import { formatPlain } from '../../../lib/money';
import type { Column } from '../../../lib/VirtualTable';

interface StudentCells {
  studentName: string;
  admissionNo: string;
  className: string | null;
}

/** Whose entry it is: the name, with admission number and class under it, as on every ledger list. */
export function studentColumn<Row extends StudentCells>(width = 'minmax(10rem, 2fr)'): Column<Row> {
  return {
    key: 'student',
    header: 'Student',
    width,
    render: (r) => (
      <>
        <span className="cell-main">{r.studentName}</span>
        <span className="sub">
          {r.admissionNo} · {r.className ?? 'No class'}
        </span>
      </>
    ),
  };
}

/** An entry's amount without the currency (the heading names it), struck through once it is voided. */
export function amountColumn<Row extends { amountMinor: number }>(header: string, currency: string, voided: (r: Row) => boolean, width = '8.5rem'): Column<Row> {
  return {
    key: 'amount',
    header,
    width,
    numeric: true,
    render: (r) => <span className={voided(r) ? 'struck' : undefined}>{formatPlain(r.amountMinor, currency)}</span>,
  };
}
