// Contract test: the official Electric client (the exact version the desktop app pins) against
// this server's shape endpoint, over real HTTP.
import { isChangeMessage, isControlMessage, ShapeStream, type Message, type Row } from '@electric-sql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudentRow } from '../../shared/domain/students.js';
import { CHANGE_SHAPE_SCHEMA, ENROL_PATH, PUSH_PATH, SHAPE_PATH, type ChangeValue, type EnrolResponse, type PushResponse } from '../../shared/sync/protocol.js';
import { allocateSeqs, appendChanges } from '../../sync-server/src/changes/append.js';
import { DEMO_SCHOOL, DEMO_STAFF, DEMO_TEACHERS } from '../../sync-server/src/demo/seed-demo.js';
import { bumpShapeEpoch } from '../../sync-server/src/shape/handle.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { waitFor } from '../support/wait.js';
import { BACKENDS, freshBackend, mutation, paymentArgs, backendSkipped, type BackendConfig } from '../support/sync-server.js';

const STUDENTS = 120;
const CHUNK = 25;
const LIVE_TIMEOUT_MS = 4000;

interface RequestRecord {
  url: URL;
  status?: number;
}

/** Follows one ShapeStream: the rows it has materialised and every request it made. */
class Follower {
  readonly rows = new Map<string, ChangeValue>();
  readonly controls: string[] = [];
  readonly requests: RequestRecord[] = [];
  readonly errors: unknown[] = [];
  readonly stream: ShapeStream<Row<unknown>>;
  readonly #abort = new AbortController();

  constructor(baseUrl: string, token: string, extra: { offset?: `${number}_${number}`; handle?: string; subscribe?: boolean } = {}) {
    this.stream = new ShapeStream({
      url: `${baseUrl}${SHAPE_PATH}`,
      headers: { authorization: `Bearer ${token}` },
      parser: { int8: (v: string) => Number(v) },
      signal: this.#abort.signal,
      ...extra,
      fetchClient: async (input, init) => {
        const record: RequestRecord = { url: new URL(input.toString()) };
        this.requests.push(record);
        const res = await fetch(input, init);
        record.status = res.status;
        return res;
      },
    });
    this.stream.subscribe(
      (messages: Message<Row<unknown>>[]) => {
        for (const m of messages) {
          if (isChangeMessage(m)) {
            if (m.headers.operation === 'delete') this.rows.delete(m.key);
            else this.rows.set(m.key, m.value as unknown as ChangeValue);
          } else if (isControlMessage(m)) {
            this.controls.push(m.headers.control);
            if (m.headers.control === 'must-refetch') this.rows.clear();
          }
        }
      },
      (e) => this.errors.push(e),
    );
  }

  stop(): void {
    this.#abort.abort();
    this.stream.unsubscribeAll();
  }
}

function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<true> {
  return waitFor(what, async () => check(), timeoutMs);
}

describe.each(BACKENDS)('shape contract with the official ShapeStream on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  let device: EnrolResponse;
  let receipt = 0;
  let follower: Follower;
  const enrolledIds: string[] = [];

  async function pushPayment(): Promise<string> {
    const args = paymentArgs(device.receiptSeries, ++receipt, enrolledIds[receipt % enrolledIds.length]!);
    const res = await fetch(`${server.url}${PUSH_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ mutations: [mutation(args)] }),
    });
    const body = (await res.json()) as PushResponse;
    expect(body.results[0]?.status).toBe('applied');
    return args.id;
  }

  function shapeGet(query: string) {
    return fetch(`${server.url}${SHAPE_PATH}?${query}`, { headers: { authorization: `Bearer ${device.token}` } });
  }

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({
      port: 0,
      ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}),
      seedDemo: { students: STUDENTS },
      shapeChunkSize: CHUNK,
      liveTimeoutMs: LIVE_TIMEOUT_MS,
    });
    const res = await fetch(`${server.url}${ENROL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrolmentCode: DEMO_SCHOOL.enrolmentCode, deviceName: 'Contract test' }),
    });
    device = (await res.json()) as EnrolResponse;
    const students = await server.db.db.selectFrom('students').select('id').where('status', '=', 'enrolled').limit(10).execute();
    enrolledIds.push(...students.map((s) => s.id));
  });

  afterAll(async () => {
    follower?.stop();
    await server?.close();
    await backend?.drop();
  });

  it('initial sync: every student arrives, in several chunks, with typed values', async () => {
    follower = new Follower(server.url, device.token);
    await until('initial up-to-date', () => follower.stream.isUpToDate);
    expect(follower.errors).toEqual([]);
    const byTable = (t: string) => [...follower.rows.values()].filter((v) => v.table === t);
    expect(byTable('students')).toHaveLength(STUDENTS);
    // The demo school's built-in roles and staff arrive too (an office device gets every table).
    expect(byTable('roles')).toHaveLength(6);
    expect(byTable('staff')).toHaveLength(new Set([...Object.values(DEMO_STAFF), ...DEMO_TEACHERS].map((s) => s.id)).size);

    const initial = follower.requests.filter((r) => r.url.searchParams.get('live') !== 'true');
    expect(initial.length).toBeGreaterThanOrEqual(Math.ceil(STUDENTS / CHUNK));
    expect(initial[0]!.url.searchParams.get('offset')).toBe('-1');
    expect(initial.every((r) => r.status === 200)).toBe(true);

    const [key, value] = [...follower.rows.entries()].find(([, v]) => v.table === 'students')!;
    expect(key).toBe(`"students"/"${value.id}"`);
    expect(typeof value.seq).toBe('number');
    expect(value.deleted).toBe(false);
    expect(value.table).toBe('students');
    expect(Object.keys(value).sort()).toEqual(Object.keys(CHANGE_SHAPE_SCHEMA).sort());
    expect(StudentRow.parse(value.row)).toEqual(value.row);
    const seqs = [...follower.rows.values()].map((v) => v.seq);
    expect(new Set(seqs).size).toBe(follower.rows.size);
  });

  it('live long-poll delivers a change pushed while the stream waits, on the same subscription', async () => {
    const liveRequestsBefore = () => follower.requests.filter((r) => r.url.searchParams.get('live') === 'true');
    await until('a live request in flight', () => liveRequestsBefore().some((r) => r.status === undefined));
    const requestsSoFar = follower.requests.length;
    const started = Date.now();
    const id = await pushPayment();
    await until('the pushed payment', () => follower.rows.has(`"payments"/"${id}"`));
    // Woken by the notification, not by the poll timing out.
    expect(Date.now() - started).toBeLessThan(LIVE_TIMEOUT_MS - 1000);
    const delivered = follower.rows.get(`"payments"/"${id}"`)!;
    expect(delivered.row).toMatchObject({ id, amount_minor: 150_000, currency: 'KES', device_id: device.deviceId });
    // The request that carried it was one already in flight (or its immediate successor): no new subscription.
    expect(follower.requests.length - requestsSoFar).toBeLessThanOrEqual(2);
    expect(follower.requests.slice(requestsSoFar - 1).every((r) => r.url.searchParams.get('live') === 'true')).toBe(true);
  });

  it('a deleted row arrives as a delete message; a removed student as its tombstone row', async () => {
    const victim = [...follower.rows.values()].find((v) => v.table === 'roles' && (v.row as { key: string }).key === 'auditor');
    await server.db.db.transaction().execute(async (trx) => {
      const seq = await allocateSeqs(trx, DEMO_SCHOOL.id, 1);
      await trx.updateTable('roles').set({ deleted: true, _seq: seq }).where('tenant_id', '=', DEMO_SCHOOL.id).where('id', '=', victim!.id).execute();
      await appendChanges(trx, DEMO_SCHOOL.id, [{ seq, table: 'roles', rowId: victim!.id, op: 'delete', row: null }], { mutationId: null, deviceId: null });
    });
    await until('the delete', () => !follower.rows.has(`"roles"/"${victim!.id}"`));

    // Editable records keep their tombstone (and its versions) on the device: a row with deleted = true.
    const [student] = [...follower.rows.values()].filter((v) => v.table === 'students');
    await server.db.db.transaction().execute(async (trx) => {
      const seq = await allocateSeqs(trx, DEMO_SCHOOL.id, 1);
      await trx.updateTable('students').set({ deleted: true, _seq: seq }).where('tenant_id', '=', DEMO_SCHOOL.id).where('id', '=', student!.id).execute();
      await appendChanges(trx, DEMO_SCHOOL.id, [{ seq, table: 'students', rowId: student!.id, op: 'update', row: { ...student!.row, deleted: true } }], { mutationId: null, deviceId: null });
    });
    await until('the tombstone', () => (follower.rows.get(`"students"/"${student!.id}"`)?.row as { deleted?: boolean } | undefined)?.deleted === true);
  });

  it('incremental sync from a saved offset brings only what changed since', async () => {
    const { lastOffset, shapeHandle } = follower.stream;
    const id = await pushPayment();
    const resumed = new Follower(server.url, device.token, { offset: lastOffset as `${number}_${number}`, handle: shapeHandle!, subscribe: true });
    try {
      await until('resumed up-to-date', () => resumed.stream.isUpToDate && resumed.rows.has(`"payments"/"${id}"`));
      expect([...resumed.rows.keys()]).toEqual([`"payments"/"${id}"`]);
      expect(resumed.requests[0]!.url.searchParams.get('offset')).toBe(lastOffset);
    } finally {
      resumed.stop();
    }
  });

  it('after a breaking change (epoch bump) the client gets 409 must-refetch and refetches from scratch', async () => {
    await until('follower has the latest payment', () => follower.stream.isUpToDate && [...follower.rows.values()].filter((v) => v.table === 'payments').length === receipt);
    const oldHandle = follower.stream.shapeHandle!;
    const expectedRows = follower.rows.size;
    const newHandle = await bumpShapeEpoch(server.db.db, DEMO_SCHOOL.id);
    expect(newHandle).not.toBe(oldHandle);

    await until('must-refetch', () => follower.controls.includes('must-refetch'));
    await until('refetched snapshot', () => follower.stream.isUpToDate && follower.stream.shapeHandle === newHandle && follower.rows.size === expectedRows);
    expect(follower.requests.some((r) => r.status === 409)).toBe(true);
    const afterConflict = follower.requests.slice(follower.requests.findIndex((r) => r.status === 409) + 1);
    expect(afterConflict[0]!.url.searchParams.get('offset')).toBe('-1');
    expect(follower.errors).toEqual([]);

    // Raw HTTP: the old handle gets 409 with the new handle and a must-refetch body.
    const res = await shapeGet(`offset=0_0&handle=${encodeURIComponent(oldHandle)}`);
    expect(res.status).toBe(409);
    expect(res.headers.get('electric-handle')).toBe(newHandle);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/electric-handle/);
    expect(await res.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
  });

  it('raw HTTP: headers of a chunk, and parameters the server refuses', async () => {
    const first = await shapeGet('offset=-1');
    expect(first.status).toBe(200);
    for (const h of ['electric-handle', 'electric-offset', 'electric-schema', 'electric-cursor']) expect(first.headers.get(h), h).toBeTruthy();
    expect(first.headers.get('electric-up-to-date')).toBeNull();
    expect(JSON.parse(first.headers.get('electric-schema')!)).toEqual(CHANGE_SHAPE_SCHEMA);
    const expose = first.headers.get('access-control-expose-headers')!;
    for (const h of ['electric-handle', 'electric-offset', 'electric-schema', 'electric-cursor', 'electric-up-to-date']) expect(expose).toContain(h);
    const body = (await first.json()) as { value: { seq: string } }[];
    expect(body).toHaveLength(CHUNK);
    // A first sync's pages carry their phase in the offset (shared/sync/snapshot.ts): _1 is current records.
    expect(first.headers.get('electric-offset')).toBe(`${body.at(-1)!.value.seq}_1`);

    for (const [query, message] of [
      ['offset=-1&where=1%3D1', /this server decides the shape/i],
      ['offset=-1&columns=id', /this server decides the shape/i],
      ['offset=banana', /"offset" parameter "banana" is not valid/],
      ['offset=5_0', /"handle" parameter is required/],
      ['', /"offset" parameter is required/],
    ] as const) {
      const res = await shapeGet(query);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
  });
});
