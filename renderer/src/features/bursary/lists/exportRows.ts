import { toCsv } from '../../../../../shared/csv';
import type { RowsPage } from '../../../lib/usePagedRows';

/** Rows per request while exporting: the most a list answers at once. */
export const EXPORT_PAGE_SIZE = 1000;

export type CsvCell = string | number | boolean | null | undefined;

export interface CsvShape<Row> {
  header: readonly string[];
  cells(row: Row): readonly CsvCell[];
}

/** Asks for one export page: `limit` rows after `after`, the total with the first. */
export type FetchExportPage<Row, Cursor> = (after: Cursor | null, withTotal: boolean, limit: number) => Promise<RowsPage<Row, Cursor>>;

/**
 * Pages through a whole list (the same filter the screen shows) and builds its CSV.
 * `onProgress(done, total)` is told after every page; `cancelled()` is asked before each
 * request, and a cancelled export answers null.
 */
export async function exportCsv<Row, Cursor>(
  fetchPage: FetchExportPage<Row, Cursor>,
  shape: CsvShape<Row>,
  onProgress: (done: number, total: number | null) => void,
  cancelled: () => boolean = () => false,
): Promise<string | null> {
  const lines: (readonly CsvCell[])[] = [];
  let after: Cursor | null = null;
  let total: number | null = null;
  for (let first = true; ; first = false) {
    if (cancelled()) return null;
    const page: RowsPage<Row, Cursor> = await fetchPage(after, first, EXPORT_PAGE_SIZE);
    if (first) total = page.total;
    for (const row of page.rows) lines.push(shape.cells(row));
    onProgress(lines.length, total === null ? null : Math.max(total, lines.length));
    if (page.next === null || page.rows.length === 0) break;
    after = page.next;
  }
  return toCsv(shape.header, lines);
}

/** "Exported 12,000 of 48,000 rows". */
export function progressText(done: number, total: number | null): string {
  const n = (x: number) => x.toLocaleString('en');
  return total === null ? `Exported ${n(done)} rows` : `Exported ${n(done)} of ${n(total)} rows`;
}

/** "payments-2026-05-02.csv": what the list is and the day it was taken. */
export function exportFilename(list: string, today: string): string {
  return `${list}-${today}.csv`;
}

/** "Yes" / "No": how a spreadsheet reader expects a flag. */
export const yesNo = (flag: boolean): string => (flag ? 'Yes' : 'No');
