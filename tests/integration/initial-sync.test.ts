// Initial sync of a large school through the real SyncClient and the official ShapeStream, against
// the real server on PGlite and PostgreSQL: current records first (the app is usable while
// history is held back), progress in rows that survives a restart, an interrupted first sync
// that resumes where it stopped with writes made meanwhile, a must-refetch rebuild with
// progress, and offsets the server refuses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { bumpShapeEpoch } from '../../sync-server/src/shape/handle.js';
import { countSnapshotRows } from '../../sync-server/src/shape/snapshot.js';
import { PROFILE_TABLES, SHAPE_PATH, SYNCED_TABLES } from '../../shared/sync/protocol.js';
import { parsePosition, ROWS_TOTAL_HEADER, SNAPSHOT_PHASE, tablesOfPhase } from '../../shared/sync/snapshot.js';
import type { InitialSyncProgress, SyncStatus } from '../../shared/domain/sync-status.js';
import { BACKENDS, backendSkipped, freshBackend, makeSchool, TEST_ADMIN_PASSWORD, type BackendConfig, type TestSchool } from '../support/sync-server.js';
import { addBigSchool, bigSchoolRows } from '../support/big-school.js';
import { call, FAST_SYNC } from '../support/fleet.js';
import { waitFor } from '../support/wait.js';

const SIZE = { students: 3_000, paymentsPerStudent: 4 };
const CHUNK = 500;
const WAIT_MS = 60_000;

type Stage = 'history' | 'log';

/** A fetch for the device that records every shape response in request order and can hold the
 * requests of one snapshot stage (phase 2, or the log after it) until the test lets them go. */
class ShapeTap {
  readonly seen: { offset: string; live: boolean; status: number; tables: string[] }[] = [];
  readonly #gates = new Map<Stage, { promise: Promise<void>; open: () => void }>();

  hold(stage: Stage): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.#gates.set(stage, { promise, open });
  }

  release(stage: Stage): void {
    this.#gates.get(stage)?.open();
    this.#gates.delete(stage);
  }

  rowsReceived(): number {
    return this.seen.reduce((n, s) => n + s.tables.length, 0);
  }

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.pathname !== SHAPE_PATH) return fetch(input, init);
    const offset = url.searchParams.get('offset') ?? '';
    const live = url.searchParams.get('live') === 'true';
    const stage = offset === '-1' ? null : parsePosition(offset)?.kind;
    const gate = !live && (stage === 'history' || stage === 'log') ? this.#gates.get(stage) : undefined;
    if (gate) {
      await new Promise<void>((resolve, reject) => {
        void gate.promise.then(resolve);
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    const entry = { offset, live, status: 0, tables: [] as string[] };
    this.seen.push(entry);
    const res = await fetch(input, init);
    entry.status = res.status;
    if (res.status === 200) {
      const body = (await res.clone().json()) as { value?: { table: string } }[];
      entry.tables = body.flatMap((m) => (m.value ? [m.value.table] : []));
    }
    return res;
  };
}

describe.each(BACKENDS)('initial sync of a large school on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  let school: TestSchool;
  const open: { core: Core; dir: string }[] = [];

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), shapeChunkSize: CHUNK, liveTimeoutMs: 1500 });
    school = await makeSchool(server.db.db, 'BIG');
    await addBigSchool(server.db.db, school.tenantId, SIZE);
  }, 120_000);

  afterEach(async () => {
    for (const { core, dir } of open.splice(0)) {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  afterAll(async () => {
    await server?.close();
    await backend?.drop();
  });

  async function device(tap: ShapeTap, dir = mkdtempSync(join(tmpdir(), 'schoolhouse-initial-')), enrol = true): Promise<Core> {
    const core = await openCore({
      dataDir: dir,
      ...(enrol ? { enrol: { serverUrl: server.url, enrolmentCode: school.officeCode, deviceName: `PC ${open.length + 1}` } } : {}),
      sync: { ...FAST_SYNC, fetch: tap.fetch },
    });
    open.push({ core, dir });
    return core;
  }

  // What the status bar shows (sync.status needs a signed-in person; the first sync does not).
  const status = (core: Core): Promise<SyncStatus> => core.sync.status();
  const local = (core: Core, table: string) => core.store.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
  const snapshotTotal = (tables = PROFILE_TABLES.office) => withTenant(server.db.db, school.tenantId, (trx) => countSnapshotRows(trx, tables, school.tenantId));
  const serverCount = async (table: 'students' | 'payments') =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${school.tenantId}`.execute(server.db.db)).rows[0]!.n);

  /** Samples the device's progress until the snapshot is done, checking it only moves forward. */
  function watchProgress(core: Core): { samples: InitialSyncProgress[]; stop: () => void } {
    const samples: InitialSyncProgress[] = [];
    let running = true;
    void (async () => {
      while (running) {
        const s = await status(core).catch(() => null);
        if (s?.initialSync) samples.push(s.initialSync);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    return { samples, stop: () => (running = false) };
  }

  function expectMonotonic(samples: InitialSyncProgress[]): void {
    for (let i = 1; i < samples.length; i++) {
      expect(samples[i]!.rowsDone).toBeGreaterThanOrEqual(samples[i - 1]!.rowsDone);
      if (samples[i - 1]!.phase === 'history') expect(samples[i]!.phase).toBe('history');
    }
  }

  it('streams current records first: students can be found while history is held back; progress ends at the total', async () => {
    const tap = new ShapeTap();
    tap.hold('history');
    tap.hold('log');
    const core = await device(tap);
    const watch = watchProgress(core);

    // Phase 1 is in: every student and the staff to sign in, no history yet.
    const atSwitch = await waitFor('phase 1 complete', async () => ((await status(core)).initialSync?.phase === 'history' ? (await status(core)).initialSync : null), WAIT_MS);
    const expectedTotal = await snapshotTotal();
    const currentRows = await snapshotTotal(tablesOfPhase(PROFILE_TABLES.office, 'current'));
    expect(local(core, 'students')).toBe(SIZE.students);
    expect(local(core, 'payments')).toBe(0);
    expect(atSwitch!.rowsTotal).toBe(expectedTotal);
    expect(atSwitch!.rowsDone).toBe(currentRows);
    expect(atSwitch!.secondsLeft).not.toBeNull();
    expect((await status(core)).lastSyncAt, 'finishing phase 1 counts as a sync, so screens read again').not.toBeNull();
    await call(core, 'auth.login', { username: 'head', password: TEST_ADMIN_PASSWORD });
    expect((await call<{ count: number }>(core, 'students.count', {})).count).toBe(SIZE.students);
    expect((await call<{ count: number }>(core, 'students.count', { search: 'Chausiku' })).count).toBe(SIZE.students / 8);

    // History: held again before the log, where every snapshot row is in.
    tap.release('history');
    const beforeLog = await waitFor('phase 2 complete', async () => {
      const p = (await status(core)).initialSync;
      return p && local(core, 'payments') === bigSchoolRows(SIZE).history ? p : null;
    }, WAIT_MS);
    // The sign-in above wrote a login to the school's history while the snapshot ran: it may come twice.
    expect(beforeLog.rowsDone).toBeGreaterThanOrEqual(expectedTotal);
    expect(beforeLog.rowsDone).toBeLessThanOrEqual(expectedTotal + 2);
    expect(core.store.sqlite.prepare('select snapshot_rows_total from sync_state').pluck().get()).toBe(expectedTotal);

    tap.release('log');
    await waitFor('up to date', async () => (await status(core)).initialSync === null && tap.seen.some((s) => s.live), WAIT_MS);
    watch.stop();
    expectMonotonic(watch.samples);
    expect(watch.samples.length).toBeGreaterThan(2);

    // In the order the device stored them, no current record came after the first history row.
    const snapshot = tap.seen.filter((s) => s.offset === '-1' || parsePosition(s.offset)?.kind !== 'log');
    const order = snapshot.flatMap((s) => s.tables.map((t) => SNAPSHOT_PHASE[t as keyof typeof SNAPSHOT_PHASE]));
    expect(order.indexOf('history')).toBeGreaterThan(0);
    expect(order.lastIndexOf('current')).toBeLessThan(order.indexOf('history'));
    expect(snapshot.filter((s) => s.offset === '-1')).toHaveLength(1);
    expect(local(core, 'students')).toBe(SIZE.students);
  }, 120_000);

  it('an interrupted first sync resumes where it stopped (never from -1), with writes made meanwhile, and ends equal to the server', async () => {
    const first = new ShapeTap();
    const core = await device(first);
    const dir = open.at(-1)!.dir;
    const total = await snapshotTotal();
    await waitFor('40% stored', async () => ((await status(core)).initialSync?.rowsDone ?? 0) >= total * 0.4, WAIT_MS);

    // Meanwhile at the school: a student the device already has is renamed, a payment is added.
    const renamed = (await sql<{ id: string }>`select id from students where tenant_id = ${school.tenantId} order by _seq limit 1`.execute(server.db.db)).rows[0]!.id;
    await server.db.db.transaction().execute(async (trx) => {
      const seq = (await sql<{ s: number }>`update tenants set last_seq = last_seq + 2 where id = ${school.tenantId} returning last_seq as s`.execute(trx)).rows[0]!.s;
      await sql`update students set first_name = 'Zawadi', _seq = ${seq - 1} where tenant_id = ${school.tenantId} and id = ${renamed}`.execute(trx);
      await sql`insert into payments (tenant_id, id, student_id, amount_minor, currency, method, reference, receipt_no, recorded_at, recorded_by, recorded_by_id, allocations, device_id, _seq)
        values (${school.tenantId}, '0190e000-0000-7000-8000-000000000001', ${renamed}, 4200, 'KES', 'cash', null, 'BIG-D9-9999999', '2026-02-01T09:00:00.000Z', 'Bursar', null, '[]'::jsonb,
          '0190d000-0000-7000-8000-0000000000b9', ${seq})`.execute(trx);
    });
    const doneBefore = (await status(core)).initialSync!.rowsDone;
    await core.close();
    open.pop();

    const second = new ShapeTap();
    const reopened = await device(second, dir, false);
    const resumed = await status(reopened);
    expect(resumed.initialSync?.rowsDone).toBeGreaterThanOrEqual(doneBefore);
    await waitFor('up to date after resuming', async () => (await status(reopened)).initialSync === null && local(reopened, 'payments') === (await serverCount('payments')), WAIT_MS);

    expect(second.seen.length).toBeGreaterThan(0);
    expect(second.seen.some((s) => s.offset === '-1'), 'the resumed run never starts over').toBe(false);
    const received = first.rowsReceived() + second.rowsReceived();
    // Pages fetched ahead but not stored at the stop come again, as do the two rows changed meanwhile.
    expect(received).toBeGreaterThanOrEqual(total);
    expect(received).toBeLessThanOrEqual(total + 4 * CHUNK);

    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    const serverStudents = (await sql<{ id: string; first_name: string }>`select id, first_name from students where tenant_id = ${school.tenantId}`.execute(server.db.db)).rows;
    const localStudents = reopened.store.sqlite.prepare('select id, first_name from students').all() as { id: string; first_name: string }[];
    expect(localStudents.sort(byId)).toEqual(serverStudents.sort(byId));
    expect(reopened.store.sqlite.prepare('select first_name from students where id = ?').pluck().get(renamed)).toBe('Zawadi');
    const serverPayments = (await sql<{ id: string }>`select id from payments where tenant_id = ${school.tenantId}`.execute(server.db.db)).rows.map((r) => r.id);
    expect((reopened.store.sqlite.prepare('select id from payments').pluck().all() as string[]).sort()).toEqual(serverPayments.sort());
    for (const table of SYNCED_TABLES) {
      const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${school.tenantId}`.execute(server.db.db);
      expect(local(reopened, table), table).toBe(Number(rows[0]!.n));
    }
  }, 180_000);

  it('a must-refetch rebuild shows its progress and keeps every row', async () => {
    const tap = new ShapeTap();
    const core = await device(tap);
    await waitFor('first sync', async () => (await status(core)).initialSync === null && (await status(core)).lastSyncAt !== null && local(core, 'payments') > 0, WAIT_MS);
    await waitFor('up to date', async () => tap.seen.some((s) => s.live), WAIT_MS);
    const payments = local(core, 'payments');

    tap.hold('history');
    await bumpShapeEpoch(server.db.db, school.tenantId);
    const rebuilding = await waitFor('rebuild in phase 2', async () => {
      const p = (await status(core)).initialSync;
      return p?.phase === 'history' ? p : null;
    }, WAIT_MS);
    expect(rebuilding.rowsTotal).toBe(await snapshotTotal());
    expect(rebuilding.rowsDone).toBeLessThan(rebuilding.rowsTotal);
    // The rows already here stay on screen while the rebuild runs.
    expect(local(core, 'payments')).toBe(payments);

    tap.release('history');
    await waitFor('rebuilt', async () => (await status(core)).initialSync === null && core.store.sqlite.prepare('select refetching from sync_state').pluck().get() === 0, WAIT_MS);
    expect(tap.seen.filter((s) => s.offset === '-1')).toHaveLength(2);
    expect(local(core, 'payments')).toBe(payments);
    expect(local(core, 'students')).toBe(SIZE.students);
  }, 180_000);

  it('raw HTTP: the first response counts the rows; offsets outside what the server hands out are refused', async () => {
    const core = await device(new ShapeTap());
    const token = core.device.token;
    const get = (query: string) => fetch(`${server.url}${SHAPE_PATH}?${query}`, { headers: { authorization: `Bearer ${token}` } });
    const first = await get('offset=-1');
    expect(first.status).toBe(200);
    expect(Number(first.headers.get(ROWS_TOTAL_HEADER))).toBe(await snapshotTotal());
    expect(first.headers.get('access-control-expose-headers')).toContain(ROWS_TOTAL_HEADER);
    expect(first.headers.get('electric-offset')).toMatch(/^\d+_1$/);
    expect(first.headers.get('electric-up-to-date')).toBeNull();
    const handle = encodeURIComponent(first.headers.get('electric-handle')!);
    const next = await get(`offset=${first.headers.get('electric-offset')}&handle=${handle}`);
    expect(next.status).toBe(200);
    expect(next.headers.get(ROWS_TOTAL_HEADER), 'counted once per snapshot').toBeNull();

    const lastSeq = Number((await sql<{ s: string }>`select last_seq as s from tenants where id = ${school.tenantId}`.execute(server.db.db)).rows[0]!.s);
    for (const [query, message] of [
      [`offset=${lastSeq + 100}_1&handle=${handle}`, /ahead of this school's changes/],
      [`offset=5_${lastSeq + 100}&handle=${handle}`, /ahead of this school's changes/],
      ['offset=5_1', /"handle" parameter is required/],
      [`offset=5_1&handle=${handle}&live=true`, /live=true needs the offset of an up-to-date response/],
      [`offset=5_x&handle=${handle}`, /"offset" parameter "5_x" is not valid/],
    ] as const) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { message: string }).message, query).toMatch(message);
    }
  }, 60_000);
});
