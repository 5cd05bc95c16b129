import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { LocalDatabase, Student } from '../store/database.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { describeProblem, MAX_PROBLEMS_LISTED } from '../../../shared/domain/payment-import.js';
import { fieldLabel } from '../../../shared/domain/conflict-views.js';
import { studentGuardianId } from '../../../shared/domain/students.js';
import {
  admissionKey,
  classKey,
  phoneKey,
  readStudentFile,
  STUDENT_IMPORT_CHUNK_ROWS,
  type ReadStudentFile,
  type StudentImportInput,
  type StudentImportResult,
  type StudentImportRow,
  type StudentIn,
} from '../../../shared/domain/student-import.js';
import { requireDevice } from '../device/device-state.js';
import { saveRecords, type RecordSave } from './save-records.js';
import { breathe } from './breathe.js';
import { classesByKey, guardiansByPhoneKeys, linksOfStudents, studentsByAdmissionKeys, type ClassMatch } from '../queries/import-students-lookups.js';

type ParsedInput = z.output<typeof StudentImportInput>;

/** One row worked out against the store: what the dry run says, and the records to save. */
interface RowPlan {
  outcome: StudentImportRow;
  student: RecordSave<'students'> | null;
  guardians: RecordSave<'guardians'>[];
  links: RecordSave<'student_guardians'>[];
}

/** Rows a dry run works out between two breaths of the main process (about 20 ms). */
const DRY_RUN_CHUNK_ROWS = 1000;

/** Guardians created by earlier rows of the same run, by phone key: siblings share one. */
type NewGuardians = Map<string, { id: string; name: string; line: number }>;

const unique = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];
const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '(empty)' : String(v));

/** The student fields a row sets: all of them for a new student; for an existing one only the
 * cells that are filled (an empty cell leaves the field as it is). */
function studentValues(row: StudentIn, cls: ClassMatch | null, existing: Student | null): RecordSave<'students'>['values'] {
  const filled = {
    first_name: row.firstName,
    last_name: row.lastName,
    ...(row.middleName !== null ? { middle_name: row.middleName } : {}),
    ...(row.dateOfBirth !== null ? { date_of_birth: row.dateOfBirth } : {}),
    ...(row.gender !== null ? { gender: row.gender } : {}),
    ...(cls !== null ? { class_id: cls.id } : {}),
    ...(row.status !== null ? { status: row.status } : {}),
    ...(row.medicalNotes !== null ? { medical_notes: row.medicalNotes } : {}),
  };
  if (existing) return filled;
  return { admission_no: row.admissionNo, middle_name: null, date_of_birth: null, gender: null, class_id: null, status: 'enrolled', photo_file: null, medical_notes: null, ...filled };
}

function studentChanges(values: RecordSave<'students'>['values'], existing: Student, cls: ClassMatch | null): string[] {
  const changes: string[] = [];
  if (existing.deleted === 1) changes.push('Restored (it had been removed)');
  for (const [field, value] of Object.entries(values)) {
    const old = existing[field as keyof Student];
    if ((old ?? null) === (value ?? null)) continue;
    if (field === 'class_id') changes.push(`Class: ${shown(existing.class_name)} → ${cls?.name ?? '(none)'}`);
    else changes.push(`${fieldLabel(field)}: ${shown(old)} → ${shown(value)}`);
  }
  return changes;
}

/**
 * Works rows out against the store in the caller's transaction: the student by admission number
 * (refused when two students share it), the class by name, each guardian by phone (or, without a
 * phone, among the student's own guardians by name), else a new one. Reads a few queries for all
 * the rows, never one per row.
 */
async function planRows(tx: Transaction<LocalDatabase>, rows: readonly StudentIn[], created: NewGuardians): Promise<RowPlan[]> {
  const students = await studentsByAdmissionKeys(tx, unique(rows.map((r) => admissionKey(r.admissionNo))));
  const classes = await classesByKey(tx);
  const phoneKeys = unique(rows.flatMap((r) => r.guardians.flatMap((g) => (g.phone ? [phoneKey(g.phone)] : []))));
  const byPhone = await guardiansByPhoneKeys(tx, phoneKeys);
  const links = await linksOfStudents(tx, [...students.values()].flat().map((s) => s.id));

  return rows.map((row): RowPlan => {
    const outcome: StudentImportRow = { index: row.index, line: row.line, admissionNo: row.admissionNo, name: `${row.firstName} ${row.lastName}`, action: 'create', changes: [], problems: [] };
    const reject = (column: string, message: string): RowPlan => ({ outcome: { ...outcome, action: 'reject', problems: [{ column, message }] }, student: null, guardians: [], links: [] });
    const matches = students.get(admissionKey(row.admissionNo)) ?? [];
    if (matches.length > 1) {
      return reject('admission_no', `${matches.length} students on this computer have admission number ${row.admissionNo} (${matches.map((m) => `${m.first_name} ${m.last_name}`).join(', ')}). Resolve the duplicate under Conflicts first, then import this line again.`);
    }
    const cls = row.className === null ? null : (classes.get(classKey(row.className)) ?? undefined);
    if (cls === undefined) return reject('class', `No class named "${row.className}" on this computer. Use a class's full name, e.g. "Grade 4 A", or add the class first.`);
    const existing = matches[0] ?? null;
    const studentId = existing?.id ?? uuidv7();
    const values = studentValues(row, cls, existing);
    const changes = existing ? studentChanges(values, existing, cls) : [];

    const own = existing ? (links.get(existing.id) ?? []) : [];
    const guardians: RecordSave<'guardians'>[] = [];
    const linkSaves: RecordSave<'student_guardians'>[] = [];
    for (const g of row.guardians) {
      const key = g.phone ? phoneKey(g.phone) : null;
      const sameName = key ? undefined : own.find((l) => l.name.trim().toLowerCase() === g.name.toLowerCase());
      const found: { id: string; name: string } | undefined = key ? (created.get(key) ?? byPhone.get(key)) : sameName && { id: sameName.guardianId, name: sameName.name };
      const guardianId = found?.id ?? uuidv7();
      if (!found) {
        guardians.push({ id: guardianId, values: { name: g.name, phone: g.phone, alt_phone: null, email: g.email, address: null } });
        if (key) created.set(key, { id: guardianId, name: g.name, line: row.line });
      }
      const linkId = studentGuardianId(studentId, guardianId);
      const link = own.find((l) => l.id === linkId);
      linkSaves.push({ id: linkId, values: { student_id: studentId, guardian_id: guardianId, relationship: g.relationship, pays_fees: g.paysFees } });
      if (!existing) continue;
      const label = `Guardian ${g.slot}`;
      if (!link || link.deleted) changes.push(`${label}: ${found ? `${found.name} (already on this computer)` : `${g.name} (new)`} linked`);
      else {
        if (link.relationship !== g.relationship) changes.push(`${label} relationship: ${link.relationship} → ${g.relationship}`);
        if (link.paysFees !== g.paysFees) changes.push(`${label} pays fees: ${link.paysFees ? 'yes' : 'no'} → ${g.paysFees ? 'yes' : 'no'}`);
      }
    }
    const action = !existing ? 'create' : changes.length > 0 ? 'update' : 'unchanged';
    return { outcome: { ...outcome, action, changes }, student: { id: studentId, values }, guardians, links: linkSaves };
  });
}

function countOf(rows: readonly StudentImportRow[]): StudentImportResult['counts'] {
  const counts = { create: 0, update: 0, unchanged: 0, reject: 0 };
  for (const r of rows) counts[r.action]++;
  return counts;
}

function refuseFile(fileName: string, problems: StudentImportResult['fileProblems']): AppError {
  return new AppError(
    'invalid_input',
    `"${fileName}" was not imported, and nothing was saved: ${describeProblem(problems[0]!)}`,
    problems.slice(0, MAX_PROBLEMS_LISTED).map((p) => ({ path: p.line === null ? 'file' : `line ${p.line}`, message: p.message })),
  );
}

/** The file last read, by its text and day: the screen confirms a file in one call per chunk,
 * and reading a 5,000-row file again for each cost about as much as writing the chunk. Dropped
 * once its last rows are written. */
let lastRead: { csv: string; today: string; file: ReadStudentFile } | null = null;

function readOnce(csv: string, today: string): ReadStudentFile {
  if (lastRead?.csv !== csv || lastRead.today !== today) lastRead = { csv, today, file: readStudentFile(csv, today) };
  return lastRead.file;
}

/**
 * students.importCsv. A dry run reads the whole file, works every row out against this
 * computer's records and saves nothing: what will be created, updated (and which fields), left
 * as it is, or refused and why. Otherwise rows [fromRow, toRow) are written, refused rows
 * skipped, STUDENT_IMPORT_CHUNK_ROWS per transaction, each chunk worked out again inside its
 * transaction and saved through saveRecords (students, then guardians, then their links).
 * Existing admission numbers update, so importing the same file again creates nothing twice.
 */
export async function importStudents(db: Kysely<LocalDatabase>, input: ParsedInput, author: SessionUser): Promise<StudentImportResult> {
  const device = await requireDevice(db);
  const file = readOnce(input.csv, schoolDate(new Date(), device.time_zone));
  const none = { create: 0, update: 0, unchanged: 0, reject: 0 };
  if (file.fileProblems.length > 0) {
    if (!input.dryRun) throw refuseFile(input.fileName, file.fileProblems);
    return { totalRows: file.totalRows, fileProblems: file.fileProblems, counts: none, rows: [], written: { created: 0, updated: 0 } };
  }
  if (input.dryRun) {
    const created: NewGuardians = new Map();
    const plans: RowPlan[] = [];
    for (let start = 0; start < file.rows.length; start += DRY_RUN_CHUNK_ROWS) {
      if (start > 0) await breathe();
      plans.push(...(await db.transaction().execute((tx) => planRows(tx, file.rows.slice(start, start + DRY_RUN_CHUNK_ROWS), created))));
    }
    const rows = [...plans.map((p) => p.outcome), ...file.rejected].sort((a, b) => a.index - b.index);
    return { totalRows: file.totalRows, fileProblems: [], counts: countOf(rows), rows, written: { created: 0, updated: 0 } };
  }
  const from = input.fromRow ?? 0;
  const to = Math.min(input.toRow ?? file.totalRows, file.totalRows);
  if (to === file.totalRows) lastRead = null;
  const inRange = file.rows.filter((r) => r.index >= from && r.index < to);
  const written = { created: 0, updated: 0 };
  const created: NewGuardians = new Map();
  for (let start = 0; start < inRange.length; start += STUDENT_IMPORT_CHUNK_ROWS) {
    if (start > 0) await breathe();
    const chunk = inRange.slice(start, start + STUDENT_IMPORT_CHUNK_ROWS);
    const done = await db.transaction().execute(async (tx) => {
      const plans = (await planRows(tx, chunk, created)).filter((p) => p.outcome.action !== 'reject');
      await saveRecords(tx, 'students', plans.flatMap((p) => (p.student ? [p.student] : [])), author.id);
      await saveRecords(tx, 'guardians', plans.flatMap((p) => p.guardians), author.id);
      await saveRecords(tx, 'student_guardians', plans.flatMap((p) => p.links), author.id);
      return countOf(plans.map((p) => p.outcome));
    });
    written.created += done.create;
    written.updated += done.update;
  }
  return { totalRows: file.totalRows, fileProblems: [], counts: none, rows: [], written };
}
