// The generated school's two sinks agree: the same seed written into PostgreSQL by the server's
// sink (what `npm run seed` does) and synced to a real device through the real server holds the
// same students, families, charges, payments (with their allocations) and attendance marks as
// the device file the bench's sink writes, so balances and registers match too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { seedServerSchool } from '../../sync-server/src/demo/big/seed-big-school.js';
import type { SchoolParams, SchoolSummary } from '../../sync-server/src/demo/big/school-source.js';
import { ensureSchool, type SchoolManifest } from '../bench/generate-school.js';
import { backendSkipped, freshBackend, makeSchool, type BackendConfig, type TestSchool } from '../support/sync-server.js';
import { FAST_SYNC } from '../support/fleet.js';
import { waitFor } from '../support/wait.js';

const PARAMS: SchoolParams = { students: 300, payments: 1_500, attendance: 3_000, seed: 7 };

/** What both copies must hold, each as one comparable text per table (sorted by id). */
const DIGESTS: Record<string, string> = {
  classes: 'select id, name, level, academic_year from classes order by id',
  students: 'select id, admission_no, first_name, last_name, class_id, class_name, status, guardian_phone from students order by id',
  guardians: 'select id, name, phone, alt_phone, email, address from guardians order by id',
  student_guardians: 'select id, student_id, guardian_id, relationship, pays_fees from student_guardians order by id',
  charges: 'select id, student_id, category_id, amount_minor, term, due_on from charges order by id',
  payments: 'select id, student_id, amount_minor, method, reference, receipt_no, recorded_at, allocations from payments order by id',
  attendance_sessions: 'select id, class_id, date, period from attendance_sessions order by id',
  attendance_records: 'select id, session_id, student_id, status, reason from attendance_records order by id',
  // Tables derived by triggers (a first sync rebuilds them after storing history in bulk).
  ledger_balances: 'select student_id, charged, paid, discounted, refunded from ledger_balances order by student_id',
  class_payments: 'select class_name, recorded_at, id from class_payments order by class_name, recorded_at, id',
  attendance_history: 'select record_id, student_id, session_id, date, period, class_id, status from attendance_history order by record_id',
  // Each student's balance: charged less paid.
  balances: `select s.id, coalesce((select sum(amount_minor) from charges c where c.student_id = s.id), 0)
      - coalesce((select sum(amount_minor) from payments p where p.student_id = s.id), 0) as balance from students s order by s.id`,
};

function digests(db: Database.Database): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(DIGESTS).map(([k, q]) => [k, db.prepare(q).raw().all()]));
}

describe('the generated school, through both sinks', () => {
  if (backendSkipped('postgres')) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  let school: TestSchool;
  let summary: SchoolSummary;
  let manifest: SchoolManifest;
  let deviceFile: string;
  let core: Core | undefined;
  const dirs: string[] = [];

  beforeAll(async () => {
    backend = await freshBackend('postgres');
    server = await startSyncServer({ port: 0, databaseUrl: backend.databaseUrl! });
    school = await makeSchool(server.db.db, 'KHS');
    summary = await seedServerSchool(server.db.db, school.tenantId, PARAMS);
    const benchDir = mkdtempSync(join(tmpdir(), 'schoolhouse-big-bench-'));
    dirs.push(benchDir);
    ({ file: deviceFile, manifest } = await ensureSchool(benchDir, PARAMS, () => {}));
  }, 120_000);

  afterAll(async () => {
    await core?.close();
    await server?.close();
    await backend?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('writes the same school from the same seed', () => {
    expect(summary.students).toBe(PARAMS.students);
    expect(summary.payments).toBe(PARAMS.payments);
    expect(summary.attendanceRecords).toBeGreaterThanOrEqual(PARAMS.attendance!);
    const { feeCategories: _f, ...counts } = manifest.counts;
    expect(counts).toEqual({
      students: summary.students,
      withdrawn: summary.withdrawn,
      classes: summary.classes,
      guardians: summary.guardians,
      guardianLinks: summary.guardianLinks,
      payments: summary.payments,
      charges: summary.charges,
      attendanceSessions: summary.attendanceSessions,
      attendanceRecords: summary.attendanceRecords,
    });
    expect(summary.guardians).toBeGreaterThan(PARAMS.students);
  });

  it('a device that first-syncs the seeded server holds what the device file holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-big-device-'));
    dirs.push(dir);
    core = await openCore({ dataDir: dir, enrol: { serverUrl: server.url, enrolmentCode: school.officeCode, deviceName: 'Bursar PC' }, sync: FAST_SYNC });
    const local = (table: string) => core!.store.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
    const onServer = async (table: string) =>
      Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${school.tenantId}`.execute(server.db.db)).rows[0]!.n);
    const wanted = { attendance_records: await onServer('attendance_records'), payments: await onServer('payments'), students: await onServer('students') };
    expect(wanted).toEqual({ attendance_records: summary.attendanceRecords, payments: summary.payments, students: summary.students });
    await waitFor(
      'the first sync',
      async () => (await core!.sync.status()).initialSync === null && Object.entries(wanted).every(([t, n]) => local(t) === n),
      60_000,
    );

    const file = new Database(deviceFile, { readonly: true });
    try {
      const fromFile = digests(file);
      const synced = digests(core.store.sqlite);
      for (const key of Object.keys(DIGESTS)) expect(synced[key], key).toEqual(fromFile[key]);
      // The generator builds some indexes at the end: the file has every one a device has.
      const schema = (db: Database.Database) => db.prepare("select type, name, tbl_name from sqlite_master where type in ('index', 'trigger') order by name").raw().all();
      expect(schema(file)).toEqual(schema(core.store.sqlite));
      expect(fromFile.attendance_records!.length).toBe(summary.attendanceRecords);
      expect(synced.class_payments!.length).toBeGreaterThan(0);
      // The first sync settled every student's charges in steps before it was up to date.
      expect(core.store.sqlite.prepare('select count(*) from ledger_balances where settled = 0').pluck().get()).toBe(0);
      // Registers were taken and children were away: the marks are not all "present".
      const statuses = new Set((fromFile.attendance_records as unknown[][]).map((r) => r[3]));
      expect([...statuses].sort()).toEqual(['absent', 'excused', 'late', 'present']);
    } finally {
      file.close();
    }
  }, 90_000);
});
