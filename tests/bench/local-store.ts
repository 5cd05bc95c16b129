// The local-store part of `npm run bench` (DESIGN §8): student lists and search through the
// real queries, recording a payment through the real dispatch, and applying pulled changes,
// each next to a raw better-sqlite3 baseline measured in the same loop.
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import type Sqlite from 'better-sqlite3';
import type { Core } from '../../electron/core/open-core.js';
import type { LocalDatabase } from '../../electron/core/store/database.js';
import { listStudents, planSearch, studentsPageQuery, type SearchPlan } from '../../electron/core/queries/students.js';
import { toFtsPrefixQuery } from '../../electron/core/queries/fts-query.js';
import type { StudentCursor, StudentFilter } from '../../shared/domain/students.js';
import { uuidv7 } from '../../shared/ids.js';
import { interleave, summarize, type Summary } from './measure.js';
import { timeFigure, type Figure } from './report.js';
import type { SchoolManifest } from './generate-school.js';
import { Prng } from '../../sync-server/src/demo/big/prng.js';
import { runBursaryBench } from './bursary-lists.js';
import { runAttendanceBench } from './attendance-lists.js';
import { runApplyBench } from './apply-changes.js';

export interface LocalStoreBenchOptions {
  core: Core;
  manifest: SchoolManifest;
  /** Scratch folder for the stores the apply benchmark fills. */
  runDir: string;
  seed: number;
  /** Rows applied per side in the apply benchmark (in batches of 1,000). */
  applyRows: number;
  /** Timed rounds for the sub-millisecond queries (others scale from it). */
  iterations: number;
  log: (msg: string) => void;
}

export interface LocalStoreBenchResult {
  figures: Figure[];
  /** EXPLAIN QUERY PLAN of each measured statement, by figure id. */
  plans: Record<string, string[]>;
  info: Record<string, unknown>;
}

const PAGE = 50;
const DEEP_ROW = 90_000;
const NO_SEARCH: SearchPlan = { fts: null };

export const BUDGETS = {
  firstPageP95Ms: 1,
  deepVsFirst: 2,
  kyselyVsRaw: 1.3,
  searchP95Ms: 2,
  paymentP95Ms: 5,
  applyRowsPerSecond: 100_000,
};

function explain(sqlite: Sqlite.Database, query: { sql: string; parameters: readonly unknown[] }): string[] {
  return (sqlite.prepare(`explain query plan ${query.sql}`).all(...query.parameters) as { id: number; parent: number; detail: string }[]).map(
    (r) => `${r.parent === 0 ? '' : '  '}${r.detail}`,
  );
}

function check(text: string, met: boolean) {
  return { text, met };
}

export async function runLocalStoreBench(options: LocalStoreBenchOptions): Promise<LocalStoreBenchResult> {
  const { core, log } = options;
  const figures: Figure[] = [];
  const plans: Record<string, string[]> = {};
  const info: Record<string, unknown> = {};
  const db = core.store.db;
  const sqlite = core.store.sqlite;
  const statementCache = new Map<string, Sqlite.Statement>();
  const prepared = (sqlText: string) => {
    let st = statementCache.get(sqlText);
    if (!st) statementCache.set(sqlText, (st = sqlite.prepare(sqlText)));
    return st;
  };
  const N = options.iterations;

  // ---- student lists ---------------------------------------------------------------------
  const { name: largestClass, size: largestClassSize } = options.manifest.largestClass;
  const filters: { key: string; label: string; filter: StudentFilter }[] = [
    { key: 'all', label: 'unfiltered', filter: {} },
    { key: 'enrolled', label: 'status=enrolled', filter: { status: 'enrolled' } },
    { key: 'withdrawn', label: 'status=withdrawn', filter: { status: 'withdrawn' } },
    { key: 'class', label: `class="${largestClass}" (largest, ${largestClassSize.toLocaleString('en')})`, filter: { className: largestClass } },
  ];
  const listInfo: Record<string, unknown> = {};
  for (const { key, label, filter } of filters) {
    const total = Number((await db.selectFrom('students').$call((q) => (filter.status ? q.where('status', '=', filter.status) : filter.className ? q.where('class_name', '=', filter.className) : q)).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    // The deep page: row 90,000, or 90% of the way down a shorter list.
    const depth = Math.max(PAGE, Math.min(DEEP_ROW, Math.floor((total * 0.9) / PAGE) * PAGE));
    // Reach it the way a user scrolling would: page after page by keyset cursor.
    let cursor: StudentCursor | null = null;
    let seen = 0;
    while (seen < depth) {
      const page = await listStudents(db, filter, cursor, Math.min(500, depth - seen));
      const last = page.rows[page.rows.length - 1];
      if (!last) throw new Error(`list ${label} ended at row ${seen}, before row ${depth}`);
      seen += page.rows.length;
      cursor = { lastName: last.lastName, firstName: last.firstName, id: last.id };
    }
    const firstQ = studentsPageQuery(db, filter, NO_SEARCH, null, PAGE).compile();
    const deepQ = studentsPageQuery(db, filter, NO_SEARCH, cursor, PAGE).compile();
    const offsetQ = studentsPageQuery(db, filter, NO_SEARCH, null, PAGE).offset(depth).compile();
    const rawFirst = prepared(firstQ.sql);
    const rawDeep = prepared(deepQ.sql);
    // The keyset page and the OFFSET page at the same depth must be the same rows.
    const keysetIds = (rawDeep.all(...deepQ.parameters) as { id: string }[]).map((r) => r.id).join();
    const offsetIds = (prepared(offsetQ.sql).all(...offsetQ.parameters) as { id: string }[]).map((r) => r.id).join();
    if (keysetIds !== offsetIds) throw new Error(`list ${label}: the keyset page at row ${depth} differs from the OFFSET page`);
    plans[`list.${key}.first`] = explain(sqlite, firstQ);
    plans[`list.${key}.deep`] = explain(sqlite, deepQ);
    plans[`list.${key}.offset`] = explain(sqlite, offsetQ);
    listInfo[key] = { rows: total, deepRow: depth, firstPageSql: firstQ.sql, deepPageSql: deepQ.sql };

    log(`  list ${label}: first page and row ${depth.toLocaleString('en')}`);
    const [kFirst, rFirst, kDeep, rDeep] = (
      await interleave(
        [
          () => listStudents(db, filter, null, PAGE),
          () => rawFirst.all(...firstQ.parameters),
          () => listStudents(db, filter, cursor, PAGE),
          () => rawDeep.all(...deepQ.parameters),
        ],
        { iterations: N, warmup: Math.ceil(N / 10) },
      )
    ).map(summarize) as [Summary, Summary, Summary, Summary];
    const group = `students list, ${label}`;
    figures.push(
      timeFigure(
        {
          id: `list.${key}.first`,
          group,
          label: `list ${label}: first page (50), Kysely`,
          checks: [check(`p95 < ${BUDGETS.firstPageP95Ms} ms`, kFirst.p95 < BUDGETS.firstPageP95Ms), check(`≤ ${BUDGETS.kyselyVsRaw}x raw`, kFirst.median / rFirst.median <= BUDGETS.kyselyVsRaw)],
        },
        kFirst,
        { label: 'raw prepared stmt', summary: rFirst },
      ),
      timeFigure(
        { id: `list.${key}.deep`, group, label: `list ${label}: page at row ${depth.toLocaleString('en')} (keyset), Kysely`, checks: [check(`≤ ${BUDGETS.kyselyVsRaw}x raw`, kDeep.median / rDeep.median <= BUDGETS.kyselyVsRaw)] },
        kDeep,
        { label: 'raw prepared stmt', summary: rDeep },
      ),
      timeFigure(
        { id: `list.${key}.deepVsFirst`, group, label: `list ${label}: page at row ${depth.toLocaleString('en')} vs first page`, checks: [check(`≤ ${BUDGETS.deepVsFirst}x first page`, kDeep.median / kFirst.median <= BUDGETS.deepVsFirst)] },
        kDeep,
        { label: 'first page (Kysely)', summary: kFirst },
      ),
    );

    // OFFSET at the same depth walks every skipped index entry: far fewer rounds.
    const offsetRounds = Math.max(20, Math.min(N, Math.round(N / Math.max(1, depth / 2_000))));
    const [kDeep2, kOffset] = (
      await interleave(
        [() => listStudents(db, filter, cursor, PAGE), () => studentsPageQuery(db, filter, NO_SEARCH, null, PAGE).offset(depth).execute()],
        { iterations: offsetRounds, warmup: 3 },
      )
    ).map(summarize) as [Summary, Summary];
    figures.push(
      timeFigure(
        { id: `list.${key}.deepVsOffset`, group, label: `list ${label}: page at row ${depth.toLocaleString('en')}, keyset vs OFFSET`, checks: [] },
        kDeep2,
        { label: 'OFFSET (Kysely)', summary: kOffset },
      ),
    );
  }
  info.lists = listInfo;

  // The renderer reaches core through dispatch (session check and input validation included).
  {
    const firstQ = studentsPageQuery(db, {}, NO_SEARCH, null, PAGE).compile();
    const raw = prepared(firstQ.sql);
    const [viaDispatch, rawFirst] = (
      await interleave(
        [
          async () => {
            const reply = await core.dispatch('students.list', { limit: PAGE });
            if (!reply.ok) throw new Error(reply.error.message);
          },
          () => raw.all(...firstQ.parameters),
        ],
        { iterations: N, warmup: Math.ceil(N / 10) },
      )
    ).map(summarize) as [Summary, Summary];
    figures.push(
      timeFigure(
        { id: 'list.dispatch.first', group: 'students list, unfiltered', label: "dispatch('students.list') first page (50)", checks: [check(`p95 < ${BUDGETS.firstPageP95Ms} ms`, viaDispatch.p95 < BUDGETS.firstPageP95Ms)] },
        viaDispatch,
        { label: 'raw prepared stmt', summary: rawFirst },
      ),
    );
  }

  // Where the Kysely path's time goes, on the unfiltered first page (diagnostic): building and
  // compiling the query, and preparing the statement, which Kysely's SQLite driver does on
  // every execution (it keeps no statement cache).
  {
    const firstQ = studentsPageQuery(db, {}, NO_SEARCH, null, PAGE).compile();
    const raw = prepared(firstQ.sql);
    const [compileOnly, prepareRun, rawFirst] = (
      await interleave(
        [() => studentsPageQuery(db, {}, NO_SEARCH, null, PAGE).compile(), () => sqlite.prepare(firstQ.sql).all(...firstQ.parameters), () => raw.all(...firstQ.parameters)],
        { iterations: N, warmup: Math.ceil(N / 10) },
      )
    ).map(summarize) as [Summary, Summary, Summary];
    const group = 'students list, unfiltered';
    figures.push(
      timeFigure({ id: 'list.diag.compile', group, label: 'diagnostic: Kysely build + compile only (first page query)', checks: [], diagnostic: true }, compileOnly, {
        label: 'raw prepared stmt',
        summary: rawFirst,
      }),
      timeFigure({ id: 'list.diag.prepare', group, label: 'diagnostic: prepare + run per call (as Kysely’s stock SQLite driver does; core caches statements)', checks: [], diagnostic: true }, prepareRun, {
        label: 'raw prepared stmt',
        summary: rawFirst,
      }),
    );
  }

  // ---- search as you type ------------------------------------------------------------------
  // The SQL core runs for each search, captured from a logging Kysely over the same connection
  // (never destroyed: that would close the shared connection).
  const captured: CompiledQuery[] = [];
  const capture = new Kysely<LocalDatabase>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (e) => {
      if (e.level === 'query') captured.push(e.query);
    },
  });
  const words = ['kamau', 'wanjiru', 'otieno', 'achieng', 'njoroge', 'cheruiyot', 'mohamed', 'faith'];
  const searchInfo: Record<string, unknown> = {};
  for (const letters of [1, 2, 3, 5]) {
    const prefixes = [...new Set(words.map((w) => w.slice(0, letters)))];
    // Per prefix, the statements core runs: planSearch's (up to two) then the page.
    const raw: { stmt: Sqlite.Statement; params: readonly unknown[] }[][] = [];
    for (const prefix of prefixes) {
      captured.length = 0;
      await listStudents(capture, { search: prefix }, null, PAGE);
      const { mode } = (await planSearch(db, prefix)) as { mode: string };
      const matches = Number((sqlite.prepare('select count(*) as n from students_fts where students_fts match ?').get(toFtsPrefixQuery(prefix)) as { n: number }).n);
      searchInfo[prefix] = { matches, mode, statements: captured.length };
      plans[`search.${mode}`] ??= explain(sqlite, captured[captured.length - 1]!);
      captured.slice(0, -1).forEach((q, k) => (plans[`search.plan.${k + 1}`] ??= explain(sqlite, q)));
      raw.push(captured.map((q) => ({ stmt: prepared(q.sql), params: q.parameters })));
    }
    log(`  search ${letters} letter${letters > 1 ? 's' : ''}: ${prefixes.map((p) => `${p} (${(searchInfo[p] as { mode: string }).mode})`).join(', ')}`);
    const [kSearch, rSearch] = (
      await interleave(
        [
          (i) => listStudents(db, { search: prefixes[i % prefixes.length]! }, null, PAGE),
          (i) => {
            const statements = raw[i % raw.length]!;
            let rows: unknown[] = [];
            for (const { stmt, params } of statements) rows = stmt.all(...params);
            return rows;
          },
        ],
        { iterations: N, warmup: Math.ceil(N / 10) },
      )
    ).map(summarize) as [Summary, Summary];
    figures.push(
      timeFigure(
        {
          id: `search.${letters}`,
          group: 'search as you type',
          label: `search ${letters} letter${letters > 1 ? 's' : ''} (${prefixes.map((p) => `"${p}"`).join(' ')}), first page`,
          checks: [check(`p95 < ${BUDGETS.searchP95Ms} ms`, kSearch.p95 < BUDGETS.searchP95Ms), check(`≤ ${BUDGETS.kyselyVsRaw}x raw`, kSearch.median / rSearch.median <= BUDGETS.kyselyVsRaw)],
        },
        kSearch,
        { label: 'raw prepared stmts', summary: rSearch },
      ),
    );
  }
  info.search = searchInfo;

  // ---- the bursary's lists, arrears and dashboard --------------------------------------------
  {
    const bursary = await runBursaryBench({ core, manifest: options.manifest, iterations: N, log, budgets: BUDGETS });
    figures.push(...bursary.figures);
    Object.assign(plans, bursary.plans);
    Object.assign(info, bursary.info);
  }
  {
    const attendance = await runAttendanceBench({ core, manifest: options.manifest, iterations: N, log, budgets: BUDGETS });
    figures.push(...attendance.figures);
    Object.assign(plans, attendance.plans);
    Object.assign(info, attendance.info);
  }

  // ---- recording a payment -----------------------------------------------------------------
  {
    const enrolled = sqlite.prepare("select id from students where status = 'enrolled' order by rowid").pluck().all() as string[];
    const prng = new Prng(options.seed + 101);
    const rawInsert = sqlite.prepare(
      'insert into payments (id, student_id, amount_minor, currency, method, reference, receipt_no, recorded_at, recorded_by, device_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let rawReceipt = 0;
    const rawTx = sqlite.transaction((studentId: string, amount: number) => {
      rawInsert.run(uuidv7(), studentId, amount, 'KES', 'cash', null, `RAW-D9-${String(++rawReceipt).padStart(6, '0')}`, new Date().toISOString(), 'Bench', options.manifest.device.id);
    });
    const record = async () => {
      const mobile = prng.chance(0.6);
      const reply = await core.dispatch('payments.record', {
        studentId: prng.pick(enrolled),
        amountMinor: 100 * 500 * prng.int(1, 40),
        method: mobile ? 'mobile_money' : 'cash',
        ...(mobile ? { reference: `TB${prng.hex(8).toUpperCase()}` } : {}),
      });
      if (!reply.ok) throw new Error(`payments.record failed: ${reply.error.message}`);
    };
    const raw = () => rawTx(prng.pick(enrolled), 100 * 500 * prng.int(1, 40));
    const synchronous = () => sqlite.pragma('synchronous', { simple: true }) as number;
    if (synchronous() !== 2) throw new Error('the store is expected to run with synchronous=FULL');
    const rounds = Math.max(50, Math.round(N / 4));
    log(`  payments.record: ${rounds} payments (synchronous=FULL)`);
    const [kPay, rPay] = (await interleave([record, raw], { iterations: rounds, warmup: 20 })).map(summarize) as [Summary, Summary];
    figures.push(
      timeFigure(
        {
          id: 'payments.record',
          group: 'record a payment',
          label: "dispatch('payments.record'), synchronous=FULL",
          checks: [check(`p95 < ${BUDGETS.paymentP95Ms} ms`, kPay.p95 < BUDGETS.paymentP95Ms)],
        },
        kPay,
        { label: 'raw 1-row insert tx', summary: rPay },
      ),
    );
    // Where the time goes: the same two without waiting for the disk (diagnostic only).
    sqlite.pragma('synchronous = OFF');
    try {
      log(`  payments.record: ${rounds} payments (synchronous=OFF, diagnostic)`);
      const [kCpu, rCpu] = (await interleave([record, raw], { iterations: rounds, warmup: 20 })).map(summarize) as [Summary, Summary];
      figures.push(
        timeFigure(
          { id: 'payments.record.cpu', group: 'record a payment', label: "dispatch('payments.record'), synchronous=OFF", checks: [], diagnostic: true, note: 'CPU cost of the command without the commit fsync' },
          kCpu,
          { label: 'raw 1-row insert tx', summary: rCpu },
        ),
      );
    } finally {
      sqlite.pragma('synchronous = FULL');
    }
    if (synchronous() !== 2) throw new Error('could not restore synchronous=FULL');
    info.payments = { enrolledStudents: enrolled.length, recorded: rounds + 20 };
  }

  // ---- applying pulled changes (tests/bench/apply-changes.ts) -------------------------------
  {
    const apply = await runApplyBench({ runDir: options.runDir, seed: options.seed, applyRows: options.applyRows, budgetRowsPerSecond: BUDGETS.applyRowsPerSecond, log });
    figures.push(...apply.figures);
    info.apply = apply.info;
  }

  return { figures, plans, info };
}
