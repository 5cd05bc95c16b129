import { IMPORT_CHUNK_ROWS, type PaymentImportResult } from '../../../../../shared/domain/payment-import';
import { formatMinor } from '../../../../../shared/money';
import { plural } from '../../../lib/words';

export const TEMPLATE_FILENAME = 'payments-import-template.csv';

/** A long file is recorded in at most this many calls, so its fixed cost per call (reading and
 * checking the whole file again) stays small next to the recording. */
const MAX_CALLS = 50;

/**
 * The text of a chosen file: UTF-8 (a BOM dropped), or, when it is not valid UTF-8, Windows-1252,
 * as spreadsheets on Windows save "CSV" (names with accents would otherwise come out garbled).
 */
export function decodeCsvBytes(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The [fromRow, toRow) ranges asked of core one after the other: IMPORT_CHUNK_ROWS each, or a
 * multiple of it for a long file. */
export function callRanges(totalRows: number): [number, number][] {
  const size = Math.max(IMPORT_CHUNK_ROWS, Math.ceil(totalRows / MAX_CALLS / IMPORT_CHUNK_ROWS) * IMPORT_CHUNK_ROWS);
  const ranges: [number, number][] = [];
  for (let from = 0; from < totalRows; from += size) ranges.push([from, Math.min(from + size, totalRows)]);
  return ranges;
}

/** Payments of a checked file not recorded from it before. */
export const toRecord = (checked: PaymentImportResult): number => checked.totalRows - checked.alreadyImported;

/** "312 payments, KES 1,234,500.00 in all". */
export function summaryText(checked: PaymentImportResult, currency: string): string {
  return `${plural(checked.totalRows, 'payment')}, ${formatMinor(checked.totalMinor, currency)} in all`;
}

/** "Record 312 payments". */
export const recordLabel = (n: number): string => `Record ${plural(n, 'payment')}`;

/** "Recorded 200 of 312". */
export const progressText = (done: number, total: number): string => `Recorded ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`;

/** "receipts KHS-D1-000101 to KHS-D1-000412" (or the one receipt). */
export function receiptRange(receipts: readonly string[]): string {
  if (receipts.length === 0) return '';
  return receipts.length === 1 ? `receipt ${receipts[0]}` : `receipts ${receipts[0]} to ${receipts.at(-1)}`;
}

export interface ImportProgress {
  /** Rows done so far: recorded now, or found recorded before. */
  done: number;
  recorded: number;
  alreadyImported: number;
  receipts: string[];
}

/** One call to core for a range of the file (payments.importCsv with dryRun false). */
export type RecordRange = (fromRow: number, toRow: number) => Promise<PaymentImportResult>;

/**
 * Records a checked file range by range, telling `onProgress` after each. `stopped()` is asked
 * before each call; a stopped or failed run keeps what it recorded (the next import of the file
 * skips it). Returns what was done; a failure is thrown with the progress so far attached.
 */
export async function recordFile(totalRows: number, recordRange: RecordRange, onProgress: (p: ImportProgress) => void, stopped: () => boolean = () => false): Promise<ImportProgress & { stopped: boolean }> {
  const progress: ImportProgress = { done: 0, recorded: 0, alreadyImported: 0, receipts: [] };
  for (const [from, to] of callRanges(totalRows)) {
    if (stopped()) return { ...progress, stopped: true };
    try {
      const r = await recordRange(from, to);
      progress.recorded += r.recorded;
      progress.alreadyImported += r.alreadyImported;
      progress.receipts.push(...r.receipts);
      progress.done = to;
    } catch (err) {
      throw new ImportStopped(err, { ...progress });
    }
    onProgress({ ...progress });
  }
  return { ...progress, stopped: false };
}

/** A refusal part-way through, with what was recorded before it. */
export class ImportStopped extends Error {
  constructor(
    readonly error: unknown,
    readonly progress: ImportProgress,
  ) {
    super('The import stopped part-way.');
  }
}
