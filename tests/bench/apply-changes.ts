// The "apply pulled changes" part of `npm run bench` (DESIGN §8: ≥ 100,000 rows/s into SQLite),
// on the two paths a device stores pulled rows by, each next to a raw better-sqlite3 baseline
// measured in the same loop:
// - a first sync's phase 1 (store/bulk-load.ts): students into an empty store in steps of 2,000
//   rows (the sync client's largest step) with the indexes and search triggers off, then put back
//   (sorted index builds, one search-index fill); timed from the first row to the last index;
// - the row-by-row path everything else takes (live changes, a first sync's history, a rebuild):
//   students and payments 1,000 a transaction into a store that holds an offset.
// Every write goes through inPulledTransaction (synchronous=NORMAL), as the sync client's do.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import type Sqlite from 'better-sqlite3';
import { openLocalStore, type LocalStore } from '../../electron/core/store/open-store.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';
import { beginBulkLoad, restoreBulkStep } from '../../electron/core/store/bulk-load.js';
import { applyChanges, inPulledTransaction, validateChange } from '../../electron/core/sync/apply-changes.js';
import type { PaymentRow } from '../../shared/domain/payments.js';
import type { ChangeValue, SyncedTable } from '../../shared/sync/protocol.js';
import { interleave, summarize, type Summary } from './measure.js';
import { rateFigure, type Check, type Figure } from './report.js';
import { makeStudentRows, planClasses } from './generate-school.js';
import { Prng } from '../../sync-server/src/demo/big/prng.js';

export interface ApplyBenchOptions {
  /** Scratch folder for the stores it fills. */
  runDir: string;
  seed: number;
  /** Student rows per load and per side (payments: the same number). */
  applyRows: number;
  /** Loads of the bulk path per side (each into a fresh store). */
  loads?: number;
  budgetRowsPerSecond: number;
  log: (msg: string) => void;
}

type Change = { table: SyncedTable; change: ChangeValue };

const BATCH = 1_000;
/** The sync client's largest step (batch-size.ts): a first sync's steps grow to it once they are fast. */
const BULK_STEP = 2_000;
const GROUP = 'apply pulled changes';

const STUDENT_INSERT = 'insert into students (id, admission_no, first_name, last_name, class_name, status, guardian_phone) values (?, ?, ?, ?, ?, ?, ?)';
const PAYMENT_INSERT =
  'insert into payments (id, student_id, amount_minor, currency, method, reference, receipt_no, recorded_at, recorded_by, device_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function rawStudents(sqlite: Sqlite.Database): (batch: readonly Change[]) => void {
  const st = sqlite.prepare(STUDENT_INSERT);
  return (batch) =>
    inPulledTransaction(sqlite, () => {
      for (const { change } of batch) {
        const r = change.row as Record<string, string | null>;
        st.run(r.id, r.admission_no, r.first_name, r.last_name, r.class_name, r.status, r.guardian_phone);
      }
    });
}

function rawPayments(sqlite: Sqlite.Database): (batch: readonly Change[]) => void {
  const st = sqlite.prepare(PAYMENT_INSERT);
  return (batch) =>
    inPulledTransaction(sqlite, () => {
      for (const { change } of batch) {
        const r = change.row as Record<string, string | number | null>;
        st.run(r.id, r.student_id, r.amount_minor, r.currency, r.method, r.reference, r.receipt_no, r.recorded_at, r.recorded_by, r.device_id);
      }
    });
}

/** A store that holds an offset, as one past its first sync does: no bulk load, every row on the row-by-row path. */
function holdOffset(store: LocalStore): void {
  store.sqlite.prepare("update sync_state set shape_handle = 'bench', shape_offset = '1_0' where id = 1").run();
}

export async function runApplyBench(options: ApplyBenchOptions): Promise<{ figures: Figure[]; info: Record<string, unknown> }> {
  const { log } = options;
  const figures: Figure[] = [];
  const stores: LocalStore[] = [];
  const files: string[] = [];
  let named = 0;
  const fresh = async (name: string) => {
    const file = join(options.runDir, `apply-${name}-${++named}.sqlite`);
    files.push(file);
    const store = await openLocalStore(file);
    stores.push(store);
    return store;
  };
  const dispose = async (store: LocalStore) => {
    await store.close();
    stores.splice(stores.indexOf(store), 1);
  };
  const budget = (s: Summary, rows: number): Check => ({
    text: `≥ ${options.budgetRowsPerSecond.toLocaleString('en')} rows/s`,
    met: (rows * 1000) / s.median >= options.budgetRowsPerSecond,
  });
  try {
    const prng = new Prng(options.seed + 202);
    const classes = planClasses(prng);
    const batches = Math.max(1, Math.floor(options.applyRows / BATCH));
    const rows = batches * BATCH;
    // Validated before timing, as the sync client does outside its write transaction.
    const validateTimes: number[] = [];
    const studentBatches: Change[][] = [];
    let seq = 0;
    for (let b = 0; b < batches; b++) {
      const made = makeStudentRows(prng, classes, BATCH, 1_000_001 + b * BATCH, Date.UTC(2026, 0, 1));
      const t = performance.now();
      studentBatches.push(made.map((row) => validateChange({ table: 'students', id: row.id, seq: ++seq, deleted: false, row })));
      validateTimes.push(performance.now() - t);
    }
    const allStudents = studentBatches.flat();

    // ---- a first sync's phase 1: bulk -------------------------------------------------------
    const loads = options.loads ?? 2;
    log(`  first sync, phase 1 (bulk): ${rows.toLocaleString('en')} students into an empty store, ${BULK_STEP.toLocaleString('en')} a step, ${loads} loads per side`);
    const restoreSteps: number[] = [];
    let insertMs = 0;
    const bulkLoad = async () => {
      const store = await fresh('bulk');
      const s = store.sqlite;
      const began = performance.now();
      for (let i = 0; i < allStudents.length; i += BULK_STEP) {
        inPulledTransaction(s, () => {
          if (i === 0) beginBulkLoad(s, 'current');
          applyChanges(s, allStudents.slice(i, i + BULK_STEP));
        });
      }
      const inserted = performance.now();
      insertMs += inserted - began;
      for (let more = true; more; ) {
        const t = performance.now();
        inPulledTransaction(s, () => (more = restoreBulkStep(s)));
        restoreSteps.push(performance.now() - t);
      }
      const ms = performance.now() - began;
      await dispose(store);
      return ms;
    };
    const rowByRowLoad = async () => {
      const store = await fresh('row-by-row');
      const insert = rawStudents(store.sqlite);
      const began = performance.now();
      for (let i = 0; i < allStudents.length; i += BULK_STEP) insert(allStudents.slice(i, i + BULK_STEP));
      const ms = performance.now() - began;
      await dispose(store);
      return ms;
    };
    const bulkTimes: number[] = [];
    const rawLoadTimes: number[] = [];
    for (let round = 0; round < loads; round++) {
      // Alternate which goes first, as interleave does.
      const order = round % 2 === 0 ? [bulkLoad, rowByRowLoad] : [rowByRowLoad, bulkLoad];
      for (const load of order) (load === bulkLoad ? bulkTimes : rawLoadTimes).push(await load());
    }
    const bulk = summarize(bulkTimes);
    figures.push(
      rateFigure(
        {
          id: 'apply.bulk.students',
          group: GROUP,
          label: `first sync phase 1 (bulk): students into an empty store, ${BULK_STEP.toLocaleString('en')}/step, indexes and search built at the end`,
          checks: [budget(bulk, rows)],
          note: `per load of ${rows.toLocaleString('en')} rows, index and search builds included`,
        },
        rows,
        bulk,
        { label: 'raw row-by-row insert, all indexes and triggers', summary: summarize(rawLoadTimes) },
      ),
    );
    const restore = summarize(restoreSteps);
    const info: Record<string, unknown> = {
      bulk: {
        rowsPerLoad: rows,
        step: BULK_STEP,
        loads,
        insertMsMedianLoad: Math.round(insertMs / loads),
        restoreSteps: restoreSteps.length / loads,
        restoreStepMs: { median: Math.round(restore.median), max: Math.round(restore.max) },
      },
    };

    // ---- row by row: live changes, history, rebuilds ------------------------------------------
    const viaCore = await fresh('core');
    const viaRaw = await fresh('raw');
    const viaRawNoFts = await fresh('raw-nofts');
    for (const store of [viaCore, viaRaw, viaRawNoFts]) holdOffset(store);
    for (const trigger of ['students_fts_insert', 'students_fts_update', 'students_fts_delete']) viaRawNoFts.sqlite.exec(`drop trigger ${trigger}`);
    const rawTx = rawStudents(viaRaw.sqlite);
    const rawNoFtsTx = rawStudents(viaRawNoFts.sqlite);
    const coreTx = (batch: Change[]) => withSqlite(viaCore, (s) => inPulledTransaction(s, () => applyChanges(s, batch)));
    log(`  row by row: ${rows.toLocaleString('en')} student rows per side, ${BATCH} per transaction`);
    const [aCore, aRaw, aNoFts] = (
      await interleave([(i) => coreTx(studentBatches[i]!), (i) => rawTx(studentBatches[i]!), (i) => rawNoFtsTx(studentBatches[i]!)], { iterations: batches, warmup: 0 })
    ).map(summarize) as [Summary, Summary, Summary];
    figures.push(
      rateFigure(
        { id: 'apply.students', group: GROUP, label: 'applyChanges row by row (live changes, rebuilds): students, 1,000/tx', checks: [], note: 'the budget is held on the path a first sync takes (bulk, above)' },
        BATCH,
        aCore,
        { label: 'raw batched insert', summary: aRaw },
      ),
      rateFigure(
        { id: 'apply.students.nofts', group: GROUP, label: 'raw batched insert, students, search triggers dropped', checks: [], diagnostic: true, note: 'what the students_fts triggers cost' },
        BATCH,
        aNoFts,
        { label: 'raw batched insert (with search)', summary: aRaw },
      ),
      rateFigure({ id: 'apply.students.validate', group: GROUP, label: 'validateChange (zod), students, 1,000 rows', checks: [], diagnostic: true, note: 'runs before the write transaction' }, BATCH, summarize(validateTimes), null),
    );

    // Payments: the bulk of a first sync's history (phase 2), stored row by row (insert-only).
    const payments: Change[][] = [];
    const studentIds = allStudents.map((c) => c.change.id);
    for (let b = 0; b < batches; b++) {
      const made: PaymentRow[] = [];
      for (let i = 0; i < BATCH; i++) {
        const n = b * BATCH + i + 1;
        const at = Date.UTC(2026, 0, 5) + n * 9_000;
        made.push({
          id: prng.uuidv7(at),
          student_id: prng.pick(studentIds),
          amount_minor: 100 * 500 * prng.int(1, 40),
          currency: 'KES',
          method: 'mobile_money',
          reference: `T${prng.hex(9).toUpperCase()}`,
          receipt_no: `KHS-D2-${String(n).padStart(6, '0')}`,
          recorded_at: new Date(at).toISOString(),
          recorded_by: 'Joseph Otieno',
          recorded_by_id: null,
          device_id: '0190d000-0000-7000-8000-000000000002',
          allocations: [],
        });
      }
      payments.push(made.map((row) => validateChange({ table: 'payments', id: row.id, seq: ++seq, deleted: false, row })));
    }
    const rawPayTx = rawPayments(viaRaw.sqlite);
    log(`  row by row: ${rows.toLocaleString('en')} payment rows per side`);
    const [pCore, pRaw] = (await interleave([(i) => coreTx(payments[i]!), (i) => rawPayTx(payments[i]!)], { iterations: batches, warmup: 0 })).map(summarize) as [Summary, Summary];
    figures.push(
      rateFigure(
        { id: 'apply.payments', group: GROUP, label: 'applyChanges row by row: payments, 1,000/tx (a first sync’s history takes this path)', checks: [budget(pCore, BATCH)] },
        BATCH,
        pCore,
        { label: 'raw batched insert', summary: pRaw },
      ),
    );
    info.rowByRow = { rowsPerSide: rows, batch: BATCH, synchronous: 'NORMAL (inPulledTransaction, as a pull)' };
    return { figures, info };
  } finally {
    for (const s of stores) await s.close();
    for (const f of files) for (const suffix of ['', '-wal', '-shm']) rmSync(f + suffix, { force: true });
  }
}
