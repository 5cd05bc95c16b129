// `npm run bench`: every performance budget of DESIGN §8 in one run, each figure next to a
// baseline measured in the same run. Parts, in order:
//   local         lists, search, recording a payment, applying pulled changes (core on the device file)
//   chromium      the Students list scrolled top to bottom in headless Chromium (frame times)
//   initial-sync  a device's first sync of the school over loopback (tests/bench/initial-sync.ts, own process)
//   server        sync server push throughput/latency, idle long-polls, cross-device visibility
//                 (tests/bench/sync-server.ts, own process)
// One table and one JSON for all of them; each part can be run alone (--only, --skip).
//
//   npm run bench                                        100,000 students, 1,000,000 payments
//   npm run bench -- --students 20000 --payments 100000  a quick run
//   npm run bench -- --only local,chromium               some parts
//
// The generated school is cached under .data/bench/ (keyed by its parameters and the sources
// that shape it); results go to .data/bench/results-<timestamp>.json and .md.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { LOCAL_DB_FILE, openCore } from '../electron/core/open-core.js';
import { ensureSchool, schoolFile, BENCH_PASSWORD, type SchoolManifest, type SchoolParams } from '../tests/bench/generate-school.js';
import { runLocalStoreBench } from '../tests/bench/local-store.js';
import { runChromiumScrollBench } from '../tests/bench/chromium-scroll.js';
import { describeMachine, loadAverageNow, markdownTable, parsePartResult, tableRows, textTable, type Figure } from '../tests/bench/report.js';
import { staffFor } from '../tests/support/local-device.js';

const root = resolve(import.meta.dirname, '..');
const benchDir = join(root, '.data', 'bench');

const PARTS = ['local', 'chromium', 'initial-sync', 'server'] as const;
type Part = (typeof PARTS)[number];

const USAGE = `usage: npm run bench -- [--students N] [--payments N] [--seed N] [--apply-rows N] [--iterations N] [--scroll-px N] [--only PARTS] [--skip PARTS] [--regenerate]
  --students     students in the generated school and in the initial sync (default 100000)
  --payments     payments in the generated school (default 1000000)
  --seed         generator seed (default 1)
  --apply-rows   rows per side in the apply benchmark, in batches of 1,000 (default: min(students, 100000))
  --iterations   timed rounds of each sub-millisecond query (default 500: the whole run stays under 10 minutes)
  --scroll-px    pixels per frame of the Chromium fling (default 3200: 50 rows a frame)
  --only, --skip comma-separated parts: ${PARTS.join(', ')} (default: all, in that order)
  --regenerate   generate the school again even if it is cached
Each part alone: npm run bench:initial-sync, npm run bench:sync-server (their own options, --help).`;

function partList(value: string | undefined, arg: string): Part[] {
  const parts = (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const bad = parts.filter((p) => !PARTS.includes(p as Part));
  if (parts.length === 0 || bad.length) {
    console.error(`bench: cannot use "${arg} ${value ?? ''}": parts are ${PARTS.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  return parts as Part[];
}

function parseArgs(argv: string[]) {
  const opts = { students: 100_000, payments: 1_000_000, seed: 1, applyRows: 0, iterations: 500, scrollPx: 3_200, regenerate: false, parts: [...PARTS] as Part[] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    if (arg === '--regenerate') {
      opts.regenerate = true;
      continue;
    }
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--only' || flag === '--skip') {
      const named = partList(inline ?? argv[++i], flag);
      opts.parts = flag === '--only' ? PARTS.filter((p) => named.includes(p)) : opts.parts.filter((p) => !named.includes(p));
      continue;
    }
    const keys: Record<string, 'students' | 'payments' | 'seed' | 'applyRows' | 'iterations' | 'scrollPx'> = {
      '--students': 'students',
      '--payments': 'payments',
      '--seed': 'seed',
      '--apply-rows': 'applyRows',
      '--iterations': 'iterations',
      '--scroll-px': 'scrollPx',
    };
    const key = keys[flag];
    const value = Number(inline ?? argv[++i]);
    if (!key || !Number.isInteger(value) || value < (key === 'seed' ? 0 : 1)) {
      console.error(`bench: cannot use "${arg}"\n${USAGE}`);
      process.exit(2);
    }
    opts[key] = value;
  }
  if (opts.students < 1_000) {
    console.error('bench: --students must be at least 1000');
    process.exit(2);
  }
  if (opts.parts.length === 0) {
    console.error('bench: --skip left no part to run');
    process.exit(2);
  }
  if (!opts.applyRows) opts.applyRows = Math.min(opts.students, 100_000);
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const params: SchoolParams = { students: opts.students, payments: opts.payments, seed: opts.seed };
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const started = performance.now();
const startedAt = new Date().toISOString();
const log = (msg: string) => console.log(msg);
const secondsSince = (t: number) => Math.round((performance.now() - t) / 100) / 10;

interface PartOutcome {
  part: Part;
  seconds: number;
  figures: Figure[];
  error?: string;
  info?: unknown;
}

/** Runs one of the parts that live in their own process, reading its figures from `--json <file>`. */
async function childPart(part: Part, script: string, args: string[], runDir: string): Promise<Omit<PartOutcome, 'part' | 'seconds'>> {
  const jsonFile = join(runDir, `${part}.json`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, script), '--json', jsonFile, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  // Its own report, indented under the part's heading.
  createInterface({ input: child.stdout }).on('line', (line) => log(`  | ${line}`));
  createInterface({ input: child.stderr }).on('line', (line) => console.error(`  | ${line}`));
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  if (code !== 0) return { figures: [], error: `${script} exited with code ${code}` };
  if (!existsSync(jsonFile)) return { figures: [], error: `${script} wrote no ${jsonFile} (does it take --json?)` };
  const result = parsePartResult(readFileSync(jsonFile, 'utf8'), script);
  return { figures: result.figures, info: result.info };
}

log(`Schoolhouse benchmarks (DESIGN §8): ${opts.parts.join(', ')}; load average ${loadAverageNow()} on ${cpus().length} cores.`);
const needsSchool = opts.parts.includes('local') || opts.parts.includes('chromium');
let school: { file: string; manifest: SchoolManifest; cached: boolean } | null = null;
// Each run works on a copy of the school, so the cached one stays as generated.
const runDir = join(benchDir, `run-${process.pid}`);
rmSync(runDir, { recursive: true, force: true });
mkdirSync(runDir, { recursive: true });
const outcomes: PartOutcome[] = [];
let plans: Record<string, string[]> = {};
// The SQLite the device runs, whichever parts run.
const sqliteVersion = ((db) => {
  try {
    return db.prepare('select sqlite_version()').pluck().get() as string;
  } finally {
    db.close();
  }
})(new Database(':memory:'));
const loadAtStart = loadAverageNow();

try {
  if (needsSchool) {
    if (opts.regenerate) {
      const { file, manifestFile } = schoolFile(benchDir, params);
      for (const f of [file, manifestFile]) rmSync(f, { force: true });
    }
    log(`School: ${params.students.toLocaleString('en')} students, ${params.payments.toLocaleString('en')} payments, seed ${params.seed}`);
    school = await ensureSchool(benchDir, params, log);
    log(
      school.cached
        ? `  cached: ${school.file} (generated in ${school.manifest.generationSeconds} s on ${school.manifest.generatedAt.slice(0, 10)})`
        : `  generated in ${school.manifest.generationSeconds} s: ${school.file} (${(school.manifest.fileBytes / 1024 ** 2).toFixed(0)} MiB)`,
    );
    copyFileSync(school.file, join(runDir, LOCAL_DB_FILE));
  }

  for (const part of opts.parts) {
    const t = performance.now();
    log(`\n== ${part} ==`);
    let outcome: Omit<PartOutcome, 'part' | 'seconds'>;
    try {
      if (part === 'local') {
        // No scheduled backup: copying the large database in the background would skew the figures.
        const core = await openCore({ dataDir: runDir, startSync: false, backups: { scheduled: false } });
        try {
          // Signed in offline through the real path (the device's server address is unreachable).
          const login = await core.dispatch('auth.login', { username: staffFor('bursar').username, password: BENCH_PASSWORD });
          if (!login.ok) throw new Error(`bench sign-in failed: ${login.error.message}`);
          log(`Measuring (figure and baseline alternate in one loop; load average ${loadAverageNow()}):`);
          const result = await runLocalStoreBench({ core, manifest: school!.manifest, runDir, seed: params.seed, applyRows: opts.applyRows, iterations: opts.iterations, log });
          plans = result.plans;
          outcome = { figures: result.figures, info: result.info };
        } finally {
          await core.close();
        }
      } else if (part === 'chromium') {
        const result = await runChromiumScrollBench({ dataDir: runDir, pxPerFrame: opts.scrollPx, baselineFrames: 600, timeoutMs: 240_000, log });
        outcome = result;
      } else if (part === 'initial-sync') {
        outcome = await childPart(part, 'tests/bench/initial-sync.ts', ['--students', String(opts.students), '--payments', String(opts.payments), '--seed', String(opts.seed)], runDir);
      } else {
        outcome = await childPart(part, 'tests/bench/sync-server.ts', [], runDir);
      }
    } catch (err) {
      console.error(err);
      outcome = { figures: [], error: (err as Error).message };
    }
    const seconds = secondsSince(t);
    outcomes.push({ part, seconds, ...outcome });
    log(`== ${part}: ${outcome.error ? `FAILED (${outcome.error})` : `${outcome.figures.length} figures`} in ${seconds} s (load average ${loadAverageNow()})`);
  }
} finally {
  rmSync(runDir, { recursive: true, force: true });
}

const figures = outcomes.flatMap((o) => o.figures);
const failed = outcomes.filter((o) => o.error);
const machine = describeMachine(sqliteVersion, loadAtStart);
const seconds = secondsSince(started);
const timing = outcomes.map((o) => `${o.part} ${o.seconds} s`).join(', ');

log('');
log(textTable(figures));
log('');
log('ratio = median of the figure ÷ median of its baseline (above 1 = slower for times; for rates, the time per row); rows/s p95 = the rate of the slow (p95) batch.');
const missed = figures.filter((f) => f.checks.some((c) => !c.met));
log(missed.length === 0 ? 'Every budget measured here is met.' : `Budgets missed (${missed.length}):`);
for (const f of missed) {
  log(`  ${f.id}: ${f.checks.filter((c) => !c.met).map((c) => c.text).join('; ')}`);
  const plan = plans[f.id] ?? plans[f.id.replace(/\.(deepVsFirst|deepVsOffset)$/, '.deep')];
  if (plan) log(`    plan: ${plan.join('\n          ')}`);
}
for (const o of failed) log(`Part ${o.part} FAILED: ${o.error}`);
log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, ${machine.os}, SQLite ${machine.sqlite}; load average ${machine.loadAverage.start} → ${machine.loadAverage.end}`);
log(`Time: ${timing}; ${seconds} s in all.`);

const stamp = startedAt.replace(/[:.]/g, '-');
const out = {
  command,
  startedAt,
  seconds,
  parts: outcomes.map((o) => ({ part: o.part, seconds: o.seconds, figures: o.figures.length, ...(o.error ? { error: o.error } : {}) })),
  machine,
  school: school ? { ...school.manifest, file: school.file, cached: school.cached } : null,
  options: opts,
  figures,
  table: tableRows(figures),
  missed: missed.map((f) => ({ id: f.id, failed: f.checks.filter((c) => !c.met).map((c) => c.text) })),
  plans,
  info: Object.fromEntries(outcomes.map((o) => [o.part, o.info ?? null])),
};
mkdirSync(benchDir, { recursive: true });
const jsonFile = join(benchDir, `results-${stamp}.json`);
writeFileSync(jsonFile, `${JSON.stringify(out, null, 2)}\n`);
const md = [
  `Command: \`${command}\` (${seconds} s: ${timing}${school ? (school.cached ? '; school cached' : `; school generated in ${school.manifest.generationSeconds} s`) : ''})`,
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, Node ${machine.node}, ${machine.os} (kernel ${machine.kernel}), SQLite ${machine.sqlite}, better-sqlite3 ${machine.betterSqlite3}, Kysely ${machine.kysely}; 1-min load average ${machine.loadAverage.start} at start, ${machine.loadAverage.end} at end`,
  ...failed.map((o) => `Part ${o.part} FAILED: ${o.error}`),
  '',
  markdownTable(figures),
  '',
].join('\n');
writeFileSync(join(benchDir, `results-${stamp}.md`), md);
log(`Results: ${jsonFile} (and .md).`);
process.exit(failed.length ? 1 : 0);
