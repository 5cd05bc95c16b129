// Students and guardians from a CSV file (a register kept in a spreadsheet, another system's
// export, or this app's own export): the columns, the file's own checks (encoding, quoting,
// columns, every value), and the shape of a dry run's answer. Checks that need the store (classes,
// existing admission numbers, guardians by phone) are core's.
import { z } from 'zod';
import { parseCsv, toCsv, type CsvRecord } from '../csv.js';
import { delimiterOf, ImportProblem } from './payment-import.js';
import { AdmissionNo, GENDERS, Phone, StudentCursor, StudentFilter, STUDENT_STATUSES, type Gender, type StudentStatus } from './students.js';

/** The largest file accepted, in characters (a whole school of tens of thousands of students). */
export const STUDENT_IMPORT_MAX_CHARS = 8 * 1024 * 1024;
/** Rows written per SQLite transaction (and per call from the screen, for its progress). */
export const STUDENT_IMPORT_CHUNK_ROWS = 200;

export const GUARDIAN_SLOTS = [1, 2] as const;
export type GuardianSlot = (typeof GUARDIAN_SLOTS)[number];
const GUARDIAN_PARTS = ['name', 'relationship', 'phone', 'email', 'pays_fees'] as const;
type GuardianPart = (typeof GUARDIAN_PARTS)[number];
const guardianColumn = (slot: GuardianSlot, part: GuardianPart) => `guardian${slot}_${part}`;

export const STUDENT_COLUMNS = ['admission_no', 'first_name', 'middle_name', 'last_name', 'date_of_birth', 'gender', 'class', 'status', 'medical_notes'] as const;
export const STUDENT_IMPORT_COLUMNS: readonly string[] = [...STUDENT_COLUMNS, ...GUARDIAN_SLOTS.flatMap((slot) => GUARDIAN_PARTS.map((p) => guardianColumn(slot, p)))];
const REQUIRED_COLUMNS = ['admission_no', 'first_name', 'last_name'];

export const StudentImportInput = z
  .object({
    fileName: z.string().trim().min(1, { error: 'Name the file.' }).max(200),
    csv: z.string().max(STUDENT_IMPORT_MAX_CHARS, { error: 'The file is larger than 8 MB. Split it into smaller files and import each.' }),
    /** Check the file against this computer's records and save nothing. */
    dryRun: z.boolean(),
    /** The rows to write, by position among the file's students (0 = the first), as [fromRow, toRow). */
    fromRow: z.int().min(0).optional(),
    toRow: z.int().min(1).optional(),
  })
  .refine((i) => i.fromRow === undefined || i.toRow === undefined || i.fromRow < i.toRow, { path: ['toRow'], error: 'toRow must be after fromRow.' });
export type StudentImportInput = z.input<typeof StudentImportInput>;

export const IMPORT_ACTIONS = ['create', 'update', 'unchanged', 'reject'] as const;
export const ImportAction = z.enum(IMPORT_ACTIONS);
export type ImportAction = z.infer<typeof ImportAction>;

/** What the dry run says about one row: what will happen, the fields that change, or why not. */
export const StudentImportRow = z.object({
  index: z.int(),
  line: z.int(),
  admissionNo: z.string(),
  name: z.string(),
  action: ImportAction,
  changes: z.array(z.string()),
  problems: z.array(z.object({ column: z.string().nullable(), message: z.string() })),
});
export type StudentImportRow = z.infer<typeof StudentImportRow>;

export const StudentImportResult = z.object({
  totalRows: z.int().nonnegative(),
  /** Problems with the whole file (encoding, quoting, columns): nothing can be imported. */
  fileProblems: z.array(ImportProblem),
  counts: z.object({ create: z.int(), update: z.int(), unchanged: z.int(), reject: z.int() }),
  /** Every row (dry run only; a write answers with its counts). */
  rows: z.array(StudentImportRow),
  /** What this call wrote. */
  written: z.object({ created: z.int(), updated: z.int() }),
});
export type StudentImportResult = z.infer<typeof StudentImportResult>;

export interface GuardianIn {
  slot: GuardianSlot;
  name: string;
  relationship: string;
  phone: string | null;
  email: string | null;
  paysFees: boolean;
}

/** A row whose values all passed the file's own checks. Empty optional cells are null: they
 * leave an existing student's field as it is. */
export interface StudentIn {
  index: number;
  line: number;
  admissionNo: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  dateOfBirth: string | null;
  gender: Gender | null;
  className: string | null;
  status: StudentStatus | null;
  medicalNotes: string | null;
  guardians: GuardianIn[];
}

export interface ReadStudentFile {
  totalRows: number;
  fileProblems: ImportProblem[];
  rows: StudentIn[];
  /** Rows refused by the file's own checks, with why. */
  rejected: StudentImportRow[];
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
const COLUMN_BY_SQUASHED = new Map(STUDENT_IMPORT_COLUMNS.map((c) => [squash(c), c]));

/** Admission numbers are matched without letter case or surrounding spaces. */
export const admissionKey = (admissionNo: string): string => admissionNo.trim().toUpperCase();
/** Class names are matched without letter case or extra spaces ("grade 4  a" = "Grade 4 A"). */
export const classKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toUpperCase();
/** Phones are matched on their digits (and a leading +), however they are spaced. */
export const phoneKey = (phone: string): string => phone.replace(/[\s()-]/g, '');

const SAVE_AS_UTF8 = 'Open it in your spreadsheet program and save it as "CSV UTF-8 (comma delimited)", then choose it again.';

/** Text that did not come from a UTF-8 file, as the screen decodes it (UTF-8, bad bytes replaced). */
export function encodingProblem(text: string): string | null {
  if (text.includes('\u0000')) return `The file looks like UTF-16 ("Unicode text") or is not a text file at all: it contains NUL bytes. ${SAVE_AS_UTF8}`;
  if (text.includes('\uFFFD')) return `The file is not UTF-8 (probably Windows-1252 or Latin-1), so names with letters like é or ñ would be garbled. ${SAVE_AS_UTF8}`;
  const mojibake = /Ã[\u0080-\u00BF]|Â[\u00A0-\u00BF]|â€/.exec(text);
  if (mojibake) return `The file has garbled letters (such as "${mojibake[0]}" where "é" or "’" was meant): it was converted between encodings twice. Fix the names and ${SAVE_AS_UTF8.charAt(0).toLowerCase()}${SAVE_AS_UTF8.slice(1)}`;
  return null;
}

const GENDER_WORDS: Record<string, Gender> = { f: 'female', female: 'female', girl: 'female', m: 'male', male: 'male', boy: 'male', other: 'other' };
const YES = new Set(['yes', 'y', 'true', '1']);
const EMAIL = z.email().max(120);
const NO = new Set(['no', 'n', 'false', '0']);

/** A date of birth as YYYY-MM-DD: a real calendar day, not in the future, not before 1900. */
export function readBirthDate(text: string, today: string): { ok: true; date: string } | { ok: false; message: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return { ok: false, message: `"${text}" is not a date this import reads: write it as YYYY-MM-DD, e.g. 2015-03-24.` };
  const d = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || !d.toISOString().startsWith(text)) return { ok: false, message: `${text} is not a date in the calendar.` };
  if (text > today) return { ok: false, message: `${text} is in the future.` };
  if (text < '1900-01-01') return { ok: false, message: `${text} is not a plausible date of birth.` };
  return { ok: true, date: text };
}

interface Header {
  at: Map<string, number>;
  width: number;
}

function readHeader(record: CsvRecord): { header: Header | null; problems: ImportProblem[] } {
  const at = new Map<string, number>();
  const unknown: string[] = [];
  const twice: string[] = [];
  record.fields.forEach((raw, i) => {
    if (raw.trim() === '') return;
    const known = COLUMN_BY_SQUASHED.get(squash(raw));
    if (!known) unknown.push(`"${raw.trim()}"`);
    else if (at.has(known)) twice.push(known);
    else at.set(known, i);
  });
  const problems: ImportProblem[] = [];
  const line = record.line;
  if (unknown.length > 0) {
    problems.push({ line, column: null, message: `The column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not read by this import. Rename or remove ${unknown.length > 1 ? 'them' : 'it'}; the columns are ${STUDENT_IMPORT_COLUMNS.join(', ')}.` });
  }
  for (const c of [...new Set(twice)]) problems.push({ line, column: c, message: `The column "${c}" is named twice. Keep one of them.` });
  const missing = REQUIRED_COLUMNS.filter((c) => !at.has(c));
  if (missing.length > 0) problems.push({ line, column: null, message: `The file has no ${missing.map((c) => `"${c}"`).join(', ')} column${missing.length > 1 ? 's' : ''}. The first line must name the columns (download the template to see them).` });
  return { header: problems.length > 0 ? null : { at, width: record.fields.length }, problems };
}

type RowProblem = StudentImportRow['problems'][number];

function readGuardian(slot: GuardianSlot, value: (c: string) => string, problems: RowProblem[]): GuardianIn | null {
  const v = (p: GuardianPart) => value(guardianColumn(slot, p));
  if (GUARDIAN_PARTS.every((p) => v(p) === '')) return null;
  const before = problems.length;
  const problem = (p: GuardianPart, message: string) => problems.push({ column: guardianColumn(slot, p), message });
  const name = v('name');
  if (name === '') problem('name', `Guardian ${slot} has details but no name.`);
  else if (name.length > 120) problem('name', 'A guardian’s name can have at most 120 characters.');
  const relationship = v('relationship');
  if (relationship === '') problem('relationship', `Say how guardian ${slot} is related, e.g. "Mother".`);
  else if (relationship.length > 40) problem('relationship', 'The relationship can have at most 40 characters.');
  const phone = v('phone');
  if (phone !== '' && !Phone.safeParse(phone).success) problem('phone', `"${phone}" is not a phone number: use digits, optionally starting with +, e.g. +254 712 345 678.`);
  const email = v('email');
  if (email !== '' && !EMAIL.safeParse(email).success) problem('email', `"${email}" is not an email address.`);
  const pays = v('pays_fees').toLowerCase();
  if (pays !== '' && !YES.has(pays) && !NO.has(pays)) problem('pays_fees', `"${v('pays_fees')}" is not yes or no.`);
  if (problems.length > before) return null;
  return { slot, name, relationship, phone: phone === '' ? null : phone.replace(/\s+/g, ' '), email: email === '' ? null : email, paysFees: pays === '' ? slot === 1 : YES.has(pays) };
}

function readRow(record: CsvRecord, index: number, header: Header, today: string): { row: StudentIn | null; problems: RowProblem[] } {
  const { fields } = record;
  const problems: RowProblem[] = [];
  if (fields.length > header.width) {
    problems.push({ column: null, message: `This line has ${fields.length} values but the first line names ${header.width} columns. A value with a comma must be in quotes.` });
    return { row: null, problems };
  }
  const value = (c: string) => {
    const i = header.at.get(c);
    return i === undefined ? '' : cellText(fields[i]);
  };
  const problem = (column: string, message: string) => problems.push({ column, message });
  const text = (column: string, max: number, what: string) => {
    const v = value(column);
    if (v.length > max) problem(column, `The ${what} can have at most ${max} characters.`);
    return v === '' ? null : v;
  };

  const admissionNo = value('admission_no');
  if (admissionNo === '') problem('admission_no', 'The admission number is missing.');
  else if (!AdmissionNo.safeParse(admissionNo).success) problem('admission_no', `"${admissionNo}" is not an admission number: 1 to 32 letters, digits, spaces, dots, dashes or slashes.`);
  const firstName = value('first_name');
  if (firstName === '') problem('first_name', 'The first name is missing.');
  else if (firstName.length > 80) problem('first_name', 'The first name can have at most 80 characters.');
  const lastName = value('last_name');
  if (lastName === '') problem('last_name', 'The last name is missing.');
  else if (lastName.length > 80) problem('last_name', 'The last name can have at most 80 characters.');
  const middleName = text('middle_name', 80, 'middle name');

  const dobText = value('date_of_birth');
  const dob = dobText === '' ? null : readBirthDate(dobText, today);
  if (dob && !dob.ok) problem('date_of_birth', dob.message);

  const genderText = value('gender');
  const gender = genderText === '' ? null : (GENDER_WORDS[genderText.toLowerCase()] ?? undefined);
  if (gender === undefined) problem('gender', `"${genderText}" is not one of ${GENDERS.join(', ')} (or F, M).`);

  const statusText = value('status').toLowerCase();
  const status = statusText === '' ? null : (STUDENT_STATUSES as readonly string[]).includes(statusText) ? (statusText as StudentStatus) : undefined;
  if (status === undefined) problem('status', `"${value('status')}" is not one of ${STUDENT_STATUSES.join(', ')}.`);

  const className = text('class', 60, 'class name');
  const medicalNotes = text('medical_notes', 2000, 'medical notes');
  const guardians = GUARDIAN_SLOTS.map((slot) => readGuardian(slot, value, problems)).filter((g): g is GuardianIn => g !== null);
  if (guardians.length === 2 && guardians[0]!.phone && guardians[0]!.phone === guardians[1]!.phone) {
    problem('guardian2_phone', 'Guardian 2 has the same phone as guardian 1: a guardian is matched by phone, so give one phone to one person.');
  }

  if (problems.length > 0) return { row: null, problems };
  return {
    row: { index, line: record.line, admissionNo, firstName, middleName, lastName, dateOfBirth: dob && dob.ok ? dob.date : null, gender: gender ?? null, className, status: status ?? null, medicalNotes, guardians },
    problems,
  };
}

/** A cell as written, without surrounding spaces or the apostrophe exports put before a leading
 * + - = @ so spreadsheets do not run it as a formula ("'+254 712…" is the phone "+254 712…"). */
const cellText = (raw: string | undefined) => (raw ?? '').trim().replace(/^'(?=[=+\-@])/, '');

const isBlank = (r: CsvRecord) => r.fields.every((f) => f.trim() === '');

/** The file's records: parsed with the delimiter its first line uses, blank lines dropped. */
function records(csv: string): { ok: true; header: CsvRecord | undefined; data: CsvRecord[] } | { ok: false; problem: ImportProblem } {
  const parsed = parseCsv(csv, delimiterOf(csv.replace(/^\uFEFF/, '')));
  if (!parsed.ok) return { ok: false, problem: { line: parsed.line, column: null, message: parsed.message } };
  const [header, ...data] = parsed.records.filter((r) => !isBlank(r));
  return { ok: true, header, data };
}

const rowName = (first: string, last: string) => `${first} ${last}`.trim();

/**
 * Reads a students file: its encoding, its quoting, the header (any order, names compared without
 * letter case, spaces or punctuation), then every row on its own. A row with a problem is refused
 * with each problem named (the others can still be imported); a problem with the file itself
 * refuses the whole file. A later row with an admission number an earlier row has is refused.
 * Never throws.
 */
export function readStudentFile(csv: string, today: string): ReadStudentFile {
  const empty = (problem: ImportProblem, totalRows = 0): ReadStudentFile => ({ totalRows, fileProblems: [problem], rows: [], rejected: [] });
  const encoding = encodingProblem(csv);
  if (encoding) return empty({ line: null, column: null, message: encoding });
  const read = records(csv);
  if (!read.ok) return empty(read.problem);
  if (!read.header) return empty({ line: null, column: null, message: 'The file is empty. Its first line names the columns (admission_no, first_name, last_name, …), then one student per line.' });
  const { header, problems } = readHeader(read.header);
  if (!header) return { totalRows: read.data.length, fileProblems: problems, rows: [], rejected: [] };
  if (read.data.length === 0) return empty({ line: null, column: null, message: 'The file names its columns but has no students under them.' });

  const rows: StudentIn[] = [];
  const rejected: StudentImportRow[] = [];
  const firstLine = new Map<string, number>();
  read.data.forEach((record, index) => {
    const { row, problems: rowProblems } = readRow(record, index, header, today);
    const cell = (c: string) => cellText(record.fields[header.at.get(c) ?? -1]);
    if (row) {
      const earlier = firstLine.get(admissionKey(row.admissionNo));
      if (earlier === undefined) {
        firstLine.set(admissionKey(row.admissionNo), row.line);
        rows.push(row);
        return;
      }
      rowProblems.push({ column: 'admission_no', message: `Line ${earlier} already has admission number ${row.admissionNo}. Keep one of the two lines, or give one student another number.` });
    }
    rejected.push({ index, line: record.line, admissionNo: cell('admission_no'), name: rowName(cell('first_name'), cell('last_name')), action: 'reject', changes: [], problems: rowProblems });
  });
  return { totalRows: read.data.length, fileProblems: [], rows, rejected };
}

/** The rejected rows of a file as CSV, as they were, with a last column saying why: fix them
 * there and import that file. */
export function rejectedRowsCsv(csv: string, rejected: readonly StudentImportRow[]): string {
  const read = records(csv);
  if (!read.ok || !read.header) return '';
  const why = new Map(rejected.filter((r) => r.action === 'reject').map((r) => [r.line, r.problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join(' ')]));
  return toCsv(
    [...read.header.fields, 'problem'],
    read.data.filter((r) => why.has(r.line)).map((r) => [...r.fields, why.get(r.line)!]),
  );
}

/** The template offered for download: the header and two siblings sharing their mother. */
export const STUDENT_IMPORT_TEMPLATE = toCsv(STUDENT_IMPORT_COLUMNS, [
  ['KHS/2026/00101', 'Amina', 'Wanjiru', 'Achieng', '2015-03-24', 'female', 'Grade 4 A', 'enrolled', 'Asthma: inhaler in the office', 'Grace Achieng', 'Mother', '+254 712 345 678', 'grace@example.com', 'yes', 'Peter Achieng', 'Father', '+254 722 000 111', '', 'no'],
  ['KHS/2026/00102', 'Brian', '', 'Achieng', '2017-07-02', 'male', 'Grade 2 B', 'enrolled', '', 'Grace Achieng', 'Mother', '+254 712 345 678', 'grace@example.com', 'yes', '', '', '', '', ''],
]);

export const STUDENT_EXPORT_PAGE_MAX = 1000;

/** A page of the students list for the export: the list's filter and order, every column. */
export const StudentExportInput = StudentFilter.extend({
  after: StudentCursor.nullable().default(null),
  limit: z.int().min(1).max(STUDENT_EXPORT_PAGE_MAX).default(STUDENT_EXPORT_PAGE_MAX),
});
export type StudentExportInput = z.input<typeof StudentExportInput>;

/** Each row keyed by STUDENT_IMPORT_COLUMNS (a missing guardian's cells are absent). */
export const StudentExportPage = z.object({ rows: z.array(z.record(z.string(), z.string())), next: StudentCursor.nullable() });
export type StudentExportPage = z.infer<typeof StudentExportPage>;
