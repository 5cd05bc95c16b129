// Two sync-server OS processes on one PostgreSQL database serve the same school, as behind a load
// balancer: concurrent pushes through both never lose, repeat or reorder a change, readers
// through either see the log in order, and a change made through one wakes long-polls on the other.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import { MUTATION_SCHEMA_VERSION, type MutationName } from '../../shared/sync/mutations.js';
import { PROFILE_TABLES, type EnrolResponse, type MutationEnvelope } from '../../shared/sync/protocol.js';
import { openServerDb, type ServerDb } from '../../sync-server/src/db/connect.js';
import { readChanges } from '../../sync-server/src/shape/read-changes.js';
import { startServerProcess, type ServerProcess } from '../support/server-processes.js';
import { enrolOverHttp, pushOverHttp, ShapeFollower } from '../support/shape-follower.js';
import { testDatabaseUrl } from '../support/postgres.js';
import { addStudent, backendSkipped, freshBackend, makeSchool, paymentArgs, type BackendConfig, type TestSchool } from '../support/sync-server.js';
import { waitFor } from '../support/wait.js';
import { mulberry32 } from '../../sync-server/src/demo/prng.js';

const LIVE_TIMEOUT_MS = 10_000;
const PUSHERS = 4;
const MUTATIONS_PER_PUSHER = 75;
const STUDENTS = 8;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Kind = 'payment' | 'edit' | 'create';

interface Pusher {
  enrolment: EnrolResponse;
  seq: number;
  receipts: number;
  sent: { envelope: MutationEnvelope; kind: Kind; rowId: string }[];
}

describe('two sync-server processes serving one school', () => {
  if (backendSkipped('postgres')) return;

  let backend: BackendConfig;
  let owner: ServerDb;
  let school: TestSchool;
  let studentIds: string[];
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    backend = await freshBackend('postgres');
    // Migrated once here, so the two processes start on a ready database.
    owner = await openServerDb({ databaseUrl: backend.databaseUrl! });
    school = await makeSchool(owner.db, 'TWO', 'Two Servers School');
    studentIds = [];
    for (let i = 0; i < STUDENTS; i++) studentIds.push((await addStudent(owner.db, school.tenantId, { admission_no: `TWO/${i}` })).id);
    [a, b] = await Promise.all([
      startServerProcess(backend.databaseUrl!, 'sh-test-server-a', LIVE_TIMEOUT_MS),
      startServerProcess(backend.databaseUrl!, 'sh-test-server-b', LIVE_TIMEOUT_MS),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await owner?.close();
    await backend?.drop();
  });

  function envelope(p: Pusher, name: MutationName, args: unknown): MutationEnvelope {
    return { id: uuidv7(), seq: ++p.seq, name, args, schemaVersion: MUTATION_SCHEMA_VERSION, authorId: school.adminId };
  }

  /** A payment, an edit of a shared student (based on version 0, so edits from other devices
   * raise conflicts in the same mutation), or a new student. */
  function nextMutation(p: Pusher, rand: () => number): Pusher['sent'][number] {
    const roll = rand();
    const student = studentIds[Math.floor(rand() * studentIds.length)]!;
    if (roll < 0.6) {
      const args = paymentArgs(p.enrolment.receiptSeries, ++p.receipts, student, { amountMinor: 100 + Math.floor(rand() * 100_000) });
      return { envelope: envelope(p, 'payments.record', args), kind: 'payment', rowId: args.id };
    }
    if (roll < 0.85) {
      const field = rand() < 0.5 ? 'medical_notes' : 'middle_name';
      const write = { id: student, create: false, fields: { [field]: `${field} ${p.enrolment.deviceId.slice(-6)} ${p.seq}` }, base: { [field]: 0 } };
      return { envelope: envelope(p, 'students.save', { rows: [write] }), kind: 'edit', rowId: student };
    }
    const id = uuidv7();
    const fields = {
      admission_no: `N/${p.enrolment.deviceId.slice(-6)}/${p.seq + 1}`,
      first_name: 'Neema',
      middle_name: null,
      last_name: 'Wekesa',
      date_of_birth: null,
      gender: null,
      class_id: null,
      status: 'enrolled',
      photo_file: null,
      medical_notes: null,
    };
    return { envelope: envelope(p, 'students.save', { rows: [{ id, create: true, fields, base: {} }] }), kind: 'create', rowId: id };
  }

  /** One device's outbox, in order: batches of 1-5 through either process; some batches are sent
   * to both at once (a retry through the other process while the first is still applying) or
   * again later (a retry after a lost answer). Every answer must say "applied". */
  async function pushAll(p: Pusher, rand: () => number): Promise<void> {
    const servers = [a, b];
    while (p.sent.length < MUTATIONS_PER_PUSHER) {
      const batch = Array.from({ length: Math.min(1 + Math.floor(rand() * 5), MUTATIONS_PER_PUSHER - p.sent.length) }, () => nextMutation(p, rand));
      p.sent.push(...batch);
      const envelopes = batch.map((m) => m.envelope);
      const first = Math.floor(rand() * 2);
      const roll = rand();
      const targets = roll < 0.15 ? [servers[first]!, servers[1 - first]!] : [servers[first]!];
      const answers = await Promise.all(targets.map((s) => pushOverHttp(s.url, p.enrolment.token, envelopes)));
      if (roll > 0.9) answers.push(await pushOverHttp(servers[1 - first]!.url, p.enrolment.token, envelopes));
      for (const answer of answers) expect(answer.results).toEqual(envelopes.map((m) => ({ mutationId: m.id, status: 'applied' })));
    }
  }

  /** Long-polls until stopped; each request goes to the next process in turn. */
  async function follow(f: ShapeFollower, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      try {
        await f.request(true, stop);
      } catch (e) {
        if (!stop.aborted) throw e;
      }
    }
  }

  it('concurrent pushes through both processes: the log is 1..N with no gap, duplicate or reordering, and readers through either see it in order', async () => {
    const pushers: Pusher[] = [];
    for (let i = 0; i < PUSHERS; i++) {
      pushers.push({ enrolment: await enrolOverHttp(i % 2 ? b.url : a.url, school.officeCode, `Office PC ${i + 1}`), seq: 0, receipts: 0, sent: [] });
    }
    const followers: ShapeFollower[] = [];
    for (let i = 0; i < 4; i++) {
      const enrolled = await enrolOverHttp(a.url, school.officeCode, `Reader ${i + 1}`);
      const follower = new ShapeFollower(i % 2 ? [a.url, b.url] : [b.url, a.url], enrolled.token);
      await follower.firstSync();
      followers.push(follower);
    }

    const stop = new AbortController();
    const following = followers.map((f) => follow(f, stop.signal));
    const started = performance.now();
    await Promise.all(pushers.map((p, i) => pushAll(p, mulberry32(0x5eed + i))));
    const pushMs = performance.now() - started;
    stop.abort();
    await Promise.all(following);

    const sent = pushers.flatMap((p) => p.sent);
    const { last_seq: lastSeq } = await owner.db.selectFrom('tenants').select('last_seq').where('id', '=', school.tenantId).executeTakeFirstOrThrow();
    const log = await owner.db
      .selectFrom('sync_changes')
      .select(['seq', 'table_name', 'row_id', 'mutation_id', 'device_id'])
      .where('tenant_id', '=', school.tenantId)
      .orderBy('seq')
      .execute();
    console.log(`[two processes] ${sent.length} mutations from ${PUSHERS} devices through 2 processes in ${Math.round(pushMs)} ms; log ${lastSeq} changes`);

    // The log: seqs 1..N, no gap, no duplicate.
    expect(log.map((c) => c.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));

    // Each mutation applied once, its changes one contiguous run, in each device's own order.
    const applied = await owner.db.selectFrom('applied_mutations').select(['mutation_id', 'status']).where('tenant_id', '=', school.tenantId).execute();
    expect(applied).toHaveLength(sent.length);
    expect(applied.every((m) => m.status === 'applied')).toBe(true);
    const runs = new Map<string, typeof log>();
    for (const c of log) if (c.mutation_id) runs.set(c.mutation_id, [...(runs.get(c.mutation_id) ?? []), c]);
    for (const p of pushers) {
      let previous = 0;
      for (const { envelope: m, kind, rowId } of p.sent) {
        const run = runs.get(m.id) ?? [];
        expect(run.length, `${kind} ${m.id}`).toBeGreaterThan(0);
        expect(run.at(-1)!.seq - run[0]!.seq + 1).toBe(run.length);
        expect(run[0]!.seq).toBeGreaterThan(previous);
        previous = run.at(-1)!.seq;
        expect(run.every((c) => c.device_id === p.enrolment.deviceId)).toBe(true);
        expect(run[0]).toMatchObject({ table_name: kind === 'payment' ? 'payments' : 'students', row_id: rowId });
        if (kind === 'payment') expect(run).toHaveLength(1);
        // Whatever follows a save's own row is the conflicts it raised.
        else expect(run.slice(1).every((c) => c.table_name === 'record_conflicts')).toBe(true);
      }
    }
    const conflicts = log.filter((c) => c.table_name === 'record_conflicts').length;
    expect(conflicts).toBeGreaterThan(0);

    // Every payment exactly once.
    const paymentIds = sent.filter((m) => m.kind === 'payment').map((m) => m.rowId).sort();
    const stored = await owner.db.selectFrom('payments').select('id').where('tenant_id', '=', school.tenantId).execute();
    expect(stored.map((r) => r.id).sort()).toEqual(paymentIds);
    expect(log.filter((c) => c.table_name === 'payments').map((c) => c.row_id).sort()).toEqual(paymentIds);

    // The compacted log now, and each row's last change in the history: they agree.
    const current = await readChanges(owner.db, PROFILE_TABLES.office, { tenantId: school.tenantId, afterSeq: 0, limit: 1_000_000, includeDeleted: true });
    const lastChange = new Map(log.map((c) => [`${c.table_name}/${c.row_id}`, c.seq]));
    expect(new Map(current.map((r) => [`${r.table_name}/${r.id}`, r.seq]))).toEqual(lastChange);

    for (const f of followers) {
      while (f.seq < lastSeq) await f.request(false);
      // In seq order, each seq at most once, never going back.
      const seqs = f.log.map((r) => r.seq);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
      // Every payment exactly once while following.
      expect(f.log.filter((r) => r.table === 'payments').map((r) => r.id).sort()).toEqual(paymentIds);
      // Nothing skipped: each row as the server holds it now, at its last change's seq.
      expect(new Map([...f.state].map(([key, r]) => [key, r.seq]))).toEqual(lastChange);
      for (const r of current) expect(f.state.get(`${r.table_name}/${r.id}`)!.row).toEqual(JSON.parse(r.row!));
      expect(f.requests).toBeGreaterThan(10);
    }
  }, 180_000);

  it('a payment pushed through process A reaches a device long-polling process B within a second, by the long-poll already waiting', async () => {
    const writer: Pusher = { enrolment: await enrolOverHttp(a.url, school.officeCode, 'Bursar PC'), seq: 0, receipts: 0, sent: [] };
    const watcher = new ShapeFollower([b.url], (await enrolOverHttp(b.url, school.officeCode, 'Head PC')).token);
    await watcher.firstSync();
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const args = paymentArgs(writer.enrolment.receiptSeries, ++writer.receipts, studentIds[i % STUDENTS]!);
      const key = `payments/${args.id}`;
      const arrived = watcher.liveUntil(() => watcher.state.has(key)).then(() => performance.now());
      await pause(150);
      const waiting = watcher.requests;
      const started = performance.now();
      await pushOverHttp(a.url, writer.enrolment.token, [envelope(writer, 'payments.record', args)]);
      delays.push((await arrived) - started);
      expect(watcher.state.get(key)!.request).toBe(waiting);
    }
    const sorted = [...delays].sort((x, y) => x - y);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const p95 = sorted[Math.ceil(sorted.length * 0.95) - 1]!;
    console.log(`[two processes] push on A -> seen on B: median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
    expect(p95).toBeLessThan(1000);
  });

  it('when PostgreSQL drops a process\'s LISTEN session, it listens again and wakes its long-polls: a change made while it was down is delivered', async () => {
    const writer: Pusher = { enrolment: await enrolOverHttp(a.url, school.officeCode, 'Cashier PC'), seq: 0, receipts: 0, sent: [] };
    const watcher = new ShapeFollower([b.url], (await enrolOverHttp(b.url, school.officeCode, 'Deputy PC')).token);
    await watcher.firstSync();
    const listeners = async () =>
      (
        await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${b.applicationName} and query ilike 'listen%'`.execute(owner.db)
      ).rows.map((r) => r.pid);
    const before = await listeners();
    expect(before).toHaveLength(1);
    const database = new URL(backend.databaseUrl!).pathname.slice(1);
    // A database's connections can only be barred from another database.
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    const allowConnections = (allow: boolean) => admin.query(`alter database ${pg.escapeIdentifier(database)} with allow_connections ${allow}`);

    let answered = false;
    const student = `students/`;
    let changedId = '';
    const delivered = watcher.liveUntil(() => changedId !== '' && watcher.state.has(`${student}${changedId}`)).then(() => (answered = true));
    await pause(150);
    const waiting = watcher.requests;
    // Keep process B from listening again for a while, so the change below is made while it is not listening.
    await allowConnections(false);
    let down: number;
    try {
      await sql`select pg_terminate_backend(${before[0]!})`.execute(owner.db);
      await waitFor('the LISTEN session to end', async () => (await listeners()).length === 0, 5000);
      changedId = (await addStudent(owner.db, school.tenantId, { admission_no: 'TWO/while-down' })).id;
      await pause(300);
      // No notification reached process B: its long-poll still waits.
      expect(answered).toBe(false);
    } finally {
      await allowConnections(true);
      down = performance.now();
      await admin.end();
    }
    await delivered;
    const afterMs = performance.now() - down;
    // Delivered by the same long-poll, woken when LISTEN came back (retries back off to at most 5 s), not by its timeout.
    expect(watcher.state.get(`${student}${changedId}`)!.request).toBe(waiting);
    expect(afterMs).toBeLessThan(LIVE_TIMEOUT_MS - 2000);
    const after = await waitFor('LISTEN again on a new session', async () => {
      const now = await listeners();
      return now.length === 1 && now[0] !== before[0] && now;
    });
    expect(after).toHaveLength(1);

    // Later changes wake long-polls on B by notification again.
    const args = paymentArgs(writer.enrolment.receiptSeries, ++writer.receipts, studentIds[0]!);
    const next = watcher.liveUntil(() => watcher.state.has(`payments/${args.id}`));
    await pause(150);
    const waitingNext = watcher.requests;
    const started = performance.now();
    await pushOverHttp(a.url, writer.enrolment.token, [envelope(writer, 'payments.record', args)]);
    await next;
    console.log(`[two processes] LISTEN re-opened: change made while down delivered ${afterMs.toFixed(0)} ms after connections were allowed again; next payment in ${(performance.now() - started).toFixed(0)} ms`);
    expect(watcher.state.get(`payments/${args.id}`)!.request).toBe(waitingNext);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
