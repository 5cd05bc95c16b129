import { STUDENT_IMPORT_CHUNK_ROWS, type StudentImportResult, type StudentImportRow } from '../../../../../shared/domain/student-import';
import { plural } from '../../../lib/words';

export const TEMPLATE_FILENAME = 'students-import-template.csv';

/**
 * The text of a chosen file, read as UTF-8 with bytes that are not UTF-8 replaced: core then
 * says the file must be saved as CSV UTF-8 (a guess at another encoding could garble names).
 */
export function decodeStudentCsv(bytes: ArrayBuffer | Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

/** The [fromRow, toRow) ranges asked of core one after the other: one transaction's rows each. */
export function writeRanges(totalRows: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let from = 0; from < totalRows; from += STUDENT_IMPORT_CHUNK_ROWS) ranges.push([from, Math.min(from + STUDENT_IMPORT_CHUNK_ROWS, totalRows)]);
  return ranges;
}

/** "3 new students, 12 updated, 40 unchanged, 2 refused". */
export function countsText(counts: StudentImportResult['counts']): string {
  const parts = [plural(counts.create, 'new student'), `${counts.update.toLocaleString('en')} updated`, `${counts.unchanged.toLocaleString('en')} unchanged`];
  if (counts.reject > 0) parts.push(`${counts.reject.toLocaleString('en')} refused`);
  return parts.join(', ');
}

/** Rows that will be written when the user confirms. */
export const toWrite = (counts: StudentImportResult['counts']): number => counts.create + counts.update;

/** What the dry-run table says about a row in its last column. */
export function rowDetail(row: StudentImportRow): string {
  if (row.action === 'reject') return row.problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join(' ');
  if (row.action === 'update') return row.changes.join('; ');
  return row.action === 'create' ? 'New student' : 'Nothing changes';
}

export const ACTION_LABEL: Record<StudentImportRow['action'], string> = { create: 'Create', update: 'Update', unchanged: 'Unchanged', reject: 'Refused' };

export interface WriteProgress {
  done: number;
  created: number;
  updated: number;
}

export type WriteRange = (fromRow: number, toRow: number) => Promise<StudentImportResult>;

/**
 * Writes a checked file range by range, telling `onProgress` after each; `stopped()` is asked
 * before each call. What was written stays written (importing again updates, never duplicates).
 */
export async function writeFile(totalRows: number, writeRange: WriteRange, onProgress: (p: WriteProgress) => void, stopped: () => boolean = () => false): Promise<WriteProgress & { stopped: boolean }> {
  const progress: WriteProgress = { done: 0, created: 0, updated: 0 };
  for (const [from, to] of writeRanges(totalRows)) {
    if (stopped()) return { ...progress, stopped: true };
    const r = await writeRange(from, to);
    progress.created += r.written.created;
    progress.updated += r.written.updated;
    progress.done = to;
    onProgress({ ...progress });
  }
  return { ...progress, stopped: false };
}
