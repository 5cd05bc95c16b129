// Initial sync end to end over loopback (DESIGN §8: ≥ 50,000 rows/s for the 100k-student school):
// a real sync server on PostgreSQL in its own process (PGlite: in this process, it is embedded),
// a school written server-side (by default the realistic generated school of the other benches,
// sync-server/src/demo/big: students, families, charges, payments, registers; `--school simple`:
// students and payments by generate_series, tests/support/big-school.ts), and a real device (core on a SQLite file, the
// official ShapeStream) in its own process (initial-sync-device.ts) enrolling and pulling it.
// Prints the time to phase 1 (usable), rows/s to up-to-date, the device's longest event-loop
// stall and its peak memory (VmHWM from /proc, RSS sampled meanwhile); asserts nothing.
//
//   npm run bench:initial-sync                                         the generated school: 100,000 students, 1,000,000 payments, 2,000,000 attendance marks
//   npm run bench:initial-sync -- --students 20000 --payments 200000 --attendance 0 --chunk 5000 --backend pglite
//   npm run bench:initial-sync -- --school simple --students 100000 --payments-per-student 10   the generate_series school
//   npm run bench:initial-sync -- --json out.json --cpu-prof .data/prof   figures for scripts/bench.ts; CPU profiles of both processes
//   npm run bench:initial-sync -- --server-only                         the server alone: pages fetched and dropped, no device
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSyncServer } from '../../sync-server/src/start.js';
import { openServerDb } from '../../sync-server/src/db/connect.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { countSnapshotRows } from '../../sync-server/src/shape/snapshot.js';
import { ENROL_PATH, PROFILE_TABLES, SHAPE_PATH, type EnrolResponse } from '../../shared/sync/protocol.js';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_PARAM } from '../../shared/sync/versions.js';
import { addBigSchool } from '../support/big-school.js';
import { seedServerSchool } from '../../sync-server/src/demo/big/seed-big-school.js';
import { schoolDatabase } from './school-database.js';
import { makeSchool } from '../support/sync-server.js';
import type { Figure } from './report.js';
import type { DeviceResult } from './initial-sync-device.js';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';

const USAGE = `usage: npm run bench:initial-sync -- [--school generated|simple] [--students N] [--payments N] [--attendance N] [--payments-per-student N (simple)] [--seed N] [--chunk N] [--backend postgres|pglite] [--json FILE] [--cpu-prof DIR] [--server-only]`;
const BUDGET_ROWS_PER_S = 50_000;

function parseArgs(argv: string[]) {
  const opts = { school: 'generated' as 'generated' | 'simple', payments: null as number | null, attendance: null as number | null, seed: 1, students: 100_000, paymentsPerStudent: 10, chunk: 5_000, backend: 'postgres' as 'postgres' | 'pglite', json: null as string | null, cpuProf: null as string | null, serverOnly: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--server-only') {
      opts.serverOnly = true;
      continue;
    }
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (flag === '--backend' && (value === 'postgres' || value === 'pglite')) opts.backend = value;
    else if (flag === '--school' && (value === 'generated' || value === 'simple')) opts.school = value;
    else if (flag === '--students' && Number(value) >= 1) opts.students = Number(value);
    else if (flag === '--payments' && Number(value) >= 0) opts.payments = Number(value);
    else if (flag === '--attendance' && Number(value) >= 0) opts.attendance = Number(value);
    else if (flag === '--seed' && Number.isSafeInteger(Number(value))) opts.seed = Number(value);
    else if (flag === '--payments-per-student' && Number(value) >= 0) opts.paymentsPerStudent = Number(value);
    else if (flag === '--chunk' && Number(value) >= 1) opts.chunk = Number(value);
    else if (flag === '--json' && value) opts.json = resolve(value);
    else if (flag === '--cpu-prof' && value) opts.cpuProf = resolve(value);
    else {
      console.error(`initial-sync bench: cannot use "${argv[i]}"\n${USAGE}`);
      process.exit(2);
    }
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
if (opts.cpuProf) mkdirSync(opts.cpuProf, { recursive: true });

/** node for a bench child: tsx, and a CPU profile written on exit when asked. */
function nodeArgs(script: string, args: string[]): string[] {
  // Node names each profile by pid and thread (tsx's loader runs in a thread of its own).
  const prof = opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProf] : [];
  return [...prof, '--import', 'tsx', join(import.meta.dirname, script), ...args];
}

/** A process's memory in MB from /proc/<pid>/status (VmRSS now, VmHWM its peak); null when gone. */
function memoryMB(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

interface Served {
  url: string;
  /** The owner connection. */
  db: Kysely<ServerDatabase>;
  pid: number | null;
  school: { tenantId: string; officeCode: string };
  written: string;
  close(): Promise<void>;
}

/** The school written (PostgreSQL: once, then copied from a template database) and a server on it: its own process on PostgreSQL, embedded here on PGlite. */
async function serve(): Promise<Served> {
  if (opts.backend === 'pglite') {
    const server = await startSyncServer({ port: 0, shapeChunkSize: opts.chunk, logger: false });
    const school = await makeSchool(server.db.db, 'BENCH');
    const written = await writeSchool(server.db.db, school.tenantId);
    return { url: server.url, db: server.db.db, pid: null, school, written, close: () => server.close() };
  }
  const { school: kind, students, payments, attendance, seed, paymentsPerStudent } = opts;
  const database = await schoolDatabase(
    { kind, students, payments, attendance, seed, paymentsPerStudent },
    async (db) => writeSchool(db, (await makeSchool(db, 'BENCH')).tenantId),
    (msg) => console.log(msg),
  );
  const owner = await openServerDb({ databaseUrl: database.url });
  const tenantId = (await owner.db.selectFrom('tenants').select('id').where('code', '=', 'BENCH').executeTakeFirstOrThrow()).id;
  const child = spawn(process.execPath, nodeArgs('initial-sync-server.ts', [database.url, String(opts.chunk)]), { stdio: ['ignore', 'pipe', 'inherit'] });
  const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return {
    url,
    db: owner.db,
    pid: child.pid ?? null,
    // makeSchool's enrolment code for an office computer.
    school: { tenantId, officeCode: 'BENCH-ENROL-1' },
    written: database.written,
    async close() {
      child.kill('SIGTERM');
      await once(child, 'exit');
      await owner.close();
      await database.drop();
    },
  };
}

/** Runs the device process to up-to-date; samples its RSS meanwhile and reads its peak before letting it exit. */
async function runDevice(url: string, code: string, dataDir: string): Promise<DeviceResult & { peakMB: number; sampledMaxMB: number }> {
  const child: ChildProcess = spawn(process.execPath, nodeArgs('initial-sync-device.ts', [url, code, dataDir]), { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  let sampledMaxMB = 0;
  const sampler = setInterval(() => {
    sampledMaxMB = Math.max(sampledMaxMB, memoryMB(child.pid!, 'VmRSS') ?? 0);
  }, 200);
  try {
    const line = await Promise.race([
      once(createInterface({ input: child.stdout! }), 'line').then(([l]) => l as string),
      exited.then(([status]) => Promise.reject(new Error(`the device process exited (${String(status)}) before it was up to date`))),
    ]);
    const result = JSON.parse(line) as DeviceResult;
    const peakMB = memoryMB(child.pid!, 'VmHWM') ?? Number.NaN;
    return { ...result, peakMB, sampledMaxMB };
  } finally {
    clearInterval(sampler);
    child.stdin!.end();
    await exited;
  }
}

/** The server's side alone: enrol, then follow the snapshot's offsets to up-to-date reading each body and dropping it. */
async function pageServerOnly(url: string, code: string): Promise<{ ms: number; pages: number; bytes: number }> {
  const enrol = await fetch(new URL(ENROL_PATH, url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enrolmentCode: code, deviceName: 'Bench pager' }) });
  const { token } = (await enrol.json()) as EnrolResponse;
  const started = performance.now();
  let offset = '-1';
  let handle: string | null = null;
  let pages = 0;
  let bytes = 0;
  for (;;) {
    const query: URLSearchParams = new URLSearchParams({ offset, [PROTOCOL_VERSION_PARAM]: String(PROTOCOL_VERSION), ...(handle ? { handle } : {}) });
    const res: Response = await fetch(new URL(`${SHAPE_PATH}?${query}`, url), { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`shape request failed: ${res.status} ${await res.text()}`);
    bytes += (await res.arrayBuffer()).byteLength;
    pages++;
    if (res.headers.get('electric-up-to-date') === 'true') return { ms: performance.now() - started, pages, bytes };
    offset = res.headers.get('electric-offset')!;
    handle = res.headers.get('electric-handle');
  }
}

/** Writes the school the options ask for; says what it wrote. */
async function writeSchool(db: Kysely<ServerDatabase>, tenantId: string): Promise<string> {
  const n = (v: number) => v.toLocaleString('en');
  if (opts.school === 'simple') {
    await addBigSchool(db, tenantId, { students: opts.students, paymentsPerStudent: opts.paymentsPerStudent });
    return `${n(opts.students)} students, ${n(opts.students * opts.paymentsPerStudent)} payments`;
  }
  const s = await seedServerSchool(db, tenantId, { students: opts.students, payments: opts.payments ?? opts.students * 10, seed: opts.seed, ...(opts.attendance === null ? {} : { attendance: opts.attendance }) });
  return `${n(s.students)} students, ${n(s.guardians)} guardians, ${n(s.charges)} charges, ${n(s.payments)} payments, ${n(s.attendanceRecords)} attendance marks`;
}

let t = performance.now();
const server = await serve();
const { school, written } = server;
console.log(`school on ${opts.backend} (${opts.school}): ${written}, ready in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-bench-sync-'));
try {
  t = performance.now();
  const total = await withTenant(server.db, school.tenantId, (trx) => countSnapshotRows(trx, PROFILE_TABLES.office, school.tenantId));
  console.log(`snapshot row count (once per first sync): ${total.toLocaleString('en')} rows in ${(performance.now() - t).toFixed(0)} ms`);

  if (opts.serverOnly) {
    const paged = await pageServerOnly(server.url, school.officeCode);
    console.log(`server alone: ${total.toLocaleString('en')} rows in ${paged.pages} pages (${(paged.bytes / 1e6).toFixed(0)} MB) in ${(paged.ms / 1000).toFixed(1)} s = ${Math.round(total / (paged.ms / 1000)).toLocaleString('en')} rows/s`);
  }
  const device = opts.serverOnly ? null : await runDevice(server.url, school.officeCode, dir);
  if (device) {
  const serverPeakMB = server.pid === null ? null : memoryMB(server.pid, 'VmHWM');
  const seconds = device.upToDateMs / 1000;
  const rate = total / seconds;
  const phase1 = device.usableMs === null ? null : device.usableMs / 1000;
  console.log(`chunk ${opts.chunk.toLocaleString('en')} rows/page`);
  console.log(`usable (current records in): ${phase1 === null ? 'n/a' : `${phase1.toFixed(1)} s`}`);
  console.log(`up to date: ${total.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString('en')} rows/s end to end (budget ≥ 50,000)`);
  console.log(`longest event-loop stall on the device while syncing: ${device.longestStallMs.toFixed(0)} ms`);
  console.log(`device process memory: peak ${device.peakMB.toFixed(0)} MB (VmHWM), highest sampled RSS ${device.sampledMaxMB.toFixed(0)} MB`);
  if (serverPeakMB !== null) console.log(`server process memory: peak ${serverPeakMB.toFixed(0)} MB (VmHWM)`);
  if (device.lastError) console.log(`last sync error on the device: ${device.lastError}`);
  if (opts.cpuProf) console.log(`CPU profiles in ${opts.cpuProf}`);

  if (opts.json) {
    const size = `${opts.students.toLocaleString('en')} students, ${total.toLocaleString('en')} rows`;
    const single = (f: Omit<Figure, 'group' | 'p95' | 'samples' | 'baseline' | 'ratio'>): Figure => ({ group: 'initial sync', p95: f.median, samples: 1, baseline: null, ratio: null, ...f });
    const figures: Figure[] = [
      single({ id: 'initial-sync.rate', label: `initial sync over loopback, end to end (${size})`, unit: 'rows/s', median: rate, checks: [{ text: '≥ 50,000 rows/s', met: rate >= BUDGET_ROWS_PER_S }] }),
      single({ id: 'initial-sync.usable', label: 'initial sync: usable (current records in)', unit: 's', median: phase1 ?? Number.NaN, checks: [] }),
      single({ id: 'initial-sync.up-to-date', label: 'initial sync: up to date', unit: 's', median: seconds, checks: [] }),
      single({ id: 'initial-sync.device-peak-rss', label: 'initial sync: device process peak memory (VmHWM)', unit: 'MB', median: device.peakMB, checks: [], note: `highest RSS sampled every 200 ms: ${device.sampledMaxMB.toFixed(0)} MB` }),
      single({ id: 'initial-sync.longest-stall', label: 'initial sync: longest device event-loop stall', unit: 'ms', median: device.longestStallMs, checks: [] }),
    ];
    if (serverPeakMB !== null) figures.push(single({ id: 'initial-sync.server-peak-rss', label: 'initial sync: sync server process peak memory (VmHWM)', unit: 'MB', median: serverPeakMB, checks: [], diagnostic: true }));
    const info = { rows: total, school: opts.school, written, backend: opts.backend, chunk: opts.chunk, lastError: device.lastError };
    writeFileSync(opts.json, JSON.stringify({ suite: 'initial-sync', figures, info }, null, 2));
    console.log(`figures written to ${opts.json}`);
  }
  }
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
