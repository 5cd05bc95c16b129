import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENROL_PATH, SHAPE_PATH, type EnrolResponse } from '../../shared/sync/protocol.js';
import { CHANGES_CHANNEL } from '../../sync-server/src/changes/append.js';
import { ChangeNotifier } from '../../sync-server/src/changes/notifier.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { BACKENDS, addStudent, backendSkipped, freshBackend, makeSchool, type TestSchool } from '../support/sync-server.js';

const LIVE_TIMEOUT_MS = 8_000;

interface ShapeMessage {
  value?: { table: string; id: string };
  headers: { control?: string };
}

/** A device following the shape over HTTP, as the sync client does. */
class Follower {
  handle = '';
  offset = '-1';
  readonly studentIds = new Set<string>();
  liveRequests = 0;

  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  static async enrol(url: string, code: string): Promise<Follower> {
    const res = await fetch(`${url}${ENROL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrolmentCode: code, deviceName: 'Office PC' }),
    });
    expect(res.status).toBe(200);
    const follower = new Follower(url, ((await res.json()) as EnrolResponse).token);
    // Read the snapshot to its end.
    while (!(await follower.request(false)).some((m) => m.headers.control === 'up-to-date'));
    return follower;
  }

  async request(live: boolean, signal?: AbortSignal): Promise<ShapeMessage[]> {
    const params = new URLSearchParams({ offset: this.offset, ...(this.handle ? { handle: this.handle } : {}), ...(live ? { live: 'true' } : {}) });
    if (live) this.liveRequests++;
    const res = await fetch(`${this.url}${SHAPE_PATH}?${params}`, { headers: { authorization: `Bearer ${this.token}` }, signal });
    expect(res.status).toBe(200);
    this.handle = res.headers.get('electric-handle') ?? this.handle;
    this.offset = res.headers.get('electric-offset')!;
    const messages = (await res.json()) as ShapeMessage[];
    for (const m of messages) if (m.value?.table === 'students') this.studentIds.add(m.value.id);
    return messages;
  }

  /** Long-polls until every id has arrived; resolves with the time it took. */
  async liveUntil(ids: readonly string[]): Promise<number> {
    const started = Date.now();
    while (!ids.every((id) => this.studentIds.has(id))) await this.request(true);
    return Date.now() - started;
  }
}

const until = async (what: string, check: () => Promise<boolean>, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('live long-polls are woken by change notifications (%s)', (kind) => {
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
    schoolA = await makeSchool(server.db.db, 'LIVEA');
    schoolB = await makeSchool(server.db.db, 'LIVEB');
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('a burst of 50 changes in one school wakes its long-poll at once; the device reads all 50; the other school is not woken', async () => {
    const a = await Follower.enrol(server.url, schoolA.officeCode);
    const b = await Follower.enrol(server.url, schoolB.officeCode);
    const stopB = new AbortController();
    let bAnsweredAt: number | undefined;
    const bPoll = b.request(true, stopB.signal).then(
      () => (bAnsweredAt = Date.now()),
      () => undefined,
    );
    const firstPoll = a.request(true);
    await pause(150);

    const burstStarted = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await addStudent(server.db.db, schoolA.tenantId, { admission_no: `A/${i}` })).id);
    await firstPoll;
    const firstWakeMs = Date.now() - burstStarted;
    const restMs = await a.liveUntil(ids);

    expect(firstWakeMs).toBeLessThan(1000);
    expect(firstWakeMs + restMs).toBeLessThan(3000);
    expect(ids.every((id) => a.studentIds.has(id))).toBe(true);
    expect(a.studentIds.size).toBe(50);
    // School B's long-poll is still waiting well after school A's burst was delivered.
    await pause(500);
    expect(bAnsweredAt).toBeUndefined();
    expect(b.studentIds.size).toBe(0);
    stopB.abort();
    await bPoll;
  });

  it('coalesces a burst of notifications into a few wake-ups, the first one immediate', async () => {
    const notifier = await ChangeNotifier.start(server.db);
    const wakes: number[] = [];
    let stop = false;
    const watch = (async () => {
      while (!stop) {
        const outcome = await notifier.subscribe(schoolA.tenantId, 2000, new AbortController().signal).wait;
        if (outcome === 'changed') wakes.push(Date.now());
      }
    })();
    await pause(50);
    const started = Date.now();
    // 50 separate commits (one NOTIFY each) spread over about 250 ms.
    for (let i = 0; i < 50; i++) {
      await sql`select pg_notify(${CHANGES_CHANNEL}, ${schoolA.tenantId})`.execute(server.db.db);
      await pause(5);
    }
    const burstMs = Date.now() - started;
    await pause(200);
    stop = true;
    await sql`select pg_notify(${CHANGES_CHANNEL}, ${schoolA.tenantId})`.execute(server.db.db);
    await watch;
    await notifier.close();

    expect(wakes[0]! - started).toBeLessThan(250);
    // At most one wake per 25 ms window (+1 for the trailing wake and +1 for the stop signal).
    expect(wakes.length).toBeGreaterThanOrEqual(2);
    expect(wakes.length).toBeLessThanOrEqual(Math.ceil(burstMs / 25) + 2);
    expect(wakes.length).toBeLessThan(50);
    for (let i = 1; i < wakes.length; i++) expect(wakes[i]! - wakes[i - 1]!).toBeGreaterThanOrEqual(15);
  });

  if (kind === 'postgres') {
    const listenBackends = async () => {
      const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and query ilike 'listen%'`.execute(server.db.db);
      return rows.rows.map((r) => r.pid);
    };

    it('re-opens LISTEN when its connection is killed, and a waiting long-poll still gets a change made meanwhile within a second', async () => {
      const a = await Follower.enrol(server.url, schoolA.officeCode);
      const pending = a.request(true);
      await pause(150);
      const before = await listenBackends();
      expect(before.length).toBeGreaterThan(0);

      const killed = await sql<{ ok: boolean }>`select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and query ilike 'listen%'`.execute(server.db.db);
      expect(killed.rows.every((r) => r.ok)).toBe(true);
      const student = await addStudent(server.db.db, schoolA.tenantId, { admission_no: 'A/after-kill' });
      const started = Date.now();
      await pending;
      const waitedMs = Date.now() - started + (await a.liveUntil([student.id]));
      expect(waitedMs).toBeLessThan(1000);
      expect(a.studentIds.has(student.id)).toBe(true);

      // LISTEN is back on a new session, and later changes wake long-polls by notification again.
      await until('LISTEN back on a new backend', async () => {
        const now = await listenBackends();
        return now.length >= before.length && now.every((pid) => !before.includes(pid));
      });
      const next = a.request(true);
      await pause(150);
      const later = await addStudent(server.db.db, schoolA.tenantId, { admission_no: 'A/later' });
      const laterStarted = Date.now();
      await next;
      expect(Date.now() - laterStarted + (await a.liveUntil([later.id]))).toBeLessThan(1000);
    });
  }
});
