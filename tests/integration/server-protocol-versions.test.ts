// The sync server serves each device the tables its protocol version knows (`v` on the shape
// request), under a handle of its own, so an upgraded device refetches; bad versions get a clear
// 400; a mutation in a format the server cannot read is refused and not recorded. Both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENROL_PATH, PUSH_PATH, SHAPE_PATH, type EnrolResponse, type PushResponse } from '../../shared/sync/protocol.js';
import { MUTATION_SCHEMA_VERSION } from '../../shared/sync/mutations.js';
import { PROTOCOL_VERSION, tablesKnownAt } from '../../shared/sync/versions.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { bumpShapeEpoch } from '../../sync-server/src/shape/handle.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { BACKENDS, backendSkipped, freshBackend, mutation, paymentArgs, type BackendConfig } from '../support/sync-server.js';

const STUDENTS = 40;

describe.each(BACKENDS)('protocol versions on the server (%s)', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  let device: EnrolResponse;

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), seedDemo: { students: STUDENTS }, shapeChunkSize: 50, liveTimeoutMs: 500 });
    const res = await fetch(`${server.url}${ENROL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrolmentCode: server.demoEnrolmentCode, deviceName: 'Versions' }),
    });
    device = (await res.json()) as EnrolResponse;
  });

  afterAll(async () => {
    await server.close();
    await backend.drop();
  });

  function shapeGet(query: string): Promise<Response> {
    return fetch(`${server.url}${SHAPE_PATH}?${query}`, { headers: { authorization: `Bearer ${device.token}` } });
  }

  /** Reads a whole snapshot (offset -1 to up-to-date) as a device stating `v` (none when undefined). */
  async function snapshot(v: string | undefined): Promise<{ handle: string; offset: string; tables: Set<string> }> {
    const param = v === undefined ? '' : `&v=${v}`;
    let res = await shapeGet(`offset=-1${param}`);
    const tables = new Set<string>();
    for (;;) {
      expect(res.status).toBe(200);
      for (const m of (await res.json()) as { value?: { table: string } }[]) if (m.value) tables.add(m.value.table);
      const handle = res.headers.get('electric-handle')!;
      const offset = res.headers.get('electric-offset')!;
      if (res.headers.get('electric-up-to-date') === 'true') return { handle, offset, tables };
      res = await shapeGet(`offset=${offset}&handle=${encodeURIComponent(handle)}${param}`);
    }
  }

  it('serves a version-4 device the bursary but not the school office, under a handle of its own', async () => {
    const old = await snapshot('4');
    const current = await snapshot(String(PROTOCOL_VERSION));
    const unstated = await snapshot(undefined);
    // The demo school has rows in both generations of tables.
    expect(current.tables).toContain('classes');
    expect(current.tables).toContain('charges');
    expect(old.tables).toContain('students');
    expect(old.tables).toContain('charges');
    for (const t of old.tables) expect(tablesKnownAt(4), t).toContain(t);
    expect(old.tables).not.toContain('classes');
    expect(old.tables).not.toContain('guardians');
    // Builds from before versions were stated knew every table of today: same shape, same handle.
    expect(unstated.tables).toEqual(current.tables);
    expect(unstated.handle).toBe(current.handle);
    expect(old.handle).not.toBe(current.handle);
  });

  it('answers an upgraded device, still holding its old handle, with 409 must-refetch', async () => {
    const old = await snapshot('4');
    const stale = await shapeGet(`offset=${old.offset}&handle=${encodeURIComponent(old.handle)}&v=${PROTOCOL_VERSION}`);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
    const same = await shapeGet(`offset=${old.offset}&handle=${encodeURIComponent(old.handle)}&v=4`);
    expect(same.status).toBe(200);
  });

  it('gives every version a new handle when the shape is bumped', async () => {
    const before = [await snapshot('4'), await snapshot(undefined)];
    const bumped = await bumpShapeEpoch(server.db.db, DEMO_SCHOOL.id);
    const after = [await snapshot('4'), await snapshot(undefined)];
    expect(after[1]!.handle).toBe(bumped);
    for (let i = 0; i < 2; i++) expect(after[i]!.handle).not.toBe(before[i]!.handle);
    for (const b of before) expect((await shapeGet(`offset=${b.offset}&handle=${encodeURIComponent(b.handle)}&v=4`)).status).toBe(409);
  });

  it.each([
    ['v=abc', /"v" parameter "abc" is not a protocol version: send one whole number from 1 to/],
    ['v=0', /"v" parameter "0" is not a protocol version/],
    ['v=4&v=5', /"v" parameter \["4","5"\] is not a protocol version: send one whole number .*, once/],
    [`v=${PROTOCOL_VERSION + 1}`, /newer than this sync server .*: update the sync server/],
  ])('refuses %s with a clear 400', async (query, message) => {
    const res = await shapeGet(`offset=-1&${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } } | { code: string; message: string };
    const error = 'error' in body ? body.error : body;
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
  });

  it('refuses a mutation in a format it cannot read, without recording it', async () => {
    const student = await server.db.db.selectFrom('students').select('id').limit(1).executeTakeFirstOrThrow();
    const m = mutation(paymentArgs(device.receiptSeries, 1, student.id), { schemaVersion: MUTATION_SCHEMA_VERSION + 1, authorId: DEMO_STAFF.bursar.id });
    const push = () =>
      fetch(`${server.url}${PUSH_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
        body: JSON.stringify({ mutations: [m] }),
      });
    for (let i = 0; i < 2; i++) {
      const reply = (await (await push()).json()) as PushResponse;
      expect(reply.results).toEqual([
        { mutationId: m.id, status: 'rejected', recorded: false, reason: expect.stringMatching(/newer version of Schoolhouse \(change format 2\).*update the sync server, then resend it/) },
      ]);
    }
    expect(await server.db.db.selectFrom('applied_mutations').select('mutation_id').where('mutation_id', '=', m.id).execute()).toEqual([]);
    expect(await server.db.db.selectFrom('payments').select('id').where('id', '=', (m.args as { id: string }).id).execute()).toEqual([]);
  });
});
