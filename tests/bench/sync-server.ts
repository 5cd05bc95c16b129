// The sync server's budgets (DESIGN §8): ≥ 2,000 mutations/s per core with p99 < 100 ms; 1,000
// idle long-polling devices held under 300 MB; a payment recorded on one device visible on another
// with p95 < 1 s. A real server process on PostgreSQL (a fresh database), devices enrolled for real
// over HTTP, traffic over loopback. The server's CPU time and memory come from /proc/<pid> of its
// process, not from the server itself. Prints a table; asserts nothing.
//
//   npm run bench:sync-server
//   npm run bench:sync-server -- --devices 8 --seconds 10 --batch 20 --polls 1000 --tries 50
//   npm run bench:sync-server -- --json figures.json    (also writes the figures for scripts/bench.ts)
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { formatReceiptNo } from '../../shared/domain/payments.js';
import { uuidv7 } from '../../shared/ids.js';
import { MUTATION_SCHEMA_VERSION } from '../../shared/sync/mutations.js';
import { ENROL_PATH, PUSH_PATH, SHAPE_PATH, type EnrolResponse, type MutationEnvelope, type PushResponse } from '../../shared/sync/protocol.js';
import { sql } from 'kysely';
import { openServerDb } from '../../sync-server/src/db/connect.js';
import { createTestDatabase } from '../support/postgres.js';
import { addStudent, makeSchool, type TestSchool } from '../support/sync-server.js';
import { percentile } from './measure.js';
import { loadAverageNow, textTable, type Figure, type PartResult } from './report.js';

const USAGE = `usage: npm run bench:sync-server -- [--devices N] [--seconds T] [--batch N] [--polls N] [--tries N] [--schools N]
  --devices   devices pushing at once (default 8)
  --seconds   how long they push (default 10)
  --batch     payments per push request (default 20, at most 200)
  --polls     idle long-polls held at once, one per enrolled device (default 1000)
  --tries     payments timed from one device to another (default 50)
  --schools   schools the pushing devices are spread over (default 1: a school's pushes apply one at a time)
  --json      also write the figures to this file ({ suite, figures, info }, tests/bench/report.ts)
  --profile   run the server with --cpu-prof, writing its CPU profile into this folder`;

function parseArgs(argv: string[]) {
  const opts = { devices: 8, seconds: 10, batch: 20, polls: 1000, tries: 50, schools: 1 };
  const files: { json?: string; profile?: string } = {};
  const keys: Record<string, keyof typeof opts> = { '--devices': 'devices', '--seconds': 'seconds', '--batch': 'batch', '--polls': 'polls', '--tries': 'tries', '--schools': 'schools' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--help' || argv[i] === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const arg = argv[i]!;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--json' || flag === '--profile') {
      const path = inline ?? argv[++i];
      if (!path) {
        console.error(`sync-server bench: ${flag} needs a path\n${USAGE}`);
        process.exit(2);
      }
      files[flag === '--json' ? 'json' : 'profile'] = path;
      continue;
    }
    const key = keys[flag];
    const value = Number(inline ?? argv[++i]);
    if (!key || !Number.isInteger(value) || value < 1 || (key === 'batch' && value > 200)) {
      console.error(`sync-server bench: cannot use "${arg}${inline === undefined ? ` ${argv[i] ?? ''}` : ''}"\n${USAGE}`);
      process.exit(2);
    }
    opts[key] = value;
  }
  return { ...opts, ...files };
}

const opts = parseArgs(process.argv.slice(2));
/** Long enough that no idle long-poll times out while the bench holds them. */
const LIVE_TIMEOUT_MS = 120_000;
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (v: number) => `${v.toFixed(1)} ms`;
const n = (v: number) => Math.round(v).toLocaleString('en');

/** User + system CPU seconds of a process (fields 14 and 15 of /proc/<pid>/stat, after the name). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident memory of a process in MB (/proc/<pid>/status VmRSS). */
function rssMb(pid: number): number {
  const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!line) throw new Error(`no VmRSS for process ${pid}`);
  return Number(line[1]) / 1024;
}

/** PostgreSQL's share of the work: CPU seconds of the bench database's backends (PostgreSQL runs
 * on this machine), summed over the processes alive at both readings. */
async function databaseCpu(): Promise<Map<number, number>> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(owner.db);
  const cpu = new Map<number, number>();
  for (const { pid: backend } of rows) {
    try {
      cpu.set(backend, cpuSeconds(backend));
    } catch {
      // A backend that ended between the query and the read.
    }
  }
  return cpu;
}

function databaseCpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [backend, seconds] of after) total += seconds - (before.get(backend) ?? seconds);
  return total;
}

async function expectOk(res: Response, what: string): Promise<Response> {
  if (res.status !== 200) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

interface School extends TestSchool {
  studentIds: string[];
}

interface Device {
  school: School;
  enrolment: EnrolResponse;
  seq: number;
  receipts: number;
}

async function enrol(url: string, school: School, deviceName: string): Promise<Device> {
  const res = await fetch(`${url}${ENROL_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrolmentCode: school.officeCode, deviceName }),
  });
  return { school, enrolment: (await (await expectOk(res, 'enrol')).json()) as EnrolResponse, seq: 0, receipts: 0 };
}

/** Enrols `count` devices, a few at a time, spread over the schools in turn. */
async function enrolMany(url: string, schools: readonly School[], prefix: string, count: number): Promise<Device[]> {
  const devices: Device[] = [];
  for (let i = 0; i < count; i += 20) {
    devices.push(...(await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, k) => enrol(url, schools[(i + k) % schools.length]!, `${prefix} ${i + k + 1}`)))));
  }
  return devices;
}

function payments(device: Device, count: number): MutationEnvelope[] {
  const { school } = device;
  return Array.from({ length: count }, () => {
    const receipt = ++device.receipts;
    const args = {
      id: uuidv7(),
      studentId: school.studentIds[receipt % school.studentIds.length]!,
      amountMinor: 1_000 + receipt,
      currency: 'KES',
      method: 'cash',
      reference: null,
      receiptNo: formatReceiptNo(device.enrolment.receiptSeries, receipt),
      recordedAt: new Date().toISOString(),
      recordedBy: 'Bursar',
      allocations: [],
    };
    return { id: uuidv7(), seq: ++device.seq, name: 'payments.record', args, schemaVersion: MUTATION_SCHEMA_VERSION, authorId: school.adminId };
  });
}

async function push(url: string, device: Device, mutations: MutationEnvelope[]): Promise<void> {
  const res = await fetch(`${url}${PUSH_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${device.enrolment.token}` },
    body: JSON.stringify({ mutations }),
  });
  const answer = (await (await expectOk(res, 'push')).json()) as PushResponse;
  const refused = answer.results.find((r) => r.status !== 'applied');
  if (refused) throw new Error(`push: a payment was not applied: ${JSON.stringify(refused)}`);
}

interface Position {
  handle: string;
  offset: string;
}

/** Where the shape is now (offset=now answers up to date at the log's end). */
async function positionNow(url: string, device: Device): Promise<Position> {
  const res = await expectOk(await fetch(`${url}${SHAPE_PATH}?offset=now`, { headers: { authorization: `Bearer ${device.enrolment.token}` } }), 'shape offset=now');
  await res.arrayBuffer();
  return { handle: res.headers.get('electric-handle')!, offset: res.headers.get('electric-offset')! };
}

/** One live request from `at`; resolves with the ids of the rows it brought. */
async function longPoll(url: string, device: Device, at: Position): Promise<string[]> {
  const params = new URLSearchParams({ offset: at.offset, handle: at.handle, live: 'true' });
  const res = await expectOk(await fetch(`${url}${SHAPE_PATH}?${params}`, { headers: { authorization: `Bearer ${device.enrolment.token}` } }), 'live shape');
  const messages = (await res.json()) as { value?: { id: string } }[];
  return messages.flatMap((m) => (m.value ? [m.value.id] : []));
}

function latencyRow(label: string, times: number[]): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  return [label, n(sorted.length), ms(percentile(sorted, 50)), ms(percentile(sorted, 95)), ms(percentile(sorted, 99)), ms(sorted.at(-1)!)];
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}

// ---- the server ------------------------------------------------------------------------------

const database = await createTestDatabase();
// Migrated here, so the server process starts on a ready database.
const owner = await openServerDb({ databaseUrl: database.url });
const child = spawn(process.execPath, [...(opts.profile ? ['--cpu-prof', '--cpu-prof-dir', opts.profile] : []), '--import', 'tsx', join(import.meta.dirname, 'sync-server-process.ts'), database.url, String(LIVE_TIMEOUT_MS)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
const pid = child.pid!;

const loadAtStart = loadAverageNow();
try {
  console.log(`sync server: process ${pid} at ${url} on PostgreSQL; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; load average ${loadAverageNow()}`);
  const schools: School[] = [];
  for (let s = 0; s < opts.schools; s++) {
    const school = await makeSchool(owner.db, `BENCH${s + 1}`);
    const studentIds: string[] = [];
    for (let i = 0; i < 50; i++) studentIds.push((await addStudent(owner.db, school.tenantId, { admission_no: `B/${i}` })).id);
    schools.push({ ...school, studentIds });
  }
  const [first] = schools as [School];

  // ---- 1. push throughput and latency ----
  const pushers = await enrolMany(url, schools, 'Pusher', opts.devices);
  // Warm-up: connections, prepared plans, the JIT.
  await Promise.all(pushers.map((d) => push(url, d, payments(d, opts.batch))));
  const requestMs: number[] = [];
  let applied = 0;
  const cpuBefore = cpuSeconds(pid);
  const dbBefore = await databaseCpu();
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  await Promise.all(
    pushers.map(async (d) => {
      while (performance.now() < deadline) {
        const batch = payments(d, opts.batch);
        const t = performance.now();
        await push(url, d, batch);
        requestMs.push(performance.now() - t);
        applied += batch.length;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(pid) - cpuBefore;
  const dbCpu = databaseCpuSince(dbBefore, await databaseCpu());
  const rate = applied / elapsed;
  const perCore = applied / serverCpu;

  // ---- 3. cross-device visibility (before the idle polls, on a quiet server) ----
  const [deviceA, deviceB] = await enrolMany(url, [first], 'Visibility', 2);
  const visibleMs: number[] = [];
  for (let i = 0; i < opts.tries; i++) {
    const at = await positionNow(url, deviceB!);
    const [mutation] = payments(deviceA!, 1);
    const paymentId = (mutation!.args as { id: string }).id;
    const seen = longPoll(url, deviceB!, at);
    await pause(50); // B is waiting, as a device between changes is.
    const t = performance.now();
    await push(url, deviceA!, [mutation!]);
    const ids = await seen;
    visibleMs.push(performance.now() - t);
    if (!ids.includes(paymentId)) throw new Error(`visibility: device B's answer did not bring payment ${paymentId}`);
  }

  // ---- 2. idle long-polls ----
  const pollers = await enrolMany(url, [first], 'Idle', opts.polls);
  const positions = await Promise.all(pollers.map((d) => positionNow(url, d)));
  await pause(2000);
  const rssIdle = rssMb(pid);
  const answeredAt: number[] = [];
  const polls = pollers.map((d, i) => longPoll(url, d, positions[i]!).then((ids) => {
    answeredAt.push(performance.now());
    return ids;
  }));
  await pause(3000); // every request has reached the server and is waiting
  const rssHeld = rssMb(pid);
  const early = answeredAt.length;
  const cpuWake = cpuSeconds(pid);
  const wakeStart = performance.now();
  await push(url, deviceA!, payments(deviceA!, 1));
  const pushed = performance.now();
  const answers = await Promise.all(polls);
  const allAnswered = performance.now() - wakeStart;
  const wakeCpu = cpuSeconds(pid) - cpuWake;
  const wokenSorted = answeredAt.map((t) => t - wakeStart).sort((a, b) => a - b);
  const broughtIt = answers.filter((ids) => ids.length === 1).length;

  console.log(`\nload average after the run: ${loadAverageNow()}`);
  console.log(`\n1. push: ${opts.devices} devices of ${opts.schools} school(s) x batches of ${opts.batch} payments.record for ${opts.seconds} s`);
  printTable([
    ['figure', 'count', 'p50', 'p95', 'p99', 'max'],
    latencyRow(`push request (${opts.batch} payments)`, requestMs),
    latencyRow('per payment (request ÷ batch)', requestMs.map((t) => t / opts.batch)),
  ]);
  console.log(`   ${n(applied)} payments in ${elapsed.toFixed(1)} s = ${n(rate)} mutations/s; server CPU ${serverCpu.toFixed(1)} s`);
  console.log(`   = ${n(perCore)} mutations per CPU-second of the server process (budget ≥ 2,000/s per core; p99 < 100 ms)`);
  console.log(`   PostgreSQL backends of the bench database: CPU ${dbCpu.toFixed(1)} s; server + PostgreSQL = ${n(applied / (serverCpu + dbCpu))} mutations per CPU-second`);
  console.log(`\n2. idle long-polls: ${n(opts.polls)} devices, one live request each`);
  printTable([
    ['figure', 'value'],
    ['server RSS before the polls', `${rssIdle.toFixed(0)} MB`],
    [`server RSS with ${n(opts.polls)} polls held`, `${rssHeld.toFixed(0)} MB (budget < 300 MB)`],
    ['answered before the change (should be 0)', String(early)],
    ['one payment pushed (push answered)', ms(pushed - wakeStart)],
    [`first / median / last of ${n(opts.polls)} woken`, `${ms(wokenSorted[0]!)} / ${ms(percentile(wokenSorted, 50))} / ${ms(allAnswered)}`],
    ['answers that brought the payment', `${n(broughtIt)} of ${n(opts.polls)}`],
    ['server CPU to wake them all', `${wakeCpu.toFixed(2)} s`],
  ]);
  console.log(`\n3. cross-device visibility: device A pushes a payment, device B long-polling receives it`);
  printTable([['figure', 'count', 'p50', 'p95', 'p99', 'max'], latencyRow('push start -> B has it', visibleMs)]);
  console.log('   (budget p95 < 1 s)');

  const perMutation = [...requestMs.map((t) => t / opts.batch)].sort((a, b) => a - b);
  const p99 = percentile(perMutation, 99);
  const visible = [...visibleMs].sort((a, b) => a - b);
  const group = 'sync server';
  const one = (v: number) => ({ median: v, p95: v, samples: 1, baseline: null, ratio: null });
  const figures: Figure[] = [
    {
      id: 'server.push.per-core',
      group,
      label: `push: payments per server CPU-second (${opts.devices} devices, batches of ${opts.batch})`,
      unit: 'mutations/s',
      ...one(perCore),
      checks: [{ text: '≥ 2,000/s per core', met: perCore >= 2000 }],
      note: `${n(applied)} payments in ${elapsed.toFixed(1)} s on ${serverCpu.toFixed(2)} server CPU-s; PostgreSQL backends ${dbCpu.toFixed(2)} CPU-s`,
    },
    { id: 'server.push.rate', group, label: 'push: payments per second (wall clock)', unit: 'mutations/s', ...one(rate), checks: [], diagnostic: true },
    {
      id: 'server.push.latency',
      group,
      label: `push: time per payment (request ÷ ${opts.batch})`,
      unit: 'ms',
      median: percentile(perMutation, 50),
      p95: percentile(perMutation, 95),
      samples: perMutation.length,
      baseline: null,
      ratio: null,
      checks: [{ text: 'p99 < 100 ms', met: p99 < 100 }],
      note: `p99 ${p99.toFixed(1)} ms; whole request p50 ${percentile([...requestMs].sort((a, b) => a - b), 50).toFixed(1)} ms`,
    },
    {
      id: 'server.polls.memory',
      group,
      label: `${n(opts.polls)} idle long-polls: server RSS`,
      unit: 'MB',
      ...one(rssHeld),
      checks: [{ text: '< 300 MB', met: rssHeld < 300 }],
      note: `${rssIdle.toFixed(0)} MB before the polls`,
    },
    {
      id: 'server.polls.wake-all',
      group,
      label: `one change answers all ${n(opts.polls)} long-polls`,
      unit: 'ms',
      median: percentile(wokenSorted, 50),
      p95: allAnswered,
      samples: wokenSorted.length,
      baseline: null,
      ratio: null,
      checks: [{ text: `all ${n(opts.polls)} bring the change`, met: broughtIt === opts.polls && early === 0 }],
      diagnostic: true,
      note: `median / last answer; server CPU ${wakeCpu.toFixed(2)} s`,
    },
    {
      id: 'server.visibility',
      group,
      label: 'payment on device A visible on long-polling device B',
      unit: 'ms',
      median: percentile(visible, 50),
      p95: percentile(visible, 95),
      samples: visible.length,
      baseline: null,
      ratio: null,
      checks: [{ text: 'p95 < 1 s', met: percentile(visible, 95) < 1000 }],
    },
  ];
  console.log(`\n${textTable(figures)}`);
  if (opts.json) {
    const result: PartResult = {
      suite: 'sync-server',
      figures,
      info: { devices: opts.devices, seconds: opts.seconds, batch: opts.batch, polls: opts.polls, tries: opts.tries, schools: opts.schools, node: process.version, cores: cpus().length, loadAverage: { start: loadAtStart, end: loadAverageNow() } },
    };
    writeFileSync(opts.json, JSON.stringify(result, null, 2));
  }
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  await owner.close();
  await database.drop();
}
