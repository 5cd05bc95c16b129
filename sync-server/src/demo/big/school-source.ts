// The rows of a large, realistic school, deterministically from a seed: classes, families
// (guardians and their links), students, a year of fee charges, payments over the year and
// morning registers with their marks. One source, two sinks: the bench writes the rows into a
// device's SQLite file (tests/bench/generate-school.ts) and `npm run seed` into the sync
// server's tables (seed-big-school.ts). Pure: imports only shared/ and its own lists, so both
// sinks get the same rows, in the same (server) order, byte for byte.
import { attendanceSessionId, type AttendanceRecordRow, type AttendanceSessionRow, type AttendanceStatus } from '../../../../shared/domain/attendance.js';
import type { ClassRow } from '../../../../shared/domain/classes.js';
import type { ChargeRow, FeeCategoryRow } from '../../../../shared/domain/fees.js';
import type { PaymentMethod, PaymentRow } from '../../../../shared/domain/payments.js';
import { EMPTY_META } from '../../../../shared/domain/records.js';
import type { DeviceRow } from '../../../../shared/domain/staff.js';
import type { GuardianRow, StudentGuardianRow, StudentRow } from '../../../../shared/domain/students.js';
import { guardianPhones, STUDENT_PROFILE_DEFAULTS, studentGuardianId } from '../../../../shared/domain/students.js';
import type { TermRow } from '../../../../shared/domain/terms.js';
import { derivedIdsUnder } from '../../../../shared/ids.js';
import type { SyncedTable } from '../../../../shared/sync/protocol.js';
import { CLERKS, FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE, LEVELS, STREAMS } from './names.js';
import { Prng, WeightedPicker, zipfWeights } from './prng.js';

export interface SchoolParams {
  students: number;
  payments: number;
  /** Attendance marks to write (about: whole registers are taken); default 20 per student. */
  attendance?: number;
  seed: number;
}

export const ATTENDANCE_PER_STUDENT = 20;

export function attendanceTarget(params: SchoolParams): number {
  return params.attendance ?? params.students * ATTENDANCE_PER_STUDENT;
}

/** What the source wrote, filled in as it goes (complete once the generator is exhausted). */
export interface SchoolSummary {
  students: number;
  withdrawn: number;
  classes: number;
  guardians: number;
  guardianLinks: number;
  charges: number;
  payments: number;
  attendanceSessions: number;
  attendanceRecords: number;
  /** The next receipt number of each office device's series. */
  nextReceiptNo: Record<string, number>;
  largestClass: { name: string; size: number };
}

export interface RowBatch {
  table: SyncedTable;
  rows: readonly ({ id: string } & Record<string, unknown>)[];
}

export const SCHOOL = { id: 'school-bench', name: 'Kilimani Hills School', currency: 'KES', timeZone: 'Africa/Nairobi' };

/** The school's office devices; the first is the one the benchmark is enrolled as. */
export const OFFICE_DEVICES: (DeviceRow & { share: number; clerk: string })[] = [
  { id: '0190d000-0000-7000-8000-000000000001', name: 'Bursar PC', profile: 'office', receipt_series: 'KHS-D1', enrolled_at: '2024-12-02T07:10:00.000Z', revoked_at: null, share: 0.55, clerk: CLERKS[0]! },
  { id: '0190d000-0000-7000-8000-000000000002', name: 'Accounts PC', profile: 'office', receipt_series: 'KHS-D2', enrolled_at: '2024-12-02T07:25:00.000Z', revoked_at: null, share: 0.35, clerk: CLERKS[1]! },
  { id: '0190d000-0000-7000-8000-000000000003', name: 'Front office', profile: 'office', receipt_series: 'KHS-D3', enrolled_at: '2025-01-03T06:40:00.000Z', revoked_at: null, share: 0.1, clerk: CLERKS[2]! },
];

export const FEE_CATEGORIES: FeeCategoryRow[] = [
  'Tuition', 'Boarding', 'Lunch', 'Transport', 'Activity fee', 'Examination fee', 'Uniform', 'Library', 'Development levy', 'Computer studies',
].map((name, i) => ({ id: `0190c100-0000-7000-8000-${String(i + 1).padStart(12, '0')}`, name, active: true }));
FEE_CATEGORIES.push({ id: '0190c100-0000-7000-8000-000000000099', name: 'Old building fund', active: false });

/** First and last day of the year of payments (school year 2025, terms as in Kenya). */
const DAY = 86_400_000;
const YEAR_START = Date.UTC(2025, 0, 6);
const TERM_STARTS = [Date.UTC(2025, 0, 6), Date.UTC(2025, 3, 28), Date.UTC(2025, 7, 25)];
const TERM_DAYS = [89, 95, 60];
export const ACADEMIC_YEAR = 2025;
/** Public holidays on school days, when no register is taken. */
const HOLIDAYS = new Set(['2025-05-01', '2025-06-02', '2025-10-10', '2025-10-20']);

/** The school year's terms, as the terms table holds them. */
export const TERMS: TermRow[] = TERM_STARTS.map((start, t) => ({
  id: `term-${t + 1}-2025`,
  name: `Term ${t + 1} 2025`,
  starts_on: new Date(start).toISOString().slice(0, 10),
  ends_on: new Date(start + (TERM_DAYS[t]! - 1) * DAY).toISOString().slice(0, 10),
}));

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---- classes and students --------------------------------------------------------------------

export interface ClassPlan {
  rows: ClassRow[];
  /** Picks a class in proportion to its (skewed) size. */
  picker: WeightedPicker<ClassRow>;
}

/** Levels shrink towards the top and streams vary in size, so class sizes are skewed. */
export function planClasses(prng: Prng): ClassPlan {
  const rows: ClassRow[] = [];
  const weights: number[] = [];
  LEVELS.forEach((level, l) => {
    const streams = prng.int(4, STREAMS.length);
    const levelWeight = 0.9 ** l;
    for (let s = 0; s < streams; s++) {
      rows.push({
        id: prng.uuidv7(Date.UTC(2024, 11, 1) + rows.length * 1000),
        grade: level,
        level: l,
        stream: STREAMS[s]!,
        academic_year: ACADEMIC_YEAR,
        class_teacher_id: null,
        grading_scale_id: null,
        name: `${level} ${STREAMS[s]!}`,
        deleted: false,
        meta: EMPTY_META,
      });
      weights.push((levelWeight * prng.logNormal(0.6)) / streams);
    }
  });
  return { rows, picker: new WeightedPicker(rows, weights) };
}

const givenPickers = [GIVEN_FEMALE, GIVEN_MALE].map((names) => new WeightedPicker(names, zipfWeights(names.length, 0.7, 2)));
const familyPicker = new WeightedPicker(FAMILY_NAMES, zipfWeights(FAMILY_NAMES.length, 0.7, 3));

function guardianPhone(prng: Prng): string | null {
  if (prng.chance(0.05)) return null;
  const prefix = prng.chance(0.9) ? `7${prng.int(0, 9)}${prng.int(0, 9)}` : `1${prng.int(0, 1)}${prng.int(0, 9)}`;
  const a = String(prng.int(0, 999)).padStart(3, '0');
  const b = String(prng.int(0, 999)).padStart(3, '0');
  const style = prng.next();
  if (style < 0.5) return `+254 ${prefix} ${a} ${b}`;
  if (style < 0.8) return `0${prefix}${a}${b}`;
  if (style < 0.95) return `+254${prefix}${a}${b}`;
  return `0${prefix}-${a}-${b}`;
}

/** `count` students; `first` numbers their admission numbers, `idBaseMs` times their ids. */
export function makeStudentRows(prng: Prng, classes: ClassPlan, count: number, first = 1, idBaseMs = Date.UTC(2024, 10, 1)): StudentRow[] {
  const rows: StudentRow[] = [];
  for (let i = 0; i < count; i++) {
    const n = first + i;
    const givenPicker = givenPickers[prng.int(0, 1)]!;
    const given = givenPicker.pick(prng);
    let firstName = given;
    if (prng.chance(0.4)) {
      const second = givenPicker.pick(prng);
      if (second !== given) firstName = `${given} ${second}`;
    }
    const cls = prng.chance(0.003) ? null : classes.picker.pick(prng);
    const level = cls ? cls.level : 6;
    const year = 2025 - level - (prng.chance(0.1) ? 1 : 0);
    rows.push({
      ...STUDENT_PROFILE_DEFAULTS,
      id: prng.uuidv7(idBaseMs + n * 7),
      admission_no: `KHS/${year}/${String(n).padStart(6, '0')}`,
      first_name: firstName,
      last_name: familyPicker.pick(prng),
      class_id: cls?.id ?? null,
      class_name: cls?.name ?? null,
      status: prng.chance(0.02) ? 'withdrawn' : 'enrolled',
      guardian_phone: guardianPhone(prng),
    });
  }
  return rows;
}

// ---- families --------------------------------------------------------------------------------

interface Family {
  lastName: string;
  guardians: { row: GuardianRow; relationship: string; paysFees: boolean }[];
}

const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
const TOWNS = ['Nairobi', 'Kiambu', 'Thika', 'Ruiru', 'Kitengela', 'Ngong', 'Machakos', 'Athi River'];

function guardianRow(prng: Prng, given: string, lastName: string, idMs: number): GuardianRow {
  const email = prng.chance(0.35) ? `${ascii(given.split(' ')[0]!)}.${ascii(lastName)}${prng.int(1, 99)}@${prng.pick(['gmail.com', 'yahoo.com', 'outlook.com'])}` : null;
  return {
    id: prng.uuidv7(idMs),
    name: `${given} ${lastName}`,
    phone: guardianPhone(prng),
    alt_phone: prng.chance(0.1) ? guardianPhone(prng) : null,
    email,
    address: prng.chance(0.4) ? `P.O. Box ${prng.int(1, 9999)}-00${prng.int(100, 620)}, ${prng.pick(TOWNS)}` : null,
    deleted: false,
    meta: EMPTY_META,
  };
}

/**
 * Gives each student a family: about a fifth join an earlier student's (siblings share their
 * guardians and usually the surname), the rest get a new one with a mother and/or father.
 * Sets the students' guardian_phone as core derives it from the fee payers' phones.
 */
function withFamilies(prng: Prng, students: StudentRow[], families: Family[], idBaseMs: number): { guardians: GuardianRow[]; links: StudentGuardianRow[] } {
  const guardians: GuardianRow[] = [];
  const links: StudentGuardianRow[] = [];
  for (const s of students) {
    let family: Family;
    if (families.length > 0 && prng.chance(0.2)) {
      family = families[prng.int(0, families.length - 1)]!;
      if (prng.chance(0.9)) s.last_name = family.lastName;
    } else {
      family = { lastName: s.last_name, guardians: [] };
      const r = prng.next();
      const roles: [string, number][] = r < 0.55 ? [['Mother', 0], ['Father', 1]] : r < 0.8 ? [['Mother', 0]] : r < 0.93 ? [['Father', 1]] : [['Guardian', prng.int(0, 1)]];
      roles.forEach(([relationship, gender], i) => {
        const row = guardianRow(prng, givenPickers[gender]!.pick(prng), relationship === 'Guardian' ? familyPicker.pick(prng) : family.lastName, idBaseMs + families.length * 3 + i);
        guardians.push(row);
        family.guardians.push({ row, relationship, paysFees: i === 0 || prng.chance(0.4) });
      });
      families.push(family);
    }
    for (const g of family.guardians) {
      links.push({ id: studentGuardianId(s.id, g.row.id), student_id: s.id, guardian_id: g.row.id, relationship: g.relationship, pays_fees: g.paysFees, deleted: false, meta: EMPTY_META });
    }
    s.guardian_phone = guardianPhones(family.guardians.map((g) => ({ pays_fees: g.paysFees, phone: g.row.phone, alt_phone: g.row.alt_phone })));
  }
  return { guardians, links };
}

// ---- payments --------------------------------------------------------------------------------

const METHODS = new WeightedPicker<PaymentMethod>(['mobile_money', 'bank_transfer', 'cash', 'cheque', 'card'], [58, 22, 14, 5, 1]);
const TERM_FEES = [12_500, 18_000, 24_750, 32_000, 45_500];
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

function paymentTime(prng: Prng): number {
  const r = prng.next();
  let day: number;
  if (r < 0.55) {
    // The rush around the start of a term: from a week before, tailing off over three weeks.
    const t = prng.int(0, 2);
    day = (TERM_STARTS[t]! - YEAR_START) / DAY - 7 + Math.min(40, -Math.log(1 - prng.next()) * 8);
  } else if (r < 0.9) {
    const t = prng.int(0, 2);
    day = (TERM_STARTS[t]! - YEAR_START) / DAY + prng.next() * TERM_DAYS[t]!;
  } else {
    day = prng.next() * 365;
  }
  day = Math.min(364, Math.max(0, Math.floor(day)));
  // Office hours 07:30-17:00 in Nairobi (UTC+3); mobile money arrives at any waking hour.
  const minutes = prng.chance(0.7) ? 270 + prng.next() * 570 : 180 + prng.next() * 960;
  return YEAR_START + day * DAY + Math.floor(minutes * 60_000) + prng.int(0, 59_999);
}

function amountMinor(prng: Prng): number {
  const r = prng.next();
  let shillings: number;
  if (r < 0.25) shillings = prng.pick(TERM_FEES); // a whole term's fee
  else if (r < 0.75) shillings = 500 * prng.int(2, 40); // instalments in round figures
  else shillings = 10 * Math.round(Math.exp(Math.log(200) + prng.next() * Math.log(150)) / 10); // M-Pesa odd amounts
  return Math.max(10, shillings) * 100;
}

function reference(prng: Prng, method: PaymentMethod, at: number): string | null {
  if (method === 'mobile_money') {
    let code = at < Date.UTC(2025, 6, 1) ? 'S' : 'T';
    for (let i = 0; i < 9; i++) code += ALNUM[prng.int(0, ALNUM.length - 1)]!;
    return code;
  }
  if (method === 'bank_transfer') return `FT25${String(prng.int(0, 999_999_999)).padStart(9, '0')}`;
  if (method === 'cheque') return String(prng.int(100_000, 999_999));
  return null;
}

// ---- charges ---------------------------------------------------------------------------------

/** Tuition per term by level (KES), higher up the school; lunch for those who take it. */
const TUITION_BY_LEVEL = [12_500, 12_500, 18_000, 18_000, 18_000, 24_750, 24_750, 24_750, 32_000, 32_000, 32_000, 45_500, 45_500];
const LUNCH_FEE = 8_000;

/** Each term's fees for one student, posted a week before the term starts, due three weeks in. */
function termCharges(prng: Prng, student: StudentRow, level: number, takesLunch: boolean): ChargeRow[] {
  const rows: ChargeRow[] = [];
  TERMS.forEach((term, t) => {
    const posted = TERM_STARTS[t]! - 7 * DAY + 3 * 3_600_000;
    const dueOn = isoDate(TERM_STARTS[t]! + 21 * DAY);
    const fees: [FeeCategoryRow, number][] = [[FEE_CATEGORIES[0]!, TUITION_BY_LEVEL[level]!]];
    if (takesLunch) fees.push([FEE_CATEGORIES[2]!, LUNCH_FEE]);
    for (const [category, shillings] of fees) {
      rows.push({
        id: prng.uuidv7(posted),
        student_id: student.id,
        category_id: category.id,
        description: '',
        amount_minor: shillings * 100,
        currency: 'KES',
        term: term.name,
        due_on: dueOn,
        posted_at: new Date(posted).toISOString(),
        posted_by: CLERKS[0]!,
        device_id: OFFICE_DEVICES[0]!.id,
        structure_id: null,
      });
    }
  });
  return rows;
}

/** A charge as the generator tracks it while payments are made, to allocate them as core does. */
interface OpenCharge {
  id: string;
  postedMs: number;
  owed: number;
}

/** Oldest due first over the charges already posted (what payments.record does by default). */
function allocate(charges: OpenCharge[] | undefined, atMs: number, amount: number): { chargeId: string; amountMinor: number }[] {
  const out: { chargeId: string; amountMinor: number }[] = [];
  let left = amount;
  for (const c of charges ?? []) {
    if (left === 0 || c.postedMs > atMs) break;
    const used = Math.min(c.owed, left);
    if (used === 0) continue;
    c.owed -= used;
    left -= used;
    out.push({ chargeId: c.id, amountMinor: used });
  }
  return out;
}

// ---- attendance ------------------------------------------------------------------------------

/** Mondays to Fridays of the three terms, less public holidays. */
export function schoolDays(): string[] {
  const days: string[] = [];
  TERM_STARTS.forEach((start, t) => {
    for (let d = 0; d < TERM_DAYS[t]!; d++) {
      const ms = start + d * DAY;
      const weekday = new Date(ms).getUTCDay();
      if (weekday === 0 || weekday === 6 || HOLIDAYS.has(isoDate(ms))) continue;
      days.push(isoDate(ms));
    }
  });
  return days;
}

const ABSENT_REASONS = ['Sick', 'Sick', 'Hospital appointment', 'Family event', 'Travelled upcountry', 'Sent home for fees', null, null, null, null];
const LATE_REASONS = ['Transport', 'Rain', 'Traffic', null, null, null, null];
const EXCUSED_REASONS = ['Sports tournament', 'Medical', 'Bereavement', 'School trip'];

/**
 * Which morning registers were taken: not every class every day (the marks asked for are a
 * sample of the ~19 million a full year would hold), chosen by weighted sampling without
 * replacement, so diligent class teachers take theirs on most days and others rarely; whole
 * registers until the marks reach the target. Returned in date order, then class.
 */
function chooseRegisters(prng: Prng, classes: ClassRow[], members: Map<string, string[]>, days: string[], target: number): { cls: ClassRow; date: string }[] {
  const slots: { key: number; cls: ClassRow; day: number }[] = [];
  for (const cls of classes) {
    const diligence = prng.logNormal(0.8);
    if ((members.get(cls.id)?.length ?? 0) === 0) continue;
    // Later in the year more registers are kept (the office starts chasing them).
    days.forEach((_, d) => slots.push({ key: -Math.log(1 - prng.next()) / (diligence * (0.6 + d / days.length)), cls, day: d }));
  }
  slots.sort((a, b) => a.key - b.key);
  const chosen: typeof slots = [];
  let marks = 0;
  for (const slot of slots) {
    if (marks >= target) break;
    chosen.push(slot);
    marks += members.get(slot.cls.id)!.length;
  }
  chosen.sort((a, b) => a.day - b.day || (a.cls.name < b.cls.name ? -1 : a.cls.name > b.cls.name ? 1 : 0));
  return chosen.map((s) => ({ cls: s.cls, date: days[s.day]! }));
}

function* attendanceRows(
  prng: Prng,
  classes: ClassRow[],
  members: Map<string, string[]>,
  proneness: Map<string, number>,
  target: number,
  takenBy: string | null,
  summary: SchoolSummary,
): Generator<RowBatch> {
  const days = schoolDays();
  // Some days many are away (rain, a bug going round); Mondays and Fridays a little more.
  const dayFactor = new Map(days.map((d) => [d, (prng.chance(0.05) ? 2.5 + prng.next() * 2 : 1) * ([1, 5].includes(new Date(`${d}T00:00:00Z`).getUTCDay()) ? 1.25 : 1)]));
  const registers = chooseRegisters(prng, classes, members, days, target);
  const BATCH = 20_000;
  let sessions: AttendanceSessionRow[] = [];
  let records: AttendanceRecordRow[] = [];
  const flush = function* (): Generator<RowBatch> {
    if (sessions.length) yield { table: 'attendance_sessions', rows: sessions };
    if (records.length) yield { table: 'attendance_records', rows: records };
    summary.attendanceSessions += sessions.length;
    summary.attendanceRecords += records.length;
    sessions = [];
    records = [];
  };
  for (const { cls, date } of registers) {
    const sessionId = attendanceSessionId(cls.id, date, '');
    sessions.push({ id: sessionId, class_id: cls.id, date, period: '', taken_by: takenBy, note: '', deleted: false, meta: EMPTY_META });
    const recordId = derivedIdsUnder('attendance-record', sessionId);
    const f = dayFactor.get(date)!;
    for (const studentId of members.get(cls.id)!) {
      const p = proneness.get(studentId)!;
      const r = prng.next();
      const absent = Math.min(0.9, 0.05 * p * f);
      let status: AttendanceStatus = 'present';
      let reason: string | null = null;
      if (r < absent) {
        status = 'absent';
        reason = prng.pick(ABSENT_REASONS);
      } else if (r < absent + 0.03 * Math.sqrt(p)) {
        status = 'late';
        reason = prng.pick(LATE_REASONS);
      } else if (r < absent + 0.03 * Math.sqrt(p) + 0.01) {
        status = 'excused';
        reason = prng.pick(EXCUSED_REASONS);
      }
      records.push({ id: recordId(studentId), session_id: sessionId, student_id: studentId, status, reason, deleted: false, meta: EMPTY_META });
    }
    if (records.length >= BATCH) yield* flush();
  }
  yield* flush();
}

// ---- the school ------------------------------------------------------------------------------

export function emptySummary(): SchoolSummary {
  return {
    students: 0,
    withdrawn: 0,
    classes: 0,
    guardians: 0,
    guardianLinks: 0,
    charges: 0,
    payments: 0,
    attendanceSessions: 0,
    attendanceRecords: 0,
    nextReceiptNo: {},
    largestClass: { name: '', size: 0 },
  };
}

/** What differs between the two sinks: who took the registers (a teacher each sink creates). */
export interface SchoolPeople {
  registerTakerId: string | null;
}

/**
 * Every synced row of the school except roles and staff (each sink makes its own people, with
 * passwords), in the order the server's log holds them: fixed lists, classes, then students in
 * admission order each batch with its guardians, links and charges, then the year's payments in
 * the order they were recorded, then the registers in date order. `summary` is filled in as the
 * rows are produced.
 */
export function* schoolRows(params: SchoolParams, people: SchoolPeople, summary: SchoolSummary, log: (msg: string) => void = () => {}): Generator<RowBatch> {
  const prng = new Prng(params.seed);
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  yield { table: 'devices', rows: OFFICE_DEVICES.map(({ share: _s, clerk: _c, ...row }) => row) };
  yield { table: 'fee_categories', rows: FEE_CATEGORIES };
  yield { table: 'terms', rows: TERMS };
  const classes = planClasses(prng);
  summary.classes = classes.rows.length;
  yield { table: 'classes', rows: classes.rows };

  const studentIds: string[] = [];
  const payWeights: number[] = [];
  const members = new Map<string, string[]>(classes.rows.map((c) => [c.id, []]));
  const proneness = new Map<string, number>();
  const families: Family[] = [];
  const levels = new Map(classes.rows.map((c) => [c.id, c.level]));
  // Each student's charges in due order (terms in order), with what they still owe.
  const open = new Map<string, OpenCharge[]>();
  const STUDENT_BATCH = 5_000;
  for (let done = 0; done < params.students; done += STUDENT_BATCH) {
    const rows = makeStudentRows(prng, classes, Math.min(STUDENT_BATCH, params.students - done), done + 1);
    const { guardians, links } = withFamilies(prng, rows, families, Date.UTC(2024, 10, 1) + done * 7);
    for (const r of rows) {
      studentIds.push(r.id);
      // Some families pay in many small instalments, some once a term; withdrawn students paid less.
      payWeights.push(prng.logNormal(0.8) * (r.status === 'withdrawn' ? 0.3 : 1));
      if (r.status === 'withdrawn') summary.withdrawn++;
      else if (r.class_id) members.get(r.class_id)!.push(r.id);
      // Most children are rarely away; a few are away often (median 1, long tail).
      proneness.set(r.id, prng.logNormal(0.9) / Math.exp(0.9 ** 2 / 2));
    }
    summary.students += rows.length;
    summary.guardians += guardians.length;
    summary.guardianLinks += links.length;
    yield { table: 'guardians', rows: guardians };
    yield { table: 'students', rows };
    yield { table: 'student_guardians', rows: links };
    // Every student is charged each term's tuition, and lunch if they take it (about half).
    const level = (s: StudentRow) => (s.class_id ? levels.get(s.class_id)! : 0);
    const charged = rows.flatMap((r) => termCharges(prng, r, level(r), prng.chance(0.5)));
    summary.charges += charged.length;
    for (const c of charged) (open.get(c.student_id) ?? open.set(c.student_id, []).get(c.student_id)!).push({ id: c.id, postedMs: Date.parse(c.posted_at), owed: c.amount_minor });
    yield { table: 'charges', rows: charged };
  }
  for (const cls of classes.rows) {
    const size = members.get(cls.id)!.length;
    if (size > summary.largestClass.size) summary.largestClass = { name: cls.name, size };
  }
  log(`  students: ${summary.students.toLocaleString('en')}, ${summary.guardians.toLocaleString('en')} guardians, ${summary.charges.toLocaleString('en')} charges (${seconds()} s)`);

  // Payments over the year, in the order they were recorded (how the server's log holds them).
  const times = new Float64Array(params.payments);
  for (let i = 0; i < times.length; i++) times[i] = paymentTime(prng);
  times.sort();
  const payer = new WeightedPicker(studentIds, payWeights);
  const devicePicker = new WeightedPicker(OFFICE_DEVICES, OFFICE_DEVICES.map((d) => d.share));
  const receiptNo = new Map(OFFICE_DEVICES.map((d) => [d.id, 0]));
  const PAYMENT_BATCH = 10_000;
  for (let done = 0; done < params.payments; done += PAYMENT_BATCH) {
    const rows: PaymentRow[] = [];
    const end = Math.min(params.payments, done + PAYMENT_BATCH);
    for (let i = done; i < end; i++) {
      const at = times[i]!;
      const device = devicePicker.pick(prng);
      const n = receiptNo.get(device.id)! + 1;
      receiptNo.set(device.id, n);
      const method = METHODS.pick(prng);
      const studentId = payer.pick(prng);
      const amount = amountMinor(prng);
      rows.push({
        id: prng.uuidv7(at),
        student_id: studentId,
        amount_minor: amount,
        currency: 'KES',
        method,
        reference: reference(prng, method, at),
        receipt_no: `${device.receipt_series}-${String(n).padStart(6, '0')}`,
        recorded_at: new Date(at).toISOString(),
        recorded_by: prng.chance(0.9) ? device.clerk : CLERKS[3]!,
        recorded_by_id: null,
        device_id: device.id,
        allocations: allocate(open.get(studentId), at, amount),
      });
    }
    summary.payments += rows.length;
    yield { table: 'payments', rows };
    if ((end / PAYMENT_BATCH) % 20 === 0 || end === params.payments) log(`  payments: ${end.toLocaleString('en')} / ${params.payments.toLocaleString('en')} (${seconds()} s)`);
  }
  for (const [id, n] of receiptNo) summary.nextReceiptNo[id] = n + 1;

  const target = attendanceTarget(params);
  let logged = 0;
  for (const batch of attendanceRows(prng, classes.rows, members, proneness, target, people.registerTakerId, summary)) {
    yield batch;
    if (summary.attendanceRecords - logged >= 500_000) {
      logged = summary.attendanceRecords;
      log(`  attendance: ${summary.attendanceRecords.toLocaleString('en')} marks (${seconds()} s)`);
    }
  }
  log(`  attendance: ${summary.attendanceSessions.toLocaleString('en')} registers, ${summary.attendanceRecords.toLocaleString('en')} marks (${seconds()} s)`);
}
