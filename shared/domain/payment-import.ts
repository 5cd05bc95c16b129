// Payments from a CSV file (a bank or mobile-money statement the bursar would otherwise retype):
// what the file must look like, and every check that needs only the file. The checks that need
// the store (the student, what is already recorded, the closed day) are core's.
import { z } from 'zod';
import { parseCsv, toCsv, type CsvRecord } from '../csv.js';
import { derivedIdsUnder } from '../ids.js';
import { currencyExponent, DEFAULT_MAX_PAYMENT_MINOR, formatMinor, parseMajorToMinor } from '../money.js';
import { METHODS_WITH_REFERENCE, type PaymentMethod } from './payments.js';

/** The largest file accepted, in characters (a statement of tens of thousands of payments). */
export const PAYMENT_IMPORT_MAX_CHARS = 5 * 1024 * 1024;
/** Payments recorded per SQLite transaction (and per call from the screen, for its progress). */
export const IMPORT_CHUNK_ROWS = 100;
/** Problems listed in one answer; problemCount says how many there are in all. */
export const MAX_PROBLEMS_LISTED = 200;
export const IMPORT_NOTE_MAX = 200;
const REFERENCE_MAX = 64;
const ADMISSION_NO_MAX = 32;

export const IMPORT_COLUMNS = ['admission_no', 'amount', 'method', 'reference', 'note'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ['admission_no', 'amount', 'method'];

/**
 * How a method may be written in the file, besides its own name. Compared without letter case,
 * spaces or punctuation ("M-Pesa" = "mpesa", "Bank transfer" = "bank_transfer"). Kept short on
 * purpose: a word that could mean two methods is better refused than guessed.
 */
export const METHOD_SPELLINGS: Readonly<Record<PaymentMethod, readonly string[]>> = {
  cash: ['cash'],
  bank_transfer: ['bank transfer', 'bank', 'transfer', 'EFT', 'RTGS'],
  mobile_money: ['mobile money', 'mobile', 'MoMo', 'M-Pesa', 'Airtel Money'],
  cheque: ['cheque', 'check', 'chq'],
  card: ['card', 'debit card', 'credit card', 'POS'],
};

const METHOD_WORDS: Readonly<Record<PaymentMethod, string>> = {
  cash: 'cash',
  bank_transfer: 'bank transfer',
  mobile_money: 'mobile money',
  cheque: 'cheque',
  card: 'card',
};

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const METHOD_BY_SPELLING = new Map<string, PaymentMethod>(
  (Object.entries(METHOD_SPELLINGS) as [PaymentMethod, readonly string[]][]).flatMap(([method, words]) => [[squash(method), method] as const, ...words.map((w) => [squash(w), method] as const)]),
);

export function readMethod(text: string): PaymentMethod | null {
  return METHOD_BY_SPELLING.get(squash(text)) ?? null;
}

/** One thing wrong with the file: the line it is on (null: the whole file) and the column. */
export const ImportProblem = z.object({ line: z.int().nullable(), column: z.string().nullable(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;

/** "Line 14, amount: "1,2OO" is not an amount…": a problem as one sentence. */
export function describeProblem(p: ImportProblem): string {
  if (p.line === null) return p.message;
  return p.column === null ? `Line ${p.line}: ${p.message}` : `Line ${p.line}, ${p.column}: ${p.message}`;
}

export const PaymentImportInput = z
  .object({
    fileName: z.string().trim().min(1, { error: 'Name the file.' }).max(200),
    csv: z.string().max(PAYMENT_IMPORT_MAX_CHARS, { error: 'The file is larger than 5 MB. Split it into smaller files and import each.' }),
    /** Check the file against this computer's records and save nothing. */
    dryRun: z.boolean(),
    /** The payments to record, by position in the file (0 = the first payment; blank lines not
     * counted), as [fromRow, toRow). Both absent: the whole file. */
    fromRow: z.int().min(0).optional(),
    toRow: z.int().min(1).optional(),
  })
  .refine((i) => i.fromRow === undefined || i.toRow === undefined || i.fromRow < i.toRow, { path: ['toRow'], error: 'toRow must be after fromRow.' });
export type PaymentImportInput = z.input<typeof PaymentImportInput>;

export const PaymentImportResult = z.object({
  /** Payments in the file (blank lines not counted). */
  totalRows: z.int().nonnegative(),
  /** The amounts that could be read, added up (all of them when there is no problem). */
  totalMinor: z.int().nonnegative(),
  /** The first MAX_PROBLEMS_LISTED problems, in line order; any problem means nothing is recorded. */
  problems: z.array(ImportProblem),
  problemCount: z.int().nonnegative(),
  /** What the bursar should know that is not a problem (ignored columns, shared references). */
  notes: z.array(z.string()),
  recorded: z.int().nonnegative(),
  /** Rows of the range asked that were recorded from this same file before (never twice). */
  alreadyImported: z.int().nonnegative(),
  /** Receipt numbers of the payments recorded by this call, in file order. */
  receipts: z.array(z.string()),
});
export type PaymentImportResult = z.infer<typeof PaymentImportResult>;

/** A row of the file that passed every check the file alone allows. */
export interface ImportRow {
  /** Position among the file's payments, from 0 (blank lines not counted). */
  index: number;
  line: number;
  admissionNo: string;
  amountMinor: number;
  method: PaymentMethod;
  reference: string | null;
}

export interface ReadPaymentFile {
  totalRows: number;
  /** Rows without problems (a file with problems records nothing, but they are still checked
   * against the store so every problem is said at once). */
  rows: ImportRow[];
  problems: ImportProblem[];
  notes: string[];
}

/** Admission numbers are matched without letter case or surrounding spaces. */
export const admissionKey = (admissionNo: string): string => admissionNo.trim().toUpperCase();

/** What makes two payments the same slip for the same student. */
export const slipKey = (method: PaymentMethod, reference: string, admissionNo: string): string => `${method}\u001f${reference}\u001f${admissionKey(admissionNo)}`;

export const methodWords = (method: PaymentMethod): string => METHOD_WORDS[method];

const METHOD_CHOICES = 'cash, bank transfer, mobile money (or M-Pesa), cheque or card';

const REFERENCE_WANTED: Partial<Record<PaymentMethod, string>> = {
  bank_transfer: 'A bank transfer needs its reference: the one on the bank statement.',
  mobile_money: 'A mobile money payment needs its reference: the transaction code from the message.',
  cheque: 'A cheque payment needs its reference: the cheque number.',
};

export type AmountCheck = { ok: true; minor: number } | { ok: false; message: string };

/** An amount as people type it: "1,500.00", "1500", "KES 1 500"; never negative, zero or above the limit. */
export function readImportAmount(raw: string, currency: string): AmountCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'The amount is missing.' };
  const bare = text.replace(new RegExp(`^${currency}\\s*|\\s*${currency}$`, 'i'), '');
  if (/^-|-$|^\(.*\)$/.test(bare)) {
    return { ok: false, message: `"${text}" is negative: import only money received. Record refunds and corrections on their own.` };
  }
  const parsed = parseMajorToMinor(bare, currency);
  const limit = () => `more than the largest single payment this school accepts (${formatMinor(DEFAULT_MAX_PAYMENT_MINOR, currency)}); check for an extra zero`;
  if (!parsed.ok) {
    const exp = currencyExponent(currency);
    const decimals = /^[\d,\s]*\.(\d+)$/.exec(bare)?.[1];
    if (decimals !== undefined && decimals.length > exp) {
      return { ok: false, message: exp === 0 ? `"${text}" has decimals, but ${currency} has no smaller unit: use a whole amount.` : `"${text}" has more than ${exp} decimal places.` };
    }
    if (/^[\d,\s]+(\.\d*)?$/.test(bare)) return { ok: false, message: `"${text}" is ${limit()}.` };
    return { ok: false, message: `"${text}" is not an amount: use digits with at most one decimal point, e.g. 1500 or 1,500.00.` };
  }
  if (parsed.minor === 0) return { ok: false, message: `"${text}" is zero: a payment must be more than zero.` };
  if (parsed.minor > DEFAULT_MAX_PAYMENT_MINOR) return { ok: false, message: `"${text}" is ${limit()}.` };
  return { ok: true, minor: parsed.minor };
}

/** The file's header names, compared without letter case and with spaces as underscores. */
const columnName = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, '_');

const isBlank = (r: CsvRecord) => r.fields.every((f) => f.trim() === '');

/** Spreadsheets set to a comma-decimal language save with semicolons: read the first line's way. */
export function delimiterOf(csv: string): ',' | ';' {
  const firstLine = /^[^\r\n]*/.exec(csv)![0];
  return !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';
}

interface Header {
  at: Map<ImportColumn, number>;
  width: number;
}

function readHeader(record: CsvRecord, problems: ImportProblem[], notes: string[]): Header | null {
  const at = new Map<ImportColumn, number>();
  const ignored: string[] = [];
  const before = problems.length;
  record.fields.forEach((raw, i) => {
    const name = columnName(raw);
    const known = (IMPORT_COLUMNS as readonly string[]).includes(name) ? (name as ImportColumn) : null;
    if (known === null) {
      if (raw.trim() !== '') ignored.push(`"${raw.trim()}"`);
    } else if (at.has(known)) {
      problems.push({ line: record.line, column: known, message: `The column "${known}" is named twice. Keep one of them.` });
    } else at.set(known, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !at.has(c));
  for (const column of missing) {
    problems.push({
      line: record.line,
      column,
      message: `The file has no "${column}" column. The first line must name the columns: admission_no, amount, method, reference (and note if you like), in any order.`,
    });
  }
  if (ignored.length > 0) notes.push(`Ignored the column${ignored.length > 1 ? 's' : ''} ${ignored.join(', ')}: only ${IMPORT_COLUMNS.join(', ')} are read.`);
  return problems.length > before ? null : { at, width: record.fields.length };
}

/** One data row checked on its own; null when it has a problem (pushed onto `problems`). */
function readRow(record: CsvRecord, index: number, header: Header, currency: string, problems: ImportProblem[]): ImportRow | null {
  const { line, fields } = record;
  // More values than columns is how an unquoted "1,200.00" looks: the values after it moved over.
  if (fields.length > header.width) {
    problems.push({
      line,
      column: null,
      message: `This line has ${fields.length} values but the first line names ${header.width} columns. An amount with a thousands comma must be in quotes ("1,200.00"), or written without the comma.`,
    });
    return null;
  }
  const value = (c: ImportColumn) => {
    const i = header.at.get(c);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  const before = problems.length;
  const problem = (column: ImportColumn, message: string) => problems.push({ line, column, message });

  const admissionNo = value('admission_no');
  if (admissionNo === '') problem('admission_no', 'The admission number is missing.');
  else if (admissionNo.length > ADMISSION_NO_MAX) problem('admission_no', `"${admissionNo}" is longer than any admission number (${ADMISSION_NO_MAX} characters at most).`);

  const amount = readImportAmount(value('amount'), currency);
  if (!amount.ok) problem('amount', amount.message);

  const methodText = value('method');
  const method = methodText === '' ? null : readMethod(methodText);
  if (methodText === '') problem('method', `The payment method is missing. Use ${METHOD_CHOICES}.`);
  else if (method === null) problem('method', `"${methodText}" is not a payment method this school records. Use ${METHOD_CHOICES}.`);

  const reference = value('reference');
  if (reference.length > REFERENCE_MAX) {
    problem('reference', `"${reference.slice(0, 20)}…" is longer than ${REFERENCE_MAX} characters: a reference is the code from the slip or message (a description goes in note).`);
  } else if (reference === '' && method !== null && METHODS_WITH_REFERENCE.includes(method)) {
    problem('reference', REFERENCE_WANTED[method]! + (header.at.has('reference') ? '' : ' The file has no reference column: add one.'));
  }
  if (value('note').length > IMPORT_NOTE_MAX) problem('note', `The note is longer than ${IMPORT_NOTE_MAX} characters.`);

  if (problems.length > before || !amount.ok || method === null) return null;
  return { index, line, admissionNo, amountMinor: amount.minor, method, reference: reference === '' ? null : reference };
}

/** The same slip twice for the same student is a problem; one slip for several students
 * (siblings paid together) is allowed and said in a note. */
function checkSlipsInFile(rows: readonly ImportRow[], problems: ImportProblem[], notes: string[]): void {
  const firstLine = new Map<string, number>();
  const studentsBySlip = new Map<string, { reference: string; method: PaymentMethod; lines: number[]; students: Set<string> }>();
  for (const row of rows) {
    if (row.reference === null) continue;
    const key = slipKey(row.method, row.reference, row.admissionNo);
    const earlier = firstLine.get(key);
    if (earlier !== undefined) {
      problems.push({
        line: row.line,
        column: 'reference',
        message: `Line ${earlier} already has this payment: the same ${methodWords(row.method)} reference ${row.reference} for ${row.admissionNo}. Remove one of the two lines.`,
      });
      continue;
    }
    firstLine.set(key, row.line);
    const slip = `${row.method}\u001f${row.reference}`;
    const shared = studentsBySlip.get(slip) ?? { reference: row.reference, method: row.method, lines: [], students: new Set<string>() };
    shared.lines.push(row.line);
    shared.students.add(admissionKey(row.admissionNo));
    studentsBySlip.set(slip, shared);
  }
  for (const s of studentsBySlip.values()) {
    if (s.students.size < 2) continue;
    notes.push(
      `Lines ${s.lines.join(', ')} share the ${methodWords(s.method)} reference ${s.reference} for different students (one payment for several children?). Each is recorded, and shows as a duplicate reference.`,
    );
  }
}

/**
 * Reads a payments file: the header (any order, any letter case, other columns ignored), then
 * every row. Never throws: whatever is wrong is a problem with its line and column.
 */
export function readPaymentFile(csv: string, currency: string): ReadPaymentFile {
  const problems: ImportProblem[] = [];
  const notes: string[] = [];
  const delimiter = delimiterOf(csv.replace(/^\uFEFF/, ''));
  const parsed = parseCsv(csv, delimiter);
  if (!parsed.ok) return { totalRows: 0, rows: [], problems: [{ line: parsed.line, column: null, message: parsed.message }], notes };
  const records = parsed.records.filter((r) => !isBlank(r));
  const [headerRecord, ...data] = records;
  if (!headerRecord) {
    return { totalRows: 0, rows: [], problems: [{ line: null, column: null, message: 'The file is empty. Its first line names the columns (admission_no, amount, method, reference), then one payment per line.' }], notes };
  }
  if (delimiter === ';') notes.push('Read with semicolons between values (the first line has no commas).');
  const header = readHeader(headerRecord, problems, notes);
  if (!header) return { totalRows: data.length, rows: [], problems, notes };
  if (data.length === 0) problems.push({ line: null, column: null, message: 'The file names its columns but has no payments under them.' });

  const rows = data.map((r, i) => readRow(r, i, header, currency, problems)).filter((r): r is ImportRow => r !== null);
  checkSlipsInFile(rows, problems, notes);
  const notesColumn = header.at.get('note');
  if (notesColumn !== undefined && data.some((r) => (r.fields[notesColumn] ?? '').trim() !== '')) {
    notes.push('Notes are checked but not saved: a payment has no note. Keep the file if you need them.');
  }
  return { totalRows: data.length, rows, problems, notes };
}

/** Problems in line order, file-wide ones first. */
export function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/**
 * The file's identity: a SHA-256 of what it records (each row's student, amount, method and
 * reference, in order), not of its bytes, so the same statement saved again by a spreadsheet
 * (other line endings, quoting, column order, amount format, notes) is the same file.
 */
export async function paymentFileDigest(rows: readonly ImportRow[]): Promise<string> {
  const canonical = rows.map((r) => [r.index, admissionKey(r.admissionNo), r.amountMinor, r.method, r.reference ?? ''].join('\u001f')).join('\u001e');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The payment ids of a file's rows, by index: importing the same file again, or retrying a
 * chunk after a crash, meets the payments already made instead of making them twice. */
export function importedPaymentIds(fileDigest: string): (index: number) => string {
  const under = derivedIdsUnder('payment-import', fileDigest);
  return (index) => under(String(index));
}

/** The template offered for download: the header and one example row. */
export const PAYMENT_IMPORT_TEMPLATE = toCsv(IMPORT_COLUMNS, [['KHS/2026/00001', '1500.00', 'mobile_money', 'QK7PL2M9XZ', 'Term 1 fees, paid by her mother']]);
