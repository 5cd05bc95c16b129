// Generates an office device's database for a large school, deterministically from a seed:
// the real migrations (openLocalStore) create the schema, and every synced row goes in through
// validateChange + applyChanges in batched transactions, exactly as a pull would write it.
// The file is cached under .data/bench/ keyed by the parameters and by the sources that shape
// it (this generator, its lists, the migrations), so reruns skip generation.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openLocalStore, type LocalStore } from '../../electron/core/store/open-store.js';
import { saveEnrolment } from '../../electron/core/device/device-state.js';
import { applyChanges, validateChange } from '../../electron/core/sync/apply-changes.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';
import { rememberPassword } from '../../electron/core/auth/sign-in.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { STUDENT_PROFILE_DEFAULTS } from '../../shared/domain/students.js';
import type { PaymentMethod, PaymentRow } from '../../shared/domain/payments.js';
import type { ChargeRow, FeeCategoryRow } from '../../shared/domain/fees.js';
import type { TermRow } from '../../shared/domain/terms.js';
import type { DeviceRow } from '../../shared/domain/staff.js';
import type { ChangeValue, SyncedTable } from '../../shared/sync/protocol.js';
import { TEST_PASSWORD, TEST_ROLES, TEST_STAFF } from '../support/local-device.js';
import { Prng, WeightedPicker, zipfWeights } from './prng.js';
import { CLERKS, FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE, LEVELS, STREAMS } from './names.js';

const root = resolve(import.meta.dirname, '../..');

export interface SchoolParams {
  students: number;
  payments: number;
  seed: number;
}

export interface SchoolManifest {
  params: SchoolParams;
  key: string;
  generatedAt: string;
  generationSeconds: number;
  counts: { students: number; withdrawn: number; classes: number; payments: number; charges: number; feeCategories: number };
  largestClass: { name: string; size: number };
  /** The enrolled device the benchmark runs as (an office PC whose receipts are among the payments). */
  device: { id: string; receiptSeries: string; nextReceiptNo: number };
  fileBytes: number;
}

export const SCHOOL = { id: 'school-bench', name: 'Kilimani Hills School', currency: 'KES', timeZone: 'Africa/Nairobi' };
export const BENCH_PASSWORD = TEST_PASSWORD;
export { TEST_STAFF as BENCH_STAFF };

/** The school's office devices; device 0 is the one the benchmark is enrolled as. */
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
const YEAR_START = Date.UTC(2025, 0, 6);
const TERM_STARTS = [Date.UTC(2025, 0, 6), Date.UTC(2025, 3, 28), Date.UTC(2025, 7, 25)];
const TERM_DAYS = [89, 95, 60];

/** The school year's terms, as the terms table holds them. */
export const TERMS: TermRow[] = TERM_STARTS.map((start, t) => ({
  id: `term-${t + 1}-2025`,
  name: `Term ${t + 1} 2025`,
  starts_on: new Date(start).toISOString().slice(0, 10),
  ends_on: new Date(start + (TERM_DAYS[t]! - 1) * 86_400_000).toISOString().slice(0, 10),
}));

// ---- students ------------------------------------------------------------------------------

export interface ClassPlan {
  names: string[];
  picker: WeightedPicker<string>;
}

/** Levels shrink towards the top and streams vary in size, so class sizes are skewed. */
export function planClasses(prng: Prng): ClassPlan {
  const names: string[] = [];
  const weights: number[] = [];
  LEVELS.forEach((level, l) => {
    const streams = prng.int(4, STREAMS.length);
    const levelWeight = 0.9 ** l;
    for (let s = 0; s < streams; s++) {
      names.push(`${level} ${STREAMS[s]!}`);
      weights.push((levelWeight * prng.logNormal(0.6)) / streams);
    }
  });
  return { names, picker: new WeightedPicker(names, weights) };
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
    const className = prng.chance(0.003) ? null : classes.picker.pick(prng);
    const level = className ? LEVELS.findIndex((l) => className.startsWith(`${l} `)) : 6;
    const year = 2025 - level - (prng.chance(0.1) ? 1 : 0);
    rows.push({
      ...STUDENT_PROFILE_DEFAULTS,
      id: prng.uuidv7(idBaseMs + n * 7),
      admission_no: `KHS/${year}/${String(n).padStart(6, '0')}`,
      first_name: firstName,
      last_name: familyPicker.pick(prng),
      class_name: className,
      status: prng.chance(0.02) ? 'withdrawn' : 'enrolled',
      guardian_phone: guardianPhone(prng),
    });
  }
  return rows;
}

// ---- payments ------------------------------------------------------------------------------

const METHODS = new WeightedPicker<PaymentMethod>(['mobile_money', 'bank_transfer', 'cash', 'cheque', 'card'], [58, 22, 14, 5, 1]);
const TERM_FEES = [12_500, 18_000, 24_750, 32_000, 45_500];
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';

function paymentTime(prng: Prng): number {
  const r = prng.next();
  let day: number;
  if (r < 0.55) {
    // The rush around the start of a term: from a week before, tailing off over three weeks.
    const t = prng.int(0, 2);
    day = (TERM_STARTS[t]! - YEAR_START) / 86_400_000 - 7 + Math.min(40, -Math.log(1 - prng.next()) * 8);
  } else if (r < 0.9) {
    const t = prng.int(0, 2);
    day = (TERM_STARTS[t]! - YEAR_START) / 86_400_000 + prng.next() * TERM_DAYS[t]!;
  } else {
    day = prng.next() * 365;
  }
  day = Math.min(364, Math.max(0, Math.floor(day)));
  // Office hours 07:30-17:00 in Nairobi (UTC+3); mobile money arrives at any waking hour.
  const minutes = prng.chance(0.7) ? 270 + prng.next() * 570 : 180 + prng.next() * 960;
  return YEAR_START + day * 86_400_000 + Math.floor(minutes * 60_000) + prng.int(0, 59_999);
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

// ---- charges -------------------------------------------------------------------------------

/** Tuition per term by level (KES), higher up the school; lunch for those who take it. */
const TUITION_BY_LEVEL = [12_500, 12_500, 18_000, 18_000, 18_000, 24_750, 24_750, 24_750, 32_000, 32_000, 32_000, 45_500, 45_500];
const LUNCH_FEE = 8_000;

/** Each term's fees for one student, posted a week before the term starts, due three weeks in. */
function termCharges(prng: Prng, student: StudentRow, takesLunch: boolean): ChargeRow[] {
  const level = student.class_name ? LEVELS.findIndex((l) => student.class_name!.startsWith(`${l} `)) : 0;
  const rows: ChargeRow[] = [];
  TERMS.forEach((term, t) => {
    const posted = TERM_STARTS[t]! - 7 * 86_400_000 + 3 * 3_600_000;
    const dueOn = new Date(TERM_STARTS[t]! + 21 * 86_400_000).toISOString().slice(0, 10);
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

// ---- writing -------------------------------------------------------------------------------

function changes<T extends { id: string }>(table: SyncedTable, rows: readonly T[], seq: { n: number }): { table: SyncedTable; change: ChangeValue }[] {
  return rows.map((row) => validateChange({ table, id: row.id, seq: ++seq.n, deleted: false, row }));
}

async function applyBatch(store: LocalStore, batch: { table: SyncedTable; change: ChangeValue }[]): Promise<void> {
  await withSqlite(store, (sqlite) => sqlite.transaction(() => applyChanges(sqlite, batch))());
}

function sourcesHash(params: SchoolParams): string {
  const h = createHash('sha256').update(JSON.stringify(params));
  const files = [
    join(root, 'tests/bench/generate-school.ts'),
    join(root, 'tests/bench/prng.ts'),
    join(root, 'tests/bench/names.ts'),
    ...readdirSync(join(root, 'electron/core/store/migrations'))
      .sort()
      .map((f) => join(root, 'electron/core/store/migrations', f)),
  ];
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 10);
}

export function schoolFile(dir: string, params: SchoolParams): { file: string; manifestFile: string; key: string } {
  const key = `s${params.students}-p${params.payments}-seed${params.seed}-${sourcesHash(params)}`;
  return { file: join(dir, `school-${key}.sqlite`), manifestFile: join(dir, `school-${key}.json`), key };
}

/** Returns the cached school for these parameters, generating it first if needed. */
export async function ensureSchool(
  dir: string,
  params: SchoolParams,
  log: (msg: string) => void,
): Promise<{ file: string; manifest: SchoolManifest; cached: boolean }> {
  mkdirSync(dir, { recursive: true });
  const { file, manifestFile, key } = schoolFile(dir, params);
  if (existsSync(file) && existsSync(manifestFile)) {
    return { file, manifest: JSON.parse(readFileSync(manifestFile, 'utf8')) as SchoolManifest, cached: true };
  }
  const started = performance.now();
  const tmp = `${file}.partial-${process.pid}`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(tmp + suffix, { force: true });
  const store = await openLocalStore(tmp);
  // Generation only (the file is the same either way): no fsync per batch, a bigger page cache.
  store.sqlite.pragma('synchronous = OFF');
  store.sqlite.pragma('cache_size = -262144');

  const prng = new Prng(params.seed);
  const me = OFFICE_DEVICES[0]!;
  await saveEnrolment(store.db, 'http://127.0.0.1:9', me.name, {
    deviceId: me.id,
    token: 'b'.repeat(64),
    receiptSeries: me.receipt_series,
    profile: 'office',
    school: SCHOOL,
  });
  const seq = { n: 0 };
  const devices = OFFICE_DEVICES.map(({ share: _s, clerk: _c, ...row }) => row);
  await applyBatch(store, [
    ...changes('roles', TEST_ROLES, seq),
    ...changes('staff', TEST_STAFF, seq),
    ...changes('devices', devices, seq),
    ...changes('fee_categories', FEE_CATEGORIES, seq),
    ...changes('terms', TERMS, seq),
  ]);

  // Students, in the order the server created them.
  const classes = planClasses(prng);
  const studentIds: string[] = [];
  const payWeights: number[] = [];
  let withdrawn = 0;
  let chargeCount = 0;
  // Each student's charges in due order (terms in order), with what they still owe.
  const open = new Map<string, OpenCharge[]>();
  const STUDENT_BATCH = 5_000;
  for (let done = 0; done < params.students; done += STUDENT_BATCH) {
    const rows = makeStudentRows(prng, classes, Math.min(STUDENT_BATCH, params.students - done), done + 1);
    for (const r of rows) {
      studentIds.push(r.id);
      // Some families pay in many small instalments, some once a term; withdrawn students paid less.
      payWeights.push(prng.logNormal(0.8) * (r.status === 'withdrawn' ? 0.3 : 1));
      if (r.status === 'withdrawn') withdrawn++;
    }
    await applyBatch(store, changes('students', rows, seq));
    // Every student is charged each term's tuition, and lunch if they take it (about half).
    const charged = rows.flatMap((r) => termCharges(prng, r, prng.chance(0.5)));
    chargeCount += charged.length;
    for (const c of charged) (open.get(c.student_id) ?? open.set(c.student_id, []).get(c.student_id)!).push({ id: c.id, postedMs: Date.parse(c.posted_at), owed: c.amount_minor });
    await applyBatch(store, changes('charges', charged, seq));
  }
  log(`  students: ${params.students.toLocaleString('en')} and ${chargeCount.toLocaleString('en')} charges in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Payments over the year, in the order they were recorded (how the server's log holds them).
  const times = new Float64Array(params.payments);
  for (let i = 0; i < times.length; i++) times[i] = paymentTime(prng);
  times.sort();
  const payer = new WeightedPicker(studentIds, payWeights);
  const devicePicker = new WeightedPicker(OFFICE_DEVICES, OFFICE_DEVICES.map((d) => d.share));
  const receiptNo = new Map(OFFICE_DEVICES.map((d) => [d.id, 0]));
  const PAYMENT_BATCH = 10_000;
  const paymentsStarted = performance.now();
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
    await applyBatch(store, changes('payments', rows, seq));
    if ((end / PAYMENT_BATCH) % 20 === 0 || end === params.payments) {
      const s = (performance.now() - paymentsStarted) / 1000;
      log(`  payments: ${end.toLocaleString('en')} / ${params.payments.toLocaleString('en')} (${s.toFixed(1)} s)`);
    }
  }

  // This device has issued its share of the receipts; the next one continues the series.
  const nextReceiptNo = receiptNo.get(me.id)! + 1;
  await store.db.updateTable('device').set({ next_receipt_no: nextReceiptNo }).where('id', '=', 1).execute();
  // Every person signed in here once while online, so each can sign in offline (as in the tests).
  for (const person of TEST_STAFF) await rememberPassword(store.db, person.id, person.username, BENCH_PASSWORD);

  const classSizes = store.sqlite
    .prepare('select class_name as name, count(*) as size from students where class_name is not null group by class_name order by size desc')
    .all() as { name: string; size: number }[];
  store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
  renameSync(tmp, file);
  for (const suffix of ['-wal', '-shm']) rmSync(tmp + suffix, { force: true });

  const manifest: SchoolManifest = {
    params,
    key,
    generatedAt: new Date().toISOString(),
    generationSeconds: Math.round((performance.now() - started) / 100) / 10,
    counts: { students: params.students, withdrawn, classes: classSizes.length, payments: params.payments, charges: chargeCount, feeCategories: FEE_CATEGORIES.length },
    largestClass: classSizes[0]!,
    device: { id: me.id, receiptSeries: me.receipt_series, nextReceiptNo },
    fileBytes: statSync(file).size,
  };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return { file, manifest, cached: false };
}
