// The device's sync client (real SQLite files) against the real sync server, on PGlite and on
// PostgreSQL: initial pull, push and acknowledgement, live delivery to a second device, a
// server rejection moved to "needs attention", a lost push response, and a malformed pulled row.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Core } from '../../electron/core/open-core.js';
import { call, Fleet } from '../support/fleet.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { allocateSeqs, appendChanges } from '../../sync-server/src/changes/append.js';
import { bumpShapeEpoch } from '../../sync-server/src/shape/handle.js';
import { BACKENDS, counts, freshBackend, backendSkipped, type BackendConfig } from '../support/sync-server.js';
import { waitFor } from '../support/wait.js';
import type { PaymentView } from '../../shared/domain/payments.js';
import type { StudentListItem } from '../../shared/domain/students.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';

const STUDENTS = 200;

describe.each(BACKENDS)('sync client against the server on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  const fleet = new Fleet(() => server);
  let first: Core | undefined;

  async function device(name: string, options: { fetch?: typeof fetch } = {}): Promise<Core> {
    const core = await fleet.enrol(name, options);
    first ??= core;
    await call(core, 'auth.login', { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password });
    return core;
  }

  /** Students removed at the school by earlier tests in this file. */
  let removed = 0;

  async function synced(core: Core): Promise<void> {
    await waitFor('initial sync', async () => (await call<{ count: number }>(core, 'students.count', {})).count === STUDENTS - removed);
  }

  async function serverStudent(): Promise<StudentListItem> {
    return (await call<{ rows: StudentListItem[] }>(first!, 'students.list', { status: 'enrolled', limit: 1 })).rows[0]!;
  }

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), seedDemo: { students: STUDENTS }, shapeChunkSize: 64, liveTimeoutMs: 1500 });
  });

  afterEach(async () => {
    await fleet.closeAll();
    first = undefined;
  });

  afterAll(async () => {
    await server.close();
    await backend.drop();
  });

  it('pulls the whole school in chunks and keeps {handle, offset} with the rows', async () => {
    const core = await device('Office');
    await synced(core);
    const state = core.store.sqlite.prepare('select * from sync_state').get() as { shape_handle: string; shape_offset: string; last_sync_at: string | null };
    expect(state.shape_handle).toBeTruthy();
    expect(state.shape_offset).toMatch(/^\d+_\d+$/);
    await waitFor('last sync time', async () => (await call<SyncStatus>(core, 'sync.status', {})).lastSyncAt !== null);
    const status = await call<SyncStatus>(core, 'sync.status', {});
    expect(status).toMatchObject({ online: true, pending: 0, needsAttention: 0, lastError: null });
  });

  it('pushes a payment once, drops it from the outbox, and a second device receives it live', async () => {
    const office = await device('Office');
    const head = await device('Head');
    await Promise.all([synced(office), synced(head)]);
    const student = await serverStudent();
    const before = await counts(server.db.db);
    const payment = await call<PaymentView>(office, 'payments.record', { studentId: student.id, amountMinor: 250_00 });

    await waitFor('acknowledgement', async () => (await call<SyncStatus>(office, 'sync.status', {})).pending === 0);
    const after = await counts(server.db.db);
    expect(after.payments - before.payments).toBe(1);
    const rows = await call<{ rows: PaymentView[] }>(office, 'payments.listForStudent', { studentId: student.id });
    expect(rows.rows.find((p) => p.id === payment.id)?.pending).toBe(false);

    const seen = await waitFor('live delivery to the second device', async () =>
      (await call<{ rows: PaymentView[] }>(head, 'payments.listForStudent', { studentId: student.id })).rows.find((p) => p.id === payment.id),
    );
    expect(seen).toMatchObject({ receiptNo: payment.receiptNo, amountMinor: 250_00, pending: false });
  });

  it('moves a payment the server refuses to "needs attention" with the reason, keeping its details', async () => {
    const office = await device('Office');
    await synced(office);
    await office.sync.stop();
    const student = await serverStudent();
    const payment = await call<PaymentView>(office, 'payments.record', { studentId: student.id, amountMinor: 999_00 });

    // Meanwhile, in another office, the student is withdrawn.
    await server.db.db.transaction().execute(async (trx) => {
      const t = await trx.selectFrom('tenants').select('id').executeTakeFirstOrThrow();
      const seq = await allocateSeqs(trx, t.id, 1);
      const row = await trx.updateTable('students').set({ status: 'withdrawn', _seq: seq }).where('id', '=', student.id).returningAll().executeTakeFirstOrThrow();
      const { tenant_id, _seq, deleted, ...wire } = row as Record<string, unknown>;
      await appendChanges(trx, String(tenant_id), [{ seq, table: 'students', rowId: student.id, op: 'update', row: wire as never }], { mutationId: null, deviceId: null });
    });

    office.sync.start();
    const status = await waitFor('the refusal', async () => {
      const s = await call<SyncStatus>(office, 'sync.status', {});
      return s.pending === 0 && s.needsAttention === 1 ? s : false;
    });
    expect(status.needsAttention).toBe(1);
    const parked = office.store.sqlite.prepare('select * from needs_attention').get() as { reason: string; args: string; mutation_id: string };
    expect(parked.reason).toMatch(/withdrawn/i);
    expect(JSON.parse(parked.args)).toMatchObject({ id: payment.id, amountMinor: 999_00, receiptNo: payment.receiptNo });
    const local = await call<{ rows: PaymentView[] }>(office, 'payments.listForStudent', { studentId: student.id });
    expect(local.rows.find((p) => p.id === payment.id)).toBeUndefined();
    const onServer = await server.db.db.selectFrom('payments').select('id').where('id', '=', payment.id).execute();
    expect(onServer).toEqual([]);
  });

  it('a push whose response is lost is sent again and lands exactly once', async () => {
    let lost = 0;
    const losingFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).includes('/v1/push') && lost === 0) {
        lost++;
        throw new TypeError('fetch failed (response lost)');
      }
      return res;
    };
    const office = await device('Office', { fetch: losingFetch });
    await synced(office);
    const student = (await call<{ rows: StudentListItem[] }>(office, 'students.list', { status: 'enrolled', limit: 3 })).rows[2]!;
    const before = await counts(server.db.db);
    const payment = await call<PaymentView>(office, 'payments.record', { studentId: student.id, amountMinor: 120_00 });
    await waitFor('acknowledgement after the retry', async () => (await call<SyncStatus>(office, 'sync.status', {})).pending === 0);
    expect(lost).toBe(1);
    const after = await counts(server.db.db);
    expect(after.payments - before.payments).toBe(1);
    const rows = await server.db.db.selectFrom('payments').select('receipt_no').where('id', '=', payment.id).execute();
    expect(rows).toEqual([{ receipt_no: payment.receiptNo }]);
  });

  it('after a breaking change (must-refetch) rebuilds from a snapshot, keeping the outbox and the signed-in person', async () => {
    const office = await device('Office');
    await synced(office);
    const handleBefore = office.store.sqlite.prepare('select shape_handle from sync_state').pluck().get();
    const [gone, kept] = (await call<{ rows: StudentListItem[] }>(office, 'students.list', { status: 'enrolled', limit: 2 })).rows;
    await office.sync.stop();
    const pending = await call<PaymentView>(office, 'payments.record', { studentId: kept!.id, amountMinor: 5_000 });

    // At the school, a student is removed, then a breaking change bumps the shape.
    await server.db.db.transaction().execute(async (trx) => {
      const t = await trx.selectFrom('tenants').select('id').executeTakeFirstOrThrow();
      const seq = await allocateSeqs(trx, t.id, 1);
      await trx.updateTable('students').set({ deleted: true, _seq: seq }).where('id', '=', gone!.id).execute();
      await appendChanges(trx, t.id, [{ seq, table: 'students', rowId: gone!.id, op: 'delete', row: null as never }], { mutationId: null, deviceId: null });
    });
    removed++;
    await bumpShapeEpoch(server.db.db, 'demo');

    office.sync.start();
    await waitFor('the rebuild', async () => {
      const state = office.store.sqlite.prepare('select shape_handle, refetching from sync_state').get() as { shape_handle: string | null; refetching: number };
      return state.shape_handle !== null && state.shape_handle !== handleBefore && state.refetching === 0;
    });
    await waitFor('the payment to be sent', async () => (await call<SyncStatus>(office, 'sync.status')).pending === 0);
    expect(await office.dispatch('students.get', { id: gone!.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await call<{ count: number }>(office, 'students.count', {})).count).toBe(STUDENTS - removed);
    const payments = await call<{ rows: PaymentView[] }>(office, 'payments.listForStudent', { studentId: kept!.id });
    expect(payments.rows.find((p) => p.id === pending.id)).toMatchObject({ pending: false });
    // The person stayed signed in throughout.
    expect(await call(office, 'auth.session')).toMatchObject({ user: { username: DEMO_STAFF.bursar.username } });
  });

  it('refuses a malformed pulled row without saving it or moving its offset', async () => {
    const office = await device('Office');
    await synced(office);
    // The students arrive before the rest of the school's ledger: wait for the whole log, so
    // the offset compared below is not still moving.
    const lastSeq = Number((await server.db.db.selectFrom('tenants').select('last_seq').executeTakeFirstOrThrow()).last_seq);
    await waitFor('the whole change log', async () => office.store.sqlite.prepare('select shape_offset from sync_state').pluck().get() === `${lastSeq}_0`);
    const before = office.store.sqlite.prepare('select shape_offset from sync_state').pluck().get();
    const student = await serverStudent();
    await server.db.db.transaction().execute(async (trx) => {
      const t = await trx.selectFrom('tenants').select('id').executeTakeFirstOrThrow();
      const seq = await allocateSeqs(trx, t.id, 1);
      // A row no valid write could produce: an empty surname.
      await sql`update students set last_name = '', _seq = ${seq} where id = ${student.id}`.execute(trx);
    });
    const status = await waitFor('the sync error', async () => {
      const s = await call<SyncStatus>(office, 'sync.status', {});
      return s.lastError ? s : false;
    });
    expect(status.lastError).toMatch(/students row this app cannot accept/);
    const local = await call<StudentListItem>(office, 'students.get', { id: student.id });
    expect(local.lastName).toBe(student.lastName);
    expect(office.store.sqlite.prepare('select shape_offset from sync_state').pluck().get()).toBe(before);
  });
});
