// A local database damaged by a power cut, on a real device (real SQLite files) enrolled with a
// real sync server (PGlite and PostgreSQL): found at the next start, its files moved aside, and
// a new database built from the newest good backup (identity, offline sign-ins, the outbox) and
// a full sync from the server. Pending changes reach the server exactly once and receipt
// numbers continue without reusing one the server has. With no backup, the error says what to do.
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_DB_FILE, NotEnrolledError, openCore, type Core, type CoreOptions } from '../../electron/core/open-core.js';
import { openApp } from '../../electron/core/open-app.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { BACKENDS, backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { call, FAST_SYNC } from '../support/fleet.js';
import { waitFor } from '../support/wait.js';
import type { StudentListItem } from '../../shared/domain/students.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import type { PaymentView } from '../../shared/domain/payments.js';
import type { BackupInfo, BackupsOverview } from '../../shared/domain/backups.js';

const STUDENTS = 8;
const BURSAR = { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password };

/** A network cable the test can pull: while unplugged, every request fails as offline. */
function cable() {
  const c = {
    online: true,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!c.online) throw new TypeError('fetch failed (cable unplugged)');
      return fetch(input, init);
    }) as typeof fetch,
  };
  return c;
}

/** Overwrites `bytes` at `offset` of a closed database file, as a torn write would. */
function damage(file: string, offset: number, bytes: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(bytes, 0x5a), 0, bytes, offset);
  } finally {
    closeSync(fd);
  }
}

describe.each(BACKENDS)('a damaged local database is rebuilt (%s)', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  const dirs: string[] = [];
  let open: Core | null = null;

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, databaseUrl: backend.databaseUrl, seedDemo: { students: STUDENTS }, liveTimeoutMs: 1500 });
  }, 60_000);

  afterEach(async () => {
    await open?.close();
    open = null;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  afterAll(async () => {
    await server?.close();
    await backend?.drop();
  });

  async function start(options: Partial<CoreOptions> & { dataDir: string }, net = cable()): Promise<Core> {
    open = await openCore({ sync: { ...FAST_SYNC, fetch: net.fetch }, backups: { scheduled: false }, ...options });
    return open;
  }

  /** An enrolled office PC, signed in as the bursar, with the school synced. */
  async function enrolled(net: ReturnType<typeof cable>): Promise<{ core: Core; dir: string; students: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-recovery-'));
    dirs.push(dir);
    const core = await start({ dataDir: dir, enrol: { serverUrl: server.url, enrolmentCode: server.demoEnrolmentCode!, deviceName: 'Bursary PC' } }, net);
    await call(core, 'auth.login', BURSAR);
    await waitFor('the first sync', async () => (await call<{ count: number }>(core, 'students.count', {})).count === STUDENTS);
    const students = (await call<{ rows: StudentListItem[] }>(core, 'students.list', { status: 'enrolled', limit: 5 })).rows.map((s) => s.id);
    return { core, dir, students };
  }

  const pay = (core: Core, studentId: string) => call<PaymentView>(core, 'payments.record', { studentId, amountMinor: 25_000, method: 'cash' });
  const sent = (core: Core) =>
    waitFor('the outbox to be sent', async () => {
      await call(core, 'sync.now', {});
      return (await call<SyncStatus>(core, 'sync.status', {})).pending === 0;
    });

  it('keeps the identity and unsent changes from the backup, takes the rest from the server, and reuses no receipt number', { timeout: 90_000 }, async () => {
    const net = cable();
    let { core, dir, students } = await enrolled(net);
    const series = core.device.receipt_series;
    const identity = { id: core.device.device_id, token: core.device.token, series };

    const p1 = await pay(core, students[0]!);
    await sent(core);
    net.online = false;
    const p2 = await pay(core, students[1]!); // unsent when the backup is taken
    const backup = await call<BackupInfo>(core, 'backups.create', {});
    net.online = true;
    await sent(core);
    const p3 = await pay(core, students[2]!); // after the backup, reached the server
    await sent(core);
    net.online = false;
    const p4 = await pay(core, students[3]!); // after the backup, never sent: lost with the file
    expect([p1, p2, p3, p4].map((p) => p.receiptNo)).toEqual([1, 2, 3, 4].map((n) => `${series}-${String(n).padStart(6, '0')}`));
    await core.close();
    open = null;

    damage(join(dir, LOCAL_DB_FILE), 0, 100); // the header: SQLite no longer sees a database
    core = await start({ dataDir: dir, startSync: false }, net);
    const report = core.recovered!;
    expect(report).toMatchObject({ fromBackup: backup.name, pendingRecovered: backup.pending, reason: expect.stringMatching(/not a database/) });
    expect(report.damagedFile.startsWith(join(dir, 'damaged'))).toBe(true);
    expect(existsSync(report.damagedFile)).toBe(true);
    expect({ id: core.device.device_id, token: core.device.token, series: core.device.receipt_series }).toEqual(identity);

    // Offline: the bursar can still sign in here, the unsent payment is on screen, and no new
    // receipt number is issued before the server's payments are known.
    await call(core, 'auth.login', BURSAR);
    const local = () => core.store.sqlite.prepare('select id from payments where device_id = ? order by receipt_no').pluck().all(identity.id);
    expect(local()).toEqual([p2.id]);
    const held = await core.dispatch('payments.record', { studentId: students[4]!, amountMinor: 100, method: 'cash' });
    expect(held).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/rebuilt after damage .* first sync to finish/) } });
    const overview = await call<BackupsOverview>(core, 'backups.list', {});
    expect(overview.lastRecovery).toEqual(report);

    net.online = true;
    core.sync.start();
    await waitFor('the full sync after the rebuild', async () => {
      const s = await call<SyncStatus>(core, 'sync.status', {});
      const held = core.store.sqlite.prepare('select count(*) from receipt_hold').pluck().get();
      return s.pending === 0 && held === 0 && (await call<{ count: number }>(core, 'students.count', {})).count === STUDENTS;
    }, 30_000);

    // The server holds each payment of this till once; the lost one never reached it.
    const onServer = async () => server.db.db.selectFrom('payments').select(['id', 'receipt_no']).where('device_id', '=', identity.id).orderBy('receipt_no').execute();
    expect(await onServer()).toEqual([p1, p2, p3].map((p) => ({ id: p.id, receipt_no: p.receiptNo })));
    expect(local()).toEqual([p1.id, p2.id, p3.id]);
    const applied = await server.db.db.selectFrom('applied_mutations').select((eb) => eb.fn.countAll<number>().as('n')).where('device_id', '=', identity.id).executeTakeFirstOrThrow();
    expect(Number(applied.n)).toBeGreaterThan(0);

    // Numbering goes on past the server's highest; the next one is new to the school.
    const p5 = await pay(core, students[4]!);
    expect(p5.receiptNo).toBe(`${series}-000004`);
    await sent(core);
    const receipts = (await onServer()).map((p) => p.receipt_no);
    expect(new Set(receipts).size).toBe(receipts.length);
    expect(receipts).toEqual([p1, p2, p3, p5].map((p) => p.receiptNo));

    // The device's copy of the school equals the server's.
    const serverPayments = (await server.db.db.selectFrom('payments').select('id').execute()).map((p) => p.id).sort();
    expect((core.store.sqlite.prepare('select id from payments').pluck().all() as string[]).sort()).toEqual(serverPayments);
    const serverStudents = (await server.db.db.selectFrom('students').select(['id', 'first_name', 'last_name']).execute()).sort((a, b) => a.id.localeCompare(b.id));
    expect(core.store.sqlite.prepare('select id, first_name, last_name from students order by id').all()).toEqual(serverStudents);
  });

  it('a restored device catches up with the server and sends each kept change once', { timeout: 90_000 }, async () => {
    const net = cable();
    const { core, students } = await enrolled(net);
    const series = core.device.receipt_series;
    const admin = { username: DEMO_STAFF.admin.username, password: DEMO_STAFF.admin.password };
    await call(core, 'auth.login', admin); // an administrator records and restores here
    net.online = false;
    const p1 = await pay(core, students[0]!); // pending in the backup, sent before the restore
    const backup = await call<BackupInfo>(core, 'backups.create', {});
    net.online = true;
    await sent(core);
    net.online = false;
    const p2 = await pay(core, students[1]!); // saved after the backup, still unsent at the restore
    const result = await call<{ restored: string; pendingKept: number }>(core, 'backups.restore', { name: backup.name });
    expect(result.restored).toBe(backup.name);
    expect(result.pendingKept).toBeGreaterThanOrEqual(1);
    // The backup's pending p1 was settled since: it is not queued again; p2 is.
    const queued = core.store.sqlite.prepare("select json_extract(args, '$.id') from outbox where name = 'payments.record'").pluck().all();
    expect(queued).toEqual([p2.id]);

    net.online = true;
    await call(core, 'auth.login', admin); // the restore signed everyone out
    await sent(core);
    const p3 = await pay(core, students[2]!);
    expect(p3.receiptNo).toBe(`${series}-000003`);
    await sent(core);
    const onServer = await server.db.db.selectFrom('payments').select(['id', 'receipt_no']).where('device_id', '=', core.device.device_id).orderBy('receipt_no').execute();
    expect(onServer).toEqual([p1, p2, p3].map((p) => ({ id: p.id, receipt_no: p.receiptNo })));
    await waitFor('the device to hold what the server holds', async () => {
      const serverIds = (await server.db.db.selectFrom('payments').select('id').execute()).map((p) => p.id).sort();
      const localIds = (core.store.sqlite.prepare('select id from payments').pluck().all() as string[]).sort();
      return JSON.stringify(serverIds) === JSON.stringify(localIds);
    });
    expect((await call<SyncStatus>(core, 'sync.status', {})).needsAttention).toBe(0);
  });

  it('rebuilds at the next start when the check after start finds a damaged table', { timeout: 60_000 }, async () => {
    const net = cable();
    const { core, dir } = await enrolled(net);
    const backup = await call<BackupInfo>(core, 'backups.create', {});
    const file = join(dir, LOCAL_DB_FILE);
    const root = core.store.sqlite.prepare("select rootpage from sqlite_schema where name = 'students'").pluck().get() as number;
    const pageSize = core.store.sqlite.pragma('page_size', { simple: true }) as number;
    await core.close();
    open = null;
    damage(file, (root - 1) * pageSize, pageSize); // the students table, which the start does not read

    const reopened = await start({ dataDir: dir, startSync: false, backups: { firstCheckAfterMs: 0 } }, net);
    expect(reopened.recovered).toBeNull();
    const status = await waitFor('the check after start', async () => {
      const s = await reopened.sync.status();
      return s.lastError ? s : false;
    });
    expect(status.lastError).toMatch(/database is damaged .* Close Schoolhouse and open it again/s);
    await reopened.close();
    open = null;

    const rebuilt = await start({ dataDir: dir, startSync: false }, net);
    expect(rebuilt.recovered).toMatchObject({ fromBackup: backup.name, reason: expect.stringMatching(/integrity check found/) });
    expect(readdirSync(join(dir, 'damaged')).length).toBeGreaterThan(0);
    expect(rebuilt.store.sqlite.pragma('quick_check', { simple: true })).toBe('ok');
  });

  it('without a usable backup, says to enrol again and where the damaged file is', { timeout: 60_000 }, async () => {
    const net = cable();
    const { core, dir } = await enrolled(net);
    await core.close();
    open = null;
    const file = join(dir, LOCAL_DB_FILE);
    damage(file, 0, 100);

    // The app opens ready to enrol again, and says why.
    const app = await openApp({ dataDir: dir, sync: { ...FAST_SYNC, fetch: net.fetch }, startSync: false });
    let message: string;
    try {
      expect(await app.dispatch('device.state', {})).toEqual({ ok: true, value: { enrolled: false } });
      const reply = await app.dispatch('sync.status', {});
      expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      message = (reply as { error: { message: string } }).error.message;
    } finally {
      await app.close();
    }
    expect(message).toMatch(/database is damaged .* no usable backup .* Enrol this computer again .* changes saved here that had not reached the server are lost/s);
    const kept = /kept at (.+) for IT/.exec(message)![1]!;
    expect(kept.startsWith(join(dir, 'damaged'))).toBe(true);
    expect(() => new Sqlite(kept, { readonly: true }).pragma('schema_version')).toThrow(/not a database/);
    // The damaged file is out of the way: the next start is a clean one, waiting for enrolment.
    expect(await openCore({ dataDir: dir, startSync: false }).catch((e: unknown) => e)).toBeInstanceOf(NotEnrolledError);
  });
});
