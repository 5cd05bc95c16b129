// Live long-polls and the notifications that wake them: wake-ups are coalesced per school, and a
// long-poll woken with nothing new for it keeps waiting instead of answering empty.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_CHANNEL } from '../../sync-server/src/changes/append.js';
import { ChangeNotifier, WAKE_WINDOW_MS } from '../../sync-server/src/changes/notifier.js';
import { bumpShapeEpoch } from '../../sync-server/src/shape/handle.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { enrolOverHttp, ShapeFollower } from '../support/shape-follower.js';
import { addStudent, BACKENDS, backendSkipped, freshBackend, makeSchool, type TestSchool } from '../support/sync-server.js';
import { SHAPE_PATH } from '../../shared/sync/protocol.js';

const LIVE_TIMEOUT_MS = 3000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('waking live long-polls (%s)', (kind) => {
  if (backendSkipped(kind)) return;
  let server: RunningSyncServer;
  let schoolA: TestSchool;
  let schoolB: TestSchool;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const backend = await freshBackend(kind);
    cleanups.push(backend.drop);
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), liveTimeoutMs: LIVE_TIMEOUT_MS });
    cleanups.push(server.close);
    schoolA = await makeSchool(server.db.db, 'WAKEA');
    schoolB = await makeSchool(server.db.db, 'WAKEB');
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  const notify = (tenantId: string) => sql`select pg_notify(${CHANGES_CHANNEL}, ${tenantId})`.execute(server.db.db);

  async function follower(school: TestSchool, name: string): Promise<ShapeFollower> {
    const f = new ShapeFollower([server.url], (await enrolOverHttp(server.url, school.officeCode, name)).token);
    await f.firstSync();
    return f;
  }

  /** Counts the wake-ups a long-poll of `tenantId` gets, as the shape route waits (subscribe, wait, again). */
  async function watchWakes(tenantId: string) {
    const notifier = await ChangeNotifier.start(server.db);
    const wakes: number[] = [];
    let stopped = false;
    const watching = (async () => {
      while (!stopped) {
        const outcome = await notifier.subscribe(tenantId, 60_000, new AbortController().signal).wait;
        if (outcome === 'changed') wakes.push(performance.now());
      }
    })();
    return {
      wakes,
      async stop() {
        stopped = true;
        await notifier.close();
        await watching;
      },
    };
  }

  it('a long-poll woken with nothing new for it keeps waiting: it answers at its timeout, with nothing', async () => {
    const a = await follower(schoolA, 'Office PC');
    const seen = await watchWakes(schoolA.tenantId);
    const before = a.offset;
    const started = performance.now();
    const poll = a.request(true);
    // Wake-ups with no change for this device: bare notifications, and a change in another school.
    for (let i = 0; i < 3; i++) {
      await pause(400);
      await notify(schoolA.tenantId);
    }
    await addStudent(server.db.db, schoolB.tenantId, { admission_no: 'B/1' });
    const received = await poll;
    const waitedMs = performance.now() - started;

    // It was woken (three times unless the machine is slow enough to merge them), and did not answer.
    expect(seen.wakes.length).toBeGreaterThanOrEqual(1);
    await seen.stop();
    expect(waitedMs).toBeGreaterThanOrEqual(LIVE_TIMEOUT_MS);
    expect(received).toEqual([]);
    expect(a.upToDate).toBe(true);
    expect(a.offset).toBe(before);
  });

  it('after a wake with nothing new, a change for the device still answers the same long-poll at once', async () => {
    const a = await follower(schoolA, 'Bursar PC');
    const poll = a.request(true);
    await pause(200);
    await notify(schoolA.tenantId);
    await pause(2 * WAKE_WINDOW_MS);
    const started = performance.now();
    const student = await addStudent(server.db.db, schoolA.tenantId, { admission_no: 'A/after-empty-wake' });
    const received = await poll;
    const tookMs = performance.now() - started;
    expect(received.map((r) => r.id)).toEqual([student.id]);
    expect(tookMs).toBeLessThan(LIVE_TIMEOUT_MS / 2);
  });

  it('a burst of notifications for one school wakes each waiting long-poll a bounded number of times, the first at once', async () => {
    const watchers = await Promise.all(Array.from({ length: 10 }, () => watchWakes(schoolA.tenantId)));
    await pause(50);
    const started = performance.now();
    // 50 commits (one NOTIFY each), as an import pushed in many small batches.
    for (let i = 0; i < 50; i++) {
      await notify(schoolA.tenantId);
      await pause(10);
    }
    const burstMs = performance.now() - started;
    await pause(3 * WAKE_WINDOW_MS);
    for (const w of watchers) await w.stop();

    const bound = Math.ceil(burstMs / WAKE_WINDOW_MS) + 2;
    console.log(`[live wake ${kind}] 50 notifications over ${burstMs.toFixed(0)} ms: wakes per long-poll ${watchers.map((w) => w.wakes.length).join(', ')} (bound ${bound})`);
    for (const { wakes } of watchers) {
      expect(wakes[0]! - started).toBeLessThan(WAKE_WINDOW_MS + 200);
      // The first at once and one at the end of the burst's last window, at least.
      expect(wakes.length).toBeGreaterThanOrEqual(2);
      expect(wakes.length).toBeLessThanOrEqual(bound);
      expect(wakes.length).toBeLessThan(50);
      for (let i = 1; i < wakes.length; i++) expect(wakes[i]! - wakes[i - 1]!).toBeGreaterThanOrEqual(WAKE_WINDOW_MS - 5);
    }
  });

  it('a burst of 50 changes in one school reaches its long-poll in full; the other school\'s long-polls are not woken', async () => {
    const a = await follower(schoolA, 'Admissions PC');
    const seenB = await watchWakes(schoolB.tenantId);
    const firstPoll = a.request(true);
    await pause(150);
    const started = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await addStudent(server.db.db, schoolA.tenantId, { admission_no: `A/burst/${i}` })).id);
    await firstPoll;
    const firstMs = performance.now() - started;
    await a.liveUntil(() => ids.every((id) => a.state.has(`students/${id}`)));
    expect(a.log.filter((r) => r.table === 'students').map((r) => r.id)).toEqual(ids);
    expect(firstMs).toBeLessThan(LIVE_TIMEOUT_MS / 2);
    await pause(2 * WAKE_WINDOW_MS);
    await seenB.stop();
    expect(seenB.wakes).toEqual([]);
  });

  it('a breaking change (epoch bump) answers a waiting long-poll with 409 must-refetch at once', async () => {
    const a = await follower(schoolA, 'Library PC');
    const params = new URLSearchParams({ offset: a.offset, handle: a.handle, live: 'true' });
    const started = performance.now();
    const poll = fetch(`${server.url}${SHAPE_PATH}?${params}`, { headers: { authorization: `Bearer ${a.token}` } });
    await pause(200);
    const newHandle = await bumpShapeEpoch(server.db.db, schoolA.tenantId);
    const res = await poll;
    expect(res.status).toBe(409);
    expect(res.headers.get('electric-handle')).toBe(newHandle);
    expect(await res.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
    expect(performance.now() - started).toBeLessThan(LIVE_TIMEOUT_MS);
  });
});
