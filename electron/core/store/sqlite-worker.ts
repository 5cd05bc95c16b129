import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

export interface CheckResult {
  ok: boolean;
  /** SQLite's own words for what is wrong (at most a few lines); empty when ok. */
  problems: string[];
  /** Entries in that database's outbox (0 when the check failed). */
  pending: number;
}

type Job = { kind: 'check'; file: string } | { kind: 'backup'; source: string; dest: string };

// Plain CommonJS so it runs as an eval'd worker both under tsx and from the bundled main
// process; the driver is resolved here and handed over, so both load the same native module.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Sqlite = require(workerData.driver);
const job = workerData.job;

function check(file) {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const problems = db.pragma('quick_check(5)').map((r) => String(Object.values(r)[0])).filter((v) => v !== 'ok');
    const pending = problems.length === 0 ? db.prepare('select count(*) from outbox').pluck().get() : 0;
    return { ok: problems.length === 0, problems, pending };
  } finally {
    db.close();
  }
}

async function backup(source, dest) {
  const db = new Sqlite(source, { readonly: true, fileMustExist: true });
  try {
    // After the first handful of pages, everything in one step: one read transaction, so the copy
    // is one moment's state however much the app writes meanwhile (WAL readers do not block it).
    await db.backup(dest, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const copy = new Sqlite(dest, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  return check(dest);
}

(async () => {
  try {
    parentPort.postMessage(job.kind === 'backup' ? await backup(job.source, job.dest) : check(job.file));
  } catch (err) {
    parentPort.postMessage({ ok: false, problems: [(err.code ? err.code + ': ' : '') + err.message], pending: 0 });
  }
})();
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Runs whole-database work in a worker thread, on its own connection: on a large database a
 * check or a copy takes seconds to minutes, which the main process must never spend in one
 * synchronous call (DESIGN §2).
 */
function runJob(job: Job): Promise<CheckResult> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, job } });
    let answered = false;
    worker.once('message', (m: CheckResult) => {
      answered = true;
      resolve(m);
    });
    worker.once('error', (err) => resolve({ ok: false, problems: [`the worker failed: ${err.message}`], pending: 0 }));
    worker.once('exit', () => {
      if (!answered) resolve({ ok: false, problems: ['the worker stopped without an answer'], pending: 0 });
    });
  });
}

/** SQLite's quick_check (every page and b-tree, without cross-checking indexes against tables)
 * of a database file, read-only. */
export function quickCheck(file: string): Promise<CheckResult> {
  return runJob({ kind: 'check', file });
}

/** Copies `source` into the new file `dest` with SQLite's online backup API, makes the copy one
 * self-contained file (rollback journal), and quick_checks it. */
export function backupAndCheck(source: string, dest: string): Promise<CheckResult> {
  return runJob({ kind: 'backup', source, dest });
}
