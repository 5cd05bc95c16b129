// Crash safety of recording payments: a child process records payments on a real device (real
// SQLite file, enrolled with the real sync server on PostgreSQL) and is killed with SIGKILL at a
// seeded random moment, several times over. After each kill the device is reopened: every payment
// the child saw returned is there, in the outbox, with unbroken receipt numbers, in a database
// that passes its integrity check; then it syncs and the server holds each one exactly once.
// CRASH_SEED=<n> replays a run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { call, FAST_SYNC } from '../support/fleet.js';
import { waitFor } from '../support/wait.js';
import type { StudentListItem } from '../../shared/domain/students.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import { mulberry32 } from '../../sync-server/src/demo/prng.js';

const ROUNDS = 5;
const STUDENTS = 20;
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CHILD = fileURLToPath(new URL('../support/crash-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Reported {
  id: string;
  receiptNo: string;
}

/** Runs the child until it has been recording for `ms`, then kills it with SIGKILL; returns the
 * payments it reported (complete lines only: a line cut by the kill was never fully reported). */
async function recordUntilKilled(dataDir: string, studentIds: string[], ms: number): Promise<Reported[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, DEMO_STAFF.bursar.username, DEMO_STAFF.bursar.password, ...studentIds], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const early = exited.then(({ code }) => {
    throw new Error(`the recording process stopped by itself (exit ${code}): ${err}`);
  });
  await Promise.race([waitFor('the recording process to start', async () => out.startsWith('READY\n'), 20_000), early]);
  await Promise.race([new Promise((r) => setTimeout(r, ms)), early]);
  child.kill('SIGKILL');
  early.catch(() => undefined);
  expect((await exited).signal).toBe('SIGKILL');
  const lines = out.split('\n').slice(1, -1);
  return lines.map((line) => {
    const [tag, id, receiptNo] = line.split(' ');
    expect(tag).toBe('PAID');
    return { id: id!, receiptNo: receiptNo! };
  });
}

function receiptNumber(receiptNo: string, series: string): number {
  expect(receiptNo.startsWith(`${series}-`)).toBe(true);
  return Number(receiptNo.slice(series.length + 1));
}

describe('recording payments survives SIGKILL at random moments', () => {
  if (backendSkipped('postgres')) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  let dataDir: string;
  let studentIds: string[];

  /** The device after the crash, its sync not yet started, with the bursar signed in again. */
  async function reopen(): Promise<Core> {
    const core = await openCore({ dataDir, sync: FAST_SYNC, startSync: false });
    await call(core, 'auth.login', { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password });
    return core;
  }

  beforeAll(async () => {
    backend = await freshBackend('postgres');
    server = await startSyncServer({ port: 0, databaseUrl: backend.databaseUrl!, seedDemo: { students: STUDENTS }, liveTimeoutMs: 1500 });
    dataDir = mkdtempSync(join(tmpdir(), 'schoolhouse-crash-'));
    // Enrolled and signed in once online, so the child can sign in the same way each round.
    const core = await openCore({ dataDir, enrol: { serverUrl: server.url, enrolmentCode: server.demoEnrolmentCode!, deviceName: 'Crash PC' }, sync: FAST_SYNC });
    try {
      await call(core, 'auth.login', { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password });
      await waitFor('the initial sync', async () => (await call<{ count: number }>(core, 'students.count', {})).count === STUDENTS);
      studentIds = (await call<{ rows: StudentListItem[] }>(core, 'students.list', { status: 'enrolled', limit: 5 })).rows.map((s) => s.id);
      expect(studentIds).toHaveLength(5);
    } finally {
      await core.close();
    }
  });

  afterAll(async () => {
    await server?.close();
    await backend?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every payment whose command returned, across ${ROUNDS} kills (seed ${SEED})`, { timeout: 60_000 }, async () => {
    console.info(`[crash-recording] seed ${SEED} (replay with CRASH_SEED=${SEED})`);
    const random = mulberry32(SEED);
    const reportedSoFar: Reported[] = [];
    let nextBefore = 1;

    for (let round = 1; round <= ROUNDS; round++) {
      const killAfterMs = 60 + Math.floor(random() * 440);
      const started = Date.now();
      const reported = await recordUntilKilled(dataDir, studentIds, killAfterMs);
      console.info(`[crash-recording] round ${round}: killed ${killAfterMs} ms into recording, ${reported.length} payments reported (${Date.now() - started} ms)`);
      reportedSoFar.push(...reported);

      const core = await reopen();
      try {
        const sqlite = core.store.sqlite;
        const series = core.device.receipt_series;
        expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');

        // Every reported payment is saved with the receipt number the child was given.
        const mine = sqlite.prepare('select id, receipt_no as receiptNo from payments where device_id = ?').all(core.device.device_id) as Reported[];
        const saved = new Map(mine.map((p) => [p.id, p.receiptNo]));
        for (const p of reported) expect(saved.get(p.id), `payment ${p.receiptNo} (round ${round}, seed ${SEED})`).toBe(p.receiptNo);

        // Receipt numbers: every one taken belongs to exactly one saved payment, 1..next-1 with
        // no gap; this round's reported ones follow on from the last round's, in order.
        const next = sqlite.prepare('select next_receipt_no from device').pluck().get() as number;
        const numbers = mine.map((p) => receiptNumber(p.receiptNo, series)).sort((a, b) => a - b);
        expect(numbers).toEqual(Array.from({ length: next - 1 }, (_, i) => i + 1));
        expect(reported.map((p) => receiptNumber(p.receiptNo, series))).toEqual(Array.from({ length: reported.length }, (_, i) => nextBefore + i));
        // At most the one payment saved in the instant between its commit and its line.
        expect(next - nextBefore - reported.length).toBeGreaterThanOrEqual(0);
        expect(next - nextBefore - reported.length).toBeLessThanOrEqual(1);

        // Sync was stopped in the child: everything recorded this round waits in the outbox.
        const queued = new Set(sqlite.prepare("select row_id from outbox_rows where table_name = 'payments'").pluck().all() as string[]);
        const thisRound = mine.filter((p) => receiptNumber(p.receiptNo, series) >= nextBefore);
        expect(queued.size).toBe(thisRound.length);
        for (const p of thisRound) expect(queued.has(p.id)).toBe(true);

        // Syncing sends every one of them, and the server holds each payment exactly once.
        core.sync.start();
        await waitFor('the outbox to be sent', async () => {
          const s = await call<SyncStatus>(core, 'sync.status', {});
          return s.pending === 0 ? s : false;
        });
        expect((await call<SyncStatus>(core, 'sync.status', {})).needsAttention).toBe(0);
        const onServer = await server.db.db.selectFrom('payments').select(['id', 'receipt_no']).where('receipt_no', 'like', `${series}-%`).execute();
        expect(onServer).toHaveLength(next - 1);
        const serverById = new Map(onServer.map((p) => [p.id, p.receipt_no]));
        expect(serverById.size).toBe(onServer.length);
        for (const p of reportedSoFar) expect(serverById.get(p.id), `payment ${p.receiptNo} on the server (seed ${SEED})`).toBe(p.receiptNo);
        console.info(`[crash-recording] round ${round}: ${next - nextBefore - reported.length} saved but unreported; checked and synced (${Date.now() - started} ms)`);
        nextBefore = next;
      } finally {
        await core.close();
      }
    }
    expect(reportedSoFar.length).toBeGreaterThan(ROUNDS);
  });
});
