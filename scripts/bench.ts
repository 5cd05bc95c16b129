// `npm run bench`: the performance budgets of DESIGN §8, measured next to raw-driver baselines
// in the same run. This is the LOCAL-STORE part (lists, search, recording a payment, applying
// pulled changes); the sync server, initial sync over loopback and Chromium figures come later.
//
//   npm run bench                                       100,000 students, 1,000,000 payments
//   npm run bench -- --students 20000 --payments 100000 a quick run
//
// The generated school is cached under .data/bench/ (keyed by its parameters and the sources
// that shape it); results go to .data/bench/results-<timestamp>.json and .md.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { LOCAL_DB_FILE, openCore } from '../electron/core/open-core.js';
import { ensureSchool, schoolFile, BENCH_PASSWORD, type SchoolParams } from '../tests/bench/generate-school.js';
import { runLocalStoreBench } from '../tests/bench/local-store.js';
import { describeMachine, loadAverageNow, markdownTable, tableRows, textTable } from '../tests/bench/report.js';
import { staffFor } from '../tests/support/local-device.js';

const root = resolve(import.meta.dirname, '..');
const machineCores = () => cpus().length;
const benchDir = join(root, '.data', 'bench');

const USAGE = `usage: npm run bench -- [--students N] [--payments N] [--seed N] [--apply-rows N] [--iterations N] [--regenerate]
  --students     students in the generated school (default 100000)
  --payments     payments in the generated school (default 1000000)
  --seed         generator seed (default 1)
  --apply-rows   rows per side in the apply benchmark, in batches of 1,000 (default: min(students, 100000))
  --iterations   timed rounds of each sub-millisecond query (default 2000)
  --regenerate   generate the school again even if it is cached`;

function parseArgs(argv: string[]) {
  const opts = { students: 100_000, payments: 1_000_000, seed: 1, applyRows: 0, iterations: 2_000, regenerate: false };
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
    const keys: Record<string, keyof typeof opts> = { '--students': 'students', '--payments': 'payments', '--seed': 'seed', '--apply-rows': 'applyRows', '--iterations': 'iterations' };
    const key = keys[flag];
    const value = Number(inline ?? argv[++i]);
    if (!key || !Number.isInteger(value) || value < (key === 'seed' ? 0 : 1)) {
      console.error(`bench: cannot use "${arg}"\n${USAGE}`);
      process.exit(2);
    }
    (opts as Record<string, number | boolean>)[key] = value;
  }
  if (opts.students < 1_000) {
    console.error('bench: --students must be at least 1000');
    process.exit(2);
  }
  if (!opts.applyRows) opts.applyRows = Math.min(opts.students, 100_000);
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const params: SchoolParams = { students: opts.students, payments: opts.payments, seed: opts.seed };
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const started = performance.now();
const log = (msg: string) => console.log(msg);

log(`Schoolhouse benchmarks — local store (DESIGN §8). Server, initial-sync and Chromium figures are not part of this run yet.`);
if (opts.regenerate) {
  const { file, manifestFile } = schoolFile(benchDir, params);
  for (const f of [file, manifestFile]) rmSync(f, { force: true });
}
log(`School: ${params.students.toLocaleString('en')} students, ${params.payments.toLocaleString('en')} payments, seed ${params.seed}`);
const school = await ensureSchool(benchDir, params, log);
log(
  school.cached
    ? `  cached: ${school.file} (generated in ${school.manifest.generationSeconds} s on ${school.manifest.generatedAt.slice(0, 10)})`
    : `  generated in ${school.manifest.generationSeconds} s: ${school.file} (${(school.manifest.fileBytes / 1024 ** 2).toFixed(0)} MiB)`,
);

// Each run works on a copy, so the cached school stays as generated.
const runDir = join(benchDir, `run-${process.pid}`);
rmSync(runDir, { recursive: true, force: true });
mkdirSync(runDir, { recursive: true });
let exitCode = 0;
try {
  copyFileSync(school.file, join(runDir, LOCAL_DB_FILE));
  // No scheduled backup: copying the large database in the background would skew the figures.
  const core = await openCore({ dataDir: runDir, startSync: false, backups: { scheduled: false } });
  try {
    // Signed in offline through the real path (the device's server address is unreachable).
    const bursar = staffFor('bursar');
    const login = await core.dispatch('auth.login', { username: bursar.username, password: BENCH_PASSWORD });
    if (!login.ok) throw new Error(`bench sign-in failed: ${login.error.message}`);
    const sqliteVersion = (core.store.sqlite.prepare('select sqlite_version() as v').get() as { v: string }).v;
    const loadAtStart = loadAverageNow();
    log(`Measuring (figure and baseline alternate in one loop; load average ${loadAtStart} on ${machineCores()} cores):`);
    const result = await runLocalStoreBench({ core, manifest: school.manifest, runDir, seed: params.seed, applyRows: opts.applyRows, iterations: opts.iterations, log });
    const machine = describeMachine(sqliteVersion, loadAtStart);
    const seconds = Math.round((performance.now() - started) / 1000);

    log('');
    log(textTable(result.figures));
    log('');
    log('ratio = median of the figure ÷ median of its baseline (above 1 = slower); rows/s p95 = the rate of the slow (p95) batch.');
    const missed = result.figures.filter((f) => f.checks.some((c) => !c.met));
    log(missed.length === 0 ? 'Every budget measured here is met.' : `Budgets missed: ${missed.map((f) => f.id).join(', ')}`);
    for (const f of missed) {
      const plan = result.plans[f.id] ?? result.plans[f.id.replace(/\.(deepVsFirst|deepVsOffset)$/, '.deep')];
      if (plan) log(`  ${f.id} plan:\n    ${plan.join('\n    ')}`);
    }
    log(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB, Node ${machine.node}, ${machine.os}, SQLite ${machine.sqlite}; load average ${machine.loadAverage.start} → ${machine.loadAverage.end}`);
    log('Measured by their own commands: npm run bench:initial-sync (initial sync over loopback), npm run bench:sync-server (server throughput, long-poll memory, cross-device latency). Not measured yet: Chromium rendering.');

    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const out = {
      suite: 'local-store',
      notYetMeasured: ['sync server mutations/s and p99', '1,000 idle long-polling devices', 'initial sync over loopback', 'payment visible on another device', 'Chromium rendering'],
      command,
      startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
      seconds,
      machine,
      school: { ...school.manifest, file: school.file, cached: school.cached },
      options: opts,
      figures: result.figures,
      table: tableRows(result.figures),
      plans: result.plans,
      info: result.info,
    };
    const jsonFile = join(benchDir, `results-${stamp}.json`);
    writeFileSync(jsonFile, `${JSON.stringify(out, null, 2)}\n`);
    const md = [
      `Command: \`${command}\` (${seconds} s${school.cached ? ', school cached' : `, school generated in ${school.manifest.generationSeconds} s`})`,
      `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, Node ${machine.node}, ${machine.os} (kernel ${machine.kernel}), SQLite ${machine.sqlite}, better-sqlite3 ${machine.betterSqlite3}, Kysely ${machine.kysely}; 1-min load average ${machine.loadAverage.start} at start, ${machine.loadAverage.end} at end`,
      '',
      markdownTable(result.figures),
      '',
    ].join('\n');
    writeFileSync(join(benchDir, `results-${stamp}.md`), md);
    log(`Results: ${jsonFile} (and .md), ${seconds} s in all.`);
  } finally {
    await core.close();
  }
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  rmSync(runDir, { recursive: true, force: true });
}
process.exit(exitCode);
