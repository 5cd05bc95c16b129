import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { Device, LocalDatabase } from '../store/database.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { AppError } from '../../../shared/api/errors.js';
import { formatMinor } from '../../../shared/money.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import {
  admissionKey,
  describeProblem,
  IMPORT_CHUNK_ROWS,
  importedPaymentIds,
  MAX_PROBLEMS_LISTED,
  methodWords,
  paymentFileDigest,
  readPaymentFile,
  sortProblems,
  type ImportProblem,
  type ImportRow,
  type PaymentImportInput,
  type PaymentImportResult,
} from '../../../shared/domain/payment-import.js';
import { requireDevice } from '../device/device-state.js';
import { existingPaymentIds, liveSlipsWithReferences, studentsByAdmissionKey, type LiveSlip } from '../queries/import-lookups.js';
import { assertDayOpen, tillOf } from './closed-day.js';
import { recordPaymentIn } from './record-payment.js';

type ParsedImport = z.output<typeof PaymentImportInput>;

interface FileRow extends ImportRow {
  /** Derived from the file and the row; null while the file has problems of its own (it records nothing then). */
  id: string | null;
}

interface CheckedFile {
  totalRows: number;
  totalMinor: number;
  problems: ImportProblem[];
  notes: string[];
  rows: FileRow[];
  /** Every id the file derives, so its own earlier payments never count as someone else's slip. */
  fileIds: Set<string>;
  /** Ids of rows recorded from this file before. */
  imported: Set<string>;
  /** Each row's student (index → id), for the rows still to record. */
  studentOf: Map<number, string>;
}

const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];
const LINES_LISTED = 20;

function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, LINES_LISTED).join(', ');
  return lines.length > LINES_LISTED ? `${shown} and ${lines.length - LINES_LISTED} more` : shown;
}

/** Live payments of the same slip (method and reference) not made from this file. */
function sameSlip(slips: readonly LiveSlip[], row: ImportRow, fileIds: ReadonlySet<string>): LiveSlip[] {
  return slips.filter((s) => s.method === row.method && s.reference === row.reference && !fileIds.has(s.id));
}

function alreadyRecordedMessage(own: readonly LiveSlip[], row: ImportRow, device: Device): string {
  const first = own[0]!;
  const receipts = own.map((s) => s.receiptNo).join(', ');
  return (
    `Already recorded as receipt ${receipts} (${formatMinor(first.amountMinor, device.currency)} on ${schoolDate(first.recordedAt, device.time_zone)}): ` +
    `the same ${methodWords(row.method)} reference for this student. Remove this line, or void that receipt first if it was a mistake.`
  );
}

/**
 * Everything the store says about the file's rows, in one read transaction: the signed-in
 * bursar's day is open, each student exists once and is enrolled, and no row's slip is already
 * on a live payment for the same student. Rows recorded from this very file before are neither
 * checked again nor problems: they are "already imported".
 */
async function checkAgainstStore(tx: Transaction<LocalDatabase>, rows: FileRow[], device: Device, author: SessionUser, problems: ImportProblem[], notes: string[]) {
  try {
    await assertDayOpen(tx, tillOf(device, author), new Date().toISOString(), 'payments');
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    problems.push({ line: null, column: null, message: err.message });
  }
  const fileIds = new Set(rows.flatMap((r) => (r.id === null ? [] : [r.id])));
  const imported = fileIds.size > 0 ? await existingPaymentIds(tx, [...fileIds]) : new Set<string>();
  const pending = rows.filter((r) => r.id === null || !imported.has(r.id));

  const students = await studentsByAdmissionKey(tx, unique(pending.map((r) => admissionKey(r.admissionNo))));
  const studentOf = new Map<number, string>();
  for (const row of pending) {
    const matches = students.get(admissionKey(row.admissionNo)) ?? [];
    const problem = (message: string) => problems.push({ line: row.line, column: 'admission_no', message });
    if (matches.length === 0) problem(`No student on this computer has admission number "${row.admissionNo}". Check the number, or sync to fetch new students.`);
    else if (matches.length > 1) problem(`${matches.length} students have admission number "${row.admissionNo}" (${matches.map((m) => m.name).join(', ')}). Record this payment by hand, choosing the student.`);
    else if (matches[0]!.status !== 'enrolled') problem(`${matches[0]!.name} (${matches[0]!.admissionNo}) is ${matches[0]!.status}; payments can only be recorded for enrolled students.`);
    else studentOf.set(row.index, matches[0]!.id);
  }

  const withSlip = pending.filter((r) => r.reference !== null && studentOf.has(r.index));
  const slips = await liveSlipsWithReferences(tx, unique(withSlip.map((r) => r.reference!)));
  const othersLines: number[] = [];
  for (const row of withSlip) {
    const same = sameSlip(slips, row, fileIds);
    const own = same.filter((s) => s.studentId === studentOf.get(row.index));
    if (own.length > 0) problems.push({ line: row.line, column: 'reference', message: alreadyRecordedMessage(own, row, device) });
    else if (same.length > 0) othersLines.push(row.line);
  }
  if (othersLines.length > 0) {
    notes.push(`Line${othersLines.length > 1 ? 's' : ''} ${listLines(othersLines)}: the reference is already on another student's payment. Each is recorded, and shows as a duplicate reference.`);
  }
  return { fileIds, imported, studentOf };
}

/** Reads the file, derives its rows' ids, and checks them against the store. */
async function checkFile(db: Kysely<LocalDatabase>, csv: string, device: Device, author: SessionUser): Promise<CheckedFile> {
  const file = readPaymentFile(csv, device.currency);
  const problems = [...file.problems];
  const notes = [...file.notes];
  // Only a file without problems of its own ever records, so only its ids can exist already.
  const digest = file.problems.length === 0 ? await paymentFileDigest(file.rows) : null;
  const idOf = digest === null ? null : importedPaymentIds(digest);
  const rows: FileRow[] = file.rows.map((r) => ({ ...r, id: idOf === null ? null : idOf(r.index) }));
  const found = await db.transaction().execute((tx) => checkAgainstStore(tx, rows, device, author, problems, notes));
  return {
    totalRows: file.totalRows,
    totalMinor: rows.reduce((s, r) => s + r.amountMinor, 0),
    problems: sortProblems(problems),
    notes,
    rows,
    ...found,
  };
}

function refuseFile(fileName: string, problems: readonly ImportProblem[]): AppError {
  const n = problems.length;
  const more = n > 1 ? ` (and ${n - 1} more: check the file again to see them all)` : '';
  return new AppError(
    'invalid_input',
    `"${fileName}" was not imported: it has ${n} problem${n > 1 ? 's' : ''}, so nothing was recorded. ${describeProblem(problems[0]!)}${more}`,
    problems.slice(0, MAX_PROBLEMS_LISTED).map((p) => ({ path: p.line === null ? 'file' : p.column === null ? `line ${p.line}` : `line ${p.line}, ${p.column}`, message: p.message })),
  );
}

/**
 * Records rows [from, to) of a checked file, IMPORT_CHUNK_ROWS per transaction, each through
 * the payment command's own path (receipt number, oldest-due-first allocation, outbox, every
 * rule). A row whose id exists is skipped and counted: a retry after a crash, or the same file
 * twice, never records a payment twice. Each chunk re-reads what it depends on inside its
 * transaction, so a payment pulled or recorded since the check cannot slip through.
 */
async function recordRows(db: Kysely<LocalDatabase>, file: CheckedFile, from: number, to: number, device: Device, author: SessionUser) {
  const receipts: string[] = [];
  let alreadyImported = 0;
  for (let start = from; start < to; start += IMPORT_CHUNK_ROWS) {
    const chunk = file.rows.slice(start, Math.min(start + IMPORT_CHUNK_ROWS, to));
    let current: FileRow | null = null;
    try {
      const done = await db.transaction().execute(async (tx) => {
        const existing = await existingPaymentIds(tx, chunk.map((r) => r.id!));
        const slips = await liveSlipsWithReferences(tx, unique(chunk.flatMap((r) => (r.reference === null ? [] : [r.reference]))));
        const made: string[] = [];
        let skipped = 0;
        for (const row of chunk) {
          current = row;
          if (existing.has(row.id!)) {
            skipped++;
            continue;
          }
          const studentId = file.studentOf.get(row.index);
          // Checked as recorded before, gone now: a refused payment discarded meanwhile.
          if (studentId === undefined) throw new AppError('conflict', 'This payment changed on this computer during the import.');
          const own = sameSlip(slips, row, file.fileIds).filter((s) => s.studentId === studentId);
          if (own.length > 0) throw new AppError('conflict', alreadyRecordedMessage(own, row, device));
          const args = await recordPaymentIn(tx, device, { studentId, amountMinor: row.amountMinor, method: row.method, reference: row.reference ?? undefined }, author, row.id!);
          made.push(args.receiptNo);
        }
        return { made, skipped };
      });
      receipts.push(...done.made);
      alreadyImported += done.skipped;
    } catch (err) {
      if (!(err instanceof AppError) || current === null) throw err;
      const line = (current as FileRow).line;
      const before = receipts.length > 0 ? `Recorded ${receipts.length} payment${receipts.length > 1 ? 's' : ''} from the file, then stopped at` : 'Nothing was recorded: stopped at';
      throw new AppError(err.code, `${before} line ${line}: ${err.message} Check the file again; importing it again records only what is not recorded yet.`);
    }
  }
  return { receipts, alreadyImported };
}

/**
 * payments.importCsv: a dry run checks the whole file against this computer's records and saves
 * nothing; a real run refuses a file with any problem (saving nothing), and otherwise records
 * rows [fromRow, toRow) of it (the whole file by default).
 */
export async function importPayments(db: Kysely<LocalDatabase>, input: ParsedImport, author: SessionUser): Promise<PaymentImportResult> {
  const device = await requireDevice(db);
  const file = await checkFile(db, input.csv, device, author);
  const from = Math.min(input.fromRow ?? 0, file.totalRows);
  const to = Math.min(input.toRow ?? file.totalRows, file.totalRows);
  const answer = {
    totalRows: file.totalRows,
    totalMinor: file.totalMinor,
    problems: file.problems.slice(0, MAX_PROBLEMS_LISTED),
    problemCount: file.problems.length,
    notes: file.notes,
  };
  if (input.dryRun) {
    const alreadyImported = file.rows.filter((r) => r.index >= from && r.index < to && r.id !== null && file.imported.has(r.id)).length;
    return { ...answer, recorded: 0, alreadyImported, receipts: [] };
  }
  if (file.problems.length > 0) throw refuseFile(input.fileName, file.problems);
  const { receipts, alreadyImported } = await recordRows(db, file, from, to, device, author);
  return { ...answer, recorded: receipts.length, alreadyImported, receipts };
}
