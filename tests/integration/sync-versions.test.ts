// Schema versions end to end, real devices (core on SQLite files) against a real server on PGlite
// and PostgreSQL: (a) an older app syncs what its version knows and keeps syncing; upgraded in
// the same folder it rebuilds with the new tables, its outbox untouched; (b) a change in a format
// the server cannot read (too new, too old) is refused, not recorded, kept in "needs attention",
// and once the server reads it a resend applies that same mutation exactly once; (c) a breaking
// change (shape bump) while a device has changes waiting offline: it rebuilds, keeps and then
// sends them, drops what the snapshot no longer has, and no conflict is lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { PUSH_PATH, SHAPE_PATH } from '../../shared/sync/protocol.js';
import { PROTOCOL_VERSION } from '../../shared/sync/versions.js';
import type { PaymentView } from '../../shared/domain/payments.js';
import type { StudentProfile } from '../../shared/domain/student-views.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import type { AttentionItem } from '../../shared/api/contract.js';
import { allocateSeqs, appendChanges } from '../../sync-server/src/changes/append.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import type { MutationVersionWindow } from '../../sync-server/src/push/mutation-versions.js';
import { bumpShapeEpoch } from '../../sync-server/src/shape/handle.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { call, FAST_SYNC } from '../support/fleet.js';
import { addStudent, BACKENDS, backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { waitFor } from '../support/wait.js';

const STUDENTS = 60;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe.each(BACKENDS)('schema versions between devices and the server on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let serverDir: string;
  let port: number;
  let server: RunningSyncServer;
  let enrolmentCode: string;
  const open: { core: Core; dir: string }[] = [];

  /** (Re)starts the server on the same port and database, reading the given mutation formats. */
  async function startServer(mutationVersions?: MutationVersionWindow, seed = false): Promise<void> {
    server = await startSyncServer({
      port,
      ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : { dataDir: serverDir }),
      ...(seed ? { seedDemo: { students: STUDENTS } } : {}),
      ...(mutationVersions ? { mutationVersions } : {}),
      shapeChunkSize: 64,
      liveTimeoutMs: 1000,
    });
  }

  async function restartServer(mutationVersions?: MutationVersionWindow): Promise<void> {
    await server.close();
    await startServer(mutationVersions);
  }

  /** Opens a device in `dir` (enrolling it the first time), as an app stating `statedVersion`. */
  async function openDevice(dir: string, options: { statedVersion?: number; enrol?: boolean; fetch?: typeof fetch } = {}): Promise<Core> {
    const core = await openCore({
      dataDir: dir,
      ...(options.enrol ? { enrol: { serverUrl: server.url, enrolmentCode, deviceName: `Office ${open.length + 1}` } } : {}),
      sync: { ...FAST_SYNC, ...(options.statedVersion ? { statedVersion: options.statedVersion } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) },
    });
    open.push({ core, dir });
    await call(core, 'auth.login', { username: DEMO_STAFF.admin.username, password: DEMO_STAFF.admin.password });
    return core;
  }

  function newDir(): string {
    return mkdtempSync(join(tmpdir(), 'schoolhouse-versions-'));
  }

  async function closeDevice(core: Core): Promise<void> {
    open.splice(open.findIndex((o) => o.core === core), 1);
    await core.close();
  }

  const one = (core: Core, query: string, ...params: unknown[]) => core.store.sqlite.prepare(query).pluck().get(...params);
  const localIds = (core: Core, table: string) => (core.store.sqlite.prepare(`select id from ${table} order by id`).pluck().all() as string[]);
  const syncState = (core: Core) => core.store.sqlite.prepare('select shape_handle, refetching, protocol_version, last_sync_at from sync_state').get() as { shape_handle: string | null; refetching: number; protocol_version: number; last_sync_at: string | null };
  const status = (core: Core) => call<SyncStatus>(core, 'sync.status', {});
  const attention = async (core: Core) => (await call<{ rows: AttentionItem[] }>(core, 'attention.list', {})).rows;

  async function serverIds(table: 'classes' | 'charges' | 'students' | 'guardians'): Promise<string[]> {
    const rows = await server.db.db.selectFrom(table).select('id').where('tenant_id', '=', DEMO_SCHOOL.id).orderBy('id').execute();
    return rows.map((r) => r.id).sort();
  }

  async function applied(mutationId: string): Promise<{ status: string }[]> {
    return server.db.db.selectFrom('applied_mutations').select('status').where('mutation_id', '=', mutationId).execute();
  }

  async function serverPayments(id: string): Promise<number> {
    return (await server.db.db.selectFrom('payments').select('id').where('id', '=', id).execute()).length;
  }

  async function firstStudent(core: Core): Promise<string> {
    return one(core, "select id from students where deleted = 0 and status = 'enrolled' order by id limit 1") as string;
  }

  beforeAll(async () => {
    backend = await freshBackend(kind);
    serverDir = newDir();
    port = await freePort();
    await startServer(undefined, true);
    enrolmentCode = server.demoEnrolmentCode!;
  });

  afterEach(async () => {
    for (const { core, dir } of open.splice(0)) {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  afterAll(async () => {
    await server.close();
    await backend.drop();
    rmSync(serverDir, { recursive: true, force: true });
  });

  it('an older app syncs the tables it knows and keeps syncing; upgraded, it rebuilds with the new tables and keeps its outbox', async () => {
    const dir = newDir();
    let core = await openDevice(dir, { statedVersion: 4, enrol: true });
    const [students, charges, classes, guardians] = await Promise.all([serverIds('students'), serverIds('charges'), serverIds('classes'), serverIds('guardians')]);
    expect(classes.length).toBeGreaterThan(0);
    expect(guardians.length).toBeGreaterThan(0);
    await waitFor('the version-4 sync', async () => syncState(core).last_sync_at !== null && localIds(core, 'students').length === students.length && localIds(core, 'charges').length === charges.length);
    expect(localIds(core, 'charges')).toEqual(charges);
    // The school office came after version 4: none of it reached this device.
    expect(localIds(core, 'classes')).toEqual([]);
    expect(localIds(core, 'guardians')).toEqual([]);
    expect(syncState(core).protocol_version).toBe(4);

    // Its changes are accepted…
    const studentId = await firstStudent(core);
    const paid = await call<PaymentView>(core, 'payments.record', { studentId, amountMinor: 1_000 });
    await waitFor('the payment to be sent', async () => (await status(core)).pending === 0);
    expect(await serverPayments(paid.id)).toBe(1);
    // …and what the school does later still arrives.
    const added = await addStudent(server.db.db, DEMO_SCHOOL.id, { first_name: 'Later' });
    await waitFor('the new student', async () => one(core, 'select first_name from students where id = ?', added.id) === 'Later');
    expect((await status(core)).lastError).toBeNull();

    // Offline, another payment waits in the outbox; then the app is upgraded in the same folder.
    await core.sync.stop();
    const waiting = await call<PaymentView>(core, 'payments.record', { studentId, amountMinor: 2_000 });
    const waitingMutation = one(core, 'select mutation_id from outbox') as string;
    const handleBefore = syncState(core).shape_handle;
    await closeDevice(core);
    let pushes = 0;
    core = await openDevice(dir, {
      fetch: (input, init) => {
        if (new URL(String(input instanceof Request ? input.url : input)).pathname === PUSH_PATH) pushes++;
        return fetch(input, init);
      },
    });
    await waitFor('the rebuild with the new tables', async () => {
      const s = syncState(core);
      return s.refetching === 0 && s.shape_handle !== null && s.shape_handle !== handleBefore && localIds(core, 'classes').length === classes.length;
    });
    expect(localIds(core, 'classes')).toEqual(classes);
    expect(localIds(core, 'guardians')).toEqual(guardians);
    expect(syncState(core).protocol_version).toBe(PROTOCOL_VERSION);
    await waitFor('the waiting payment to be sent', async () => (await status(core)).pending === 0);
    expect(pushes).toBeGreaterThan(0);
    // The entry queued before the upgrade went as itself: applied once, under its own id.
    expect(await applied(waitingMutation)).toEqual([{ status: 'applied' }]);
    expect(await serverPayments(waiting.id)).toBe(1);
    expect(one(core, 'select count(*) from payments where id in (?, ?)', paid.id, waiting.id)).toBe(2);
    expect(one(core, 'select first_name from students where id = ?', added.id)).toBe('Later');
  });

  it('a change in a format the server cannot read is refused, kept, and applied once when resent to a server that reads it', async () => {
    const core = await openDevice(newDir(), { enrol: true });
    await waitFor('the first sync', async () => syncState(core).last_sync_at !== null);
    const studentId = await firstStudent(core);

    async function refusedThenApplied(mutationId: string, paymentId: string, reason: RegExp, fixedServer: MutationVersionWindow): Promise<void> {
      for (let attempt = 1; attempt <= 2; attempt++) {
        const [item] = await waitFor(`the refusal (${attempt})`, async () => {
          const rows = await attention(core);
          return rows.length === 1 ? rows : false;
        });
        expect(item!.reason).toMatch(reason);
        expect(one(core, 'select mutation_id from needs_attention')).toBe(mutationId);
        // Not recorded, nothing saved; the refused payment is off the screen.
        expect(await applied(mutationId)).toEqual([]);
        expect(await serverPayments(paymentId)).toBe(0);
        expect(one(core, 'select count(*) from payments where id = ?', paymentId)).toBe(0);
        if (attempt === 2) await restartServer(fixedServer);
        await call(core, 'attention.resend', { id: item!.id });
        // Queued again as the very same mutation, its payment back on screen.
        expect(one(core, 'select count(*) from outbox where mutation_id = ?', mutationId)).toBe(1);
        expect(one(core, 'select count(*) from payments where id = ?', paymentId)).toBe(1);
      }
      await waitFor('the resent change to apply', async () => (await status(core)).pending === 0 && (await attention(core)).length === 0);
      expect(await applied(mutationId)).toEqual([{ status: 'applied' }]);
      expect(await serverPayments(paymentId)).toBe(1);
      expect(one(core, 'select count(*) from payments where id = ?', paymentId)).toBe(1);
    }

    // Too new: this device's app writes a format (2) the server does not read yet.
    await core.sync.stop();
    const newer = await call<PaymentView>(core, 'payments.record', { studentId, amountMinor: 3_000 });
    core.store.sqlite.prepare('update outbox set schema_version = 2').run();
    const newerMutation = one(core, 'select mutation_id from outbox') as string;
    core.sync.start();
    await refusedThenApplied(newerMutation, newer.id, /newer version of Schoolhouse \(change format 2\).*update the sync server/, { min: 1, max: 2 });

    // Too old: the server no longer reads format 1.
    await restartServer({ min: 2, max: 2 });
    await core.sync.stop();
    const older = await call<PaymentView>(core, 'payments.record', { studentId, amountMinor: 4_000 });
    const olderMutation = one(core, 'select mutation_id from outbox') as string;
    expect(one(core, 'select schema_version from outbox')).toBe(1);
    core.sync.start();
    await refusedThenApplied(olderMutation, older.id, /old version of Schoolhouse \(change format 1\) that this sync server no longer reads/, { min: 1, max: 2 });
    await restartServer();
  });

  it('an app newer than the server is told, in the server\'s words, to update the server', async () => {
    const core = await openDevice(newDir(), { statedVersion: PROTOCOL_VERSION + 1, enrol: true });
    const error = await waitFor('the error', async () => (await status(core)).lastError ?? false);
    expect(error).toBe(
      `The sync server refused to send changes (400): This app speaks sync protocol ${PROTOCOL_VERSION + 1}, newer than this sync server (up to ${PROTOCOL_VERSION}): update the sync server to the app's version. Work is kept on this computer; receiving is retried.`,
    );
    expect(localIds(core, 'students')).toEqual([]);
  });

  it('sets aside a change for a table it does not know (a misbehaving server), says to update, and keeps syncing', async () => {
    let injected = false;
    const core = await openDevice(newDir(), {
      enrol: true,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        const url = new URL(String(input instanceof Request ? input.url : input));
        if (injected || url.pathname !== SHAPE_PATH || url.searchParams.get('live') !== 'true' || res.status !== 200) return res;
        injected = true;
        const body = (await res.json()) as unknown[];
        body.unshift({ key: '"library_loans"/"b1"', value: { table: 'library_loans', id: 'b1', seq: '1', deleted: 'false', row: '{"title":"Kidagaa kimemwozea"}' }, headers: { operation: 'insert' } });
        const headers = new Headers(res.headers);
        headers.delete('content-length');
        headers.delete('content-encoding');
        return new Response(JSON.stringify(body), { status: 200, headers });
      },
    });
    const warning = await waitFor('the warning', async () => (await status(core)).lastError ?? false);
    expect(warning).toBe(
      'The server sent records this version of Schoolhouse does not know ("library_loans"); they were skipped and the rest keeps syncing. Update Schoolhouse on this computer to see them.',
    );
    const added = await addStudent(server.db.db, DEMO_SCHOOL.id, { first_name: 'After' });
    await waitFor('a later change', async () => one(core, 'select first_name from students where id = ?', added.id) === 'After');
  });

  it('after a breaking change a device with changes waiting offline rebuilds, keeps and then sends them, and loses no conflict', async () => {
    let holdPushes = true;
    const offline = await openDevice(newDir(), {
      enrol: true,
      fetch: (input, init) => {
        const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
        return holdPushes && path === PUSH_PATH ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
      },
    });
    const online = await openDevice(newDir(), { enrol: true });
    const students = await serverIds('students');
    await waitFor('both first syncs', async () => [offline, online].every((c) => syncState(c).last_sync_at !== null && localIds(c, 'students').length === students.length));
    const editedId = await firstStudent(offline);
    const goneId = one(offline, 'select id from fee_categories order by id limit 1') as string;
    const handleBefore = syncState(offline).shape_handle;

    // Offline: a payment and an edit wait in the outbox.
    await offline.sync.stop();
    const payment = await call<PaymentView>(offline, 'payments.record', { studentId: editedId, amountMinor: 5_000 });
    const profile = await call<StudentProfile>(offline, 'students.profile', { id: editedId });
    await call(offline, 'students.save', { id: editedId, values: { ...profile.values, middle_name: 'Offline' } });
    expect(one(offline, 'select count(*) from outbox')).toBe(2);
    // Meanwhile the other office changes the same field, and the school removes a fee category…
    await call(online, 'students.save', { id: editedId, values: { ...profile.values, middle_name: 'Online' } });
    await waitFor('the other office to send', async () => (await status(online)).pending === 0);
    await server.db.db.transaction().execute(async (trx) => {
      const seq = await allocateSeqs(trx, DEMO_SCHOOL.id, 1);
      await trx.updateTable('fee_categories').set({ deleted: true, _seq: seq }).where('id', '=', goneId).execute();
      await appendChanges(trx, DEMO_SCHOOL.id, [{ seq, table: 'fee_categories', rowId: goneId, op: 'delete', row: null as never }], { mutationId: null, deviceId: null });
    });
    // …and a breaking change bumps the shape.
    await bumpShapeEpoch(server.db.db, DEMO_SCHOOL.id);

    offline.sync.start();
    await waitFor('the rebuild', async () => {
      const s = syncState(offline);
      return s.refetching === 0 && s.shape_handle !== null && s.shape_handle !== handleBefore;
    });
    // Rebuilt while its changes could not be sent: they are all still there, on screen too.
    expect(one(offline, 'select count(*) from outbox')).toBe(2);
    expect(one(offline, 'select count(*) from payments where id = ?', payment.id)).toBe(1);
    expect(one(offline, 'select middle_name from students where id = ?', editedId)).toBe('Offline');
    // A snapshot carries no removed category: the rebuild dropped it.
    expect(one(offline, 'select count(*) from fee_categories where id = ?', goneId)).toBe(0);

    holdPushes = false;
    await waitFor('the waiting changes to be sent', async () => (await status(offline)).pending === 0);
    expect(await serverPayments(payment.id)).toBe(1);
    const serverRow = await server.db.db.selectFrom('students').select('middle_name').where('id', '=', editedId).executeTakeFirstOrThrow();
    expect(serverRow.middle_name).toBe('Offline');
    // The overwritten value is in the conflict log, on the server and on both devices.
    const conflicts = await server.db.db.selectFrom('record_conflicts').select(['id', 'lost_value']).where('row_id', '=', editedId).execute();
    expect(conflicts.map((c) => c.lost_value)).toEqual(['"Online"']);
    for (const core of [offline, online]) {
      await waitFor('the conflict to arrive', async () => one(core, 'select count(*) from record_conflicts where id = ?', conflicts[0]!.id) === 1);
      await waitFor('the kept value', async () => one(core, 'select middle_name from students where id = ?', editedId) === 'Offline');
    }
    expect((await attention(offline)).length).toBe(0);
  });
});
