// The bench's sink for the generated school (sync-server/src/demo/big/school-source.ts): an
// office device's database, where the real migrations (openLocalStore) create the schema and
// every synced row goes in through validateChange + applyChanges in batched transactions,
// exactly as a pull would write it. The file is cached under .data/bench/ keyed by the
// parameters and by the sources that shape it (the source, its lists, this sink, the
// migrations), so reruns skip generation.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openLocalStore, type LocalStore } from '../../electron/core/store/open-store.js';
import { saveEnrolment } from '../../electron/core/device/device-state.js';
import { applyChanges, validateChange } from '../../electron/core/sync/apply-changes.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';
import { rememberPassword } from '../../electron/core/auth/sign-in.js';
import type { ChangeValue, SyncedTable } from '../../shared/sync/protocol.js';
import { TEST_PASSWORD, TEST_ROLES, TEST_STAFF, staffFor } from '../support/local-device.js';
import { attendanceTarget, emptySummary, FEE_CATEGORIES, OFFICE_DEVICES, SCHOOL, schoolRows, type SchoolParams } from '../../sync-server/src/demo/big/school-source.js';

export { FEE_CATEGORIES, makeStudentRows, OFFICE_DEVICES, planClasses, SCHOOL, TERMS, type SchoolParams } from '../../sync-server/src/demo/big/school-source.js';

const root = resolve(import.meta.dirname, '../..');

export interface SchoolManifest {
  params: SchoolParams;
  key: string;
  generatedAt: string;
  generationSeconds: number;
  counts: {
    students: number;
    withdrawn: number;
    classes: number;
    guardians: number;
    guardianLinks: number;
    payments: number;
    charges: number;
    feeCategories: number;
    attendanceSessions: number;
    attendanceRecords: number;
  };
  largestClass: { name: string; size: number };
  /** The enrolled device the benchmark runs as (an office PC whose receipts are among the payments). */
  device: { id: string; receiptSeries: string; nextReceiptNo: number };
  fileBytes: number;
}

export const BENCH_PASSWORD = TEST_PASSWORD;
export { TEST_STAFF as BENCH_STAFF };

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
    ...['school-source.ts', 'prng.ts', 'names.ts'].map((f) => join(root, 'sync-server/src/demo/big', f)),
    ...readdirSync(join(root, 'electron/core/store/migrations'))
      .sort()
      .map((f) => join(root, 'electron/core/store/migrations', f)),
  ];
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 10);
}

export function schoolFile(dir: string, params: SchoolParams): { file: string; manifestFile: string; key: string } {
  const key = `s${params.students}-p${params.payments}-a${attendanceTarget(params)}-seed${params.seed}-${sourcesHash(params)}`;
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

  const me = OFFICE_DEVICES[0]!;
  await saveEnrolment(store.db, 'http://127.0.0.1:9', me.name, {
    deviceId: me.id,
    token: 'b'.repeat(64),
    receiptSeries: me.receipt_series,
    profile: 'office',
    school: SCHOOL,
  });
  const seq = { n: 0 };
  await applyBatch(store, [...changes('roles', TEST_ROLES, seq), ...changes('staff', TEST_STAFF, seq)]);
  const summary = emptySummary();
  const people = { registerTakerId: staffFor('teacher').id };
  for (const batch of schoolRows(params, people, summary, log)) {
    // Big batches go in as several transactions, as a pull commits them.
    for (let i = 0; i < batch.rows.length; i += 10_000) await applyBatch(store, changes(batch.table, batch.rows.slice(i, i + 10_000), seq));
  }

  // This device has issued its share of the receipts; the next one continues the series.
  const nextReceiptNo = summary.nextReceiptNo[me.id]!;
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
    counts: {
      students: summary.students,
      withdrawn: summary.withdrawn,
      classes: summary.classes,
      guardians: summary.guardians,
      guardianLinks: summary.guardianLinks,
      payments: summary.payments,
      charges: summary.charges,
      feeCategories: FEE_CATEGORIES.length,
      attendanceSessions: summary.attendanceSessions,
      attendanceRecords: summary.attendanceRecords,
    },
    largestClass: classSizes[0]!,
    device: { id: me.id, receiptSeries: me.receipt_series, nextReceiptNo },
    fileBytes: statSync(file).size,
  };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return { file, manifest, cached: false };
}
