// The bursary's read side in the local-store bench: ledger.payments by class and by a date range
// (first page and a deep page reached by keyset), the first page of ledger.arrears, and the
// dashboard. Each is measured through core's query function next to a raw better-sqlite3
// baseline running the very statements that function ran (captured from a logging Kysely over
// the same connection), so the ratio is Kysely plus the JavaScript around the SQL.
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import type Sqlite from 'better-sqlite3';
import type { Core } from '../../electron/core/open-core.js';
import type { LocalDatabase } from '../../electron/core/store/database.js';
import { listPayments, type ListContext } from '../../electron/core/queries/payments-list.js';
import { listArrears } from '../../electron/core/queries/arrears.js';
import { bursaryDashboard, dashboardFrom, DASHBOARD_SQL } from '../../electron/core/queries/dashboard.js';
import { settleStudents } from '../../electron/core/queries/ledger-positions.js';
import { rebuildLedgerSummaries } from '../../electron/core/store/ledger-summaries.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';
import type { LedgerFilter, TimeCursor } from '../../shared/domain/bursary-views.js';
import { interleave, summarize, type Summary } from './measure.js';
import { timeFigure, type Figure } from './report.js';
import { TERMS, type SchoolManifest } from './generate-school.js';

/** What a list bench (bursary, attendance) is given by the local-store part. */
export interface ListBenchOptions {
  core: Core;
  manifest: SchoolManifest;
  iterations: number;
  log: (msg: string) => void;
  budgets: { firstPageP95Ms: number; deepVsFirst: number; kyselyVsRaw: number };
}

const PAGE = 50;
const DEEP_ROW = 90_000;
/** The school date the dashboard is drawn for: a busy week of the generated year's third term. */
export const DASHBOARD_TODAY = '2025-09-10';

type Db = Kysely<LocalDatabase>;

interface Ran {
  sql: string;
  params: unknown[];
}

/** The connection, noting every statement run through it and its parameters. */
function recordingDatabase(sqlite: Sqlite.Database, ran: Ran[]): Sqlite.Database {
  return new Proxy(sqlite, {
    get(target, prop) {
      if (prop !== 'prepare') return Reflect.get(target, prop);
      return (text: string) => {
        const st = target.prepare(text);
        const proxy: Sqlite.Statement = new Proxy(st, {
          get(s, p) {
            const v = Reflect.get(s, p) as unknown;
            if (typeof v !== 'function') return v;
            if (p === 'raw' || p === 'pluck') {
              return (...args: unknown[]) => {
                v.apply(s, args);
                return proxy;
              };
            }
            if (p === 'iterate' || p === 'all' || p === 'get') {
              return (...params: unknown[]) => {
                ran.push({ sql: text, params });
                return v.apply(s, params) as unknown;
              };
            }
            return v.bind(s) as unknown;
          },
        });
        return proxy;
      };
    },
  });
}

export async function runBursaryBench(options: ListBenchOptions): Promise<{ figures: Figure[]; plans: Record<string, string[]>; info: Record<string, unknown> }> {
  const { core, log, budgets } = options;
  const { db, sqlite } = core.store;
  const device = core.device;
  const figures: Figure[] = [];
  const plans: Record<string, string[]> = {};
  const info: Record<string, unknown> = {};
  const N = options.iterations;
  const ctx: ListContext = { timeZone: device.time_zone, deviceId: device.device_id, deviceName: device.device_name };

  // Every statement a call runs, captured once, then replayed raw as its baseline.
  const captured: CompiledQuery[] = [];
  const capture = new Kysely<LocalDatabase>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (e) => {
      if (e.level === 'query') captured.push(e.query);
    },
  });
  async function rawReplay(call: (d: Db) => Promise<unknown>): Promise<{ run: () => void; statements: CompiledQuery[] }> {
    captured.length = 0;
    await call(capture);
    const statements = [...captured];
    const prepared = statements.map((q) => ({ st: sqlite.prepare(q.sql), params: q.parameters }));
    return {
      statements,
      run: () => {
        for (const { st, params } of prepared) {
          if (st.reader) st.all(...params);
          else st.run(...params);
        }
      },
    };
  }
  const explain = (q: { sql: string; parameters: readonly unknown[] }) =>
    (sqlite.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { parent: number; detail: string }[]).map((r) => `${r.parent === 0 ? '' : '  '}${r.detail}`);
  const readerPlans = (statements: CompiledQuery[]) => statements.filter((q) => sqlite.prepare(q.sql).reader).flatMap((q, i) => [`-- statement ${i + 1}`, ...explain(q)]);

  async function compare(call: (d: Db) => Promise<unknown>, rounds: number): Promise<{ kysely: Summary; raw: Summary; statements: CompiledQuery[] }> {
    const raw = await rawReplay(call);
    const [kysely, rawTimes] = (await interleave([() => call(db), raw.run], { iterations: rounds, warmup: Math.max(2, Math.ceil(rounds / 10)) })).map(summarize) as [Summary, Summary];
    return { kysely, raw: rawTimes, statements: raw.statements };
  }
  const check = (text: string, met: boolean) => ({ text, met });

  // ---- ledger.payments: by the largest class, and by the second term's dates -----------------
  const { name: largestClass } = options.manifest.largestClass;
  const term2 = TERMS[1]!;
  const lists: { key: string; label: string; filter: LedgerFilter }[] = [
    { key: 'class', label: `class="${largestClass}"`, filter: { className: largestClass } },
    { key: 'term', label: `${term2.starts_on} to ${term2.ends_on}`, filter: { from: term2.starts_on, to: term2.ends_on } },
  ];
  const listInfo: Record<string, unknown> = {};
  for (const { key, label, filter } of lists) {
    const total = (await listPayments(db, { filter, after: null, limit: 1, withTotal: true }, ctx)).total!;
    const depth = Math.max(PAGE, Math.min(DEEP_ROW, Math.floor((total * 0.9) / PAGE) * PAGE));
    let cursor: TimeCursor | null = null;
    for (let seen = 0; seen < depth; ) {
      const page = await listPayments(db, { filter, after: cursor, limit: Math.min(500, depth - seen), withTotal: false }, ctx);
      if (!page.next) throw new Error(`ledger.payments ${label} ended at row ${seen}, before row ${depth}`);
      seen += page.rows.length;
      cursor = page.next;
    }
    const deepCursor = cursor;
    log(`  ledger.payments ${label} (${total.toLocaleString('en')} rows): first page and row ${depth.toLocaleString('en')}`);
    const first = await compare((d) => listPayments(d, { filter, after: null, limit: PAGE, withTotal: false }, ctx), N);
    const deep = await compare((d) => listPayments(d, { filter, after: deepCursor, limit: PAGE, withTotal: false }, ctx), N);
    plans[`ledger.payments.${key}.first`] = readerPlans(first.statements);
    plans[`ledger.payments.${key}.deep`] = readerPlans(deep.statements);
    listInfo[key] = { rows: total, deepRow: depth, sql: first.statements[0]?.sql };
    const group = `ledger.payments, ${label}`;
    figures.push(
      timeFigure(
        {
          id: `ledger.payments.${key}.first`,
          group,
          label: `ledger.payments ${label}: first page (50)`,
          checks: [check(`p95 < ${budgets.firstPageP95Ms} ms`, first.kysely.p95 < budgets.firstPageP95Ms), check(`≤ ${budgets.kyselyVsRaw}x raw`, first.kysely.median / first.raw.median <= budgets.kyselyVsRaw)],
        },
        first.kysely,
        { label: 'raw prepared stmt', summary: first.raw },
      ),
      timeFigure(
        {
          id: `ledger.payments.${key}.deep`,
          group,
          label: `ledger.payments ${label}: page at row ${depth.toLocaleString('en')} (keyset)`,
          checks: [
            check(`≤ ${budgets.kyselyVsRaw}x raw`, deep.kysely.median / deep.raw.median <= budgets.kyselyVsRaw),
            check(`≤ ${budgets.deepVsFirst}x first page`, deep.kysely.median / first.kysely.median <= budgets.deepVsFirst),
          ],
        },
        deep.kysely,
        { label: 'raw prepared stmt', summary: deep.raw },
      ),
    );
  }
  info.bursaryLists = listInfo;

  // ---- ledger.arrears: the first page, buckets on the dashboard's day ------------------------
  {
    log('  ledger.arrears: first page');
    // As the handler does: students found unsettled are settled after the page, so the measured
    // rounds read charge_positions; the first call (every student unsettled) is timed apart.
    const settle = (ids: string[]) => withSqlite(core.store, (s) => settleStudents(s, ids));
    const arrearsPage = (d: Db) => listArrears(d, { filter: {}, after: null, limit: PAGE, withTotal: false }, DASHBOARD_TODAY, settle);
    const coldStart = performance.now();
    await arrearsPage(db);
    info.arrearsFirstCallMs = Math.round((performance.now() - coldStart) * 100) / 100;
    log(`    first call, its students unsettled: ${info.arrearsFirstCallMs} ms`);
    const arrears = await compare(arrearsPage, Math.max(50, Math.round(N / 4)));
    plans['ledger.arrears.first'] = readerPlans(arrears.statements);
    figures.push(
      timeFigure(
        {
          id: 'ledger.arrears.first',
          group: 'ledger.arrears',
          label: 'ledger.arrears: first page (50), balances and buckets',
          checks: [check(`p95 < ${budgets.firstPageP95Ms} ms`, arrears.kysely.p95 < budgets.firstPageP95Ms), check(`≤ ${budgets.kyselyVsRaw}x raw`, arrears.kysely.median / arrears.raw.median <= budgets.kyselyVsRaw)],
          note: 'walks students by name, probing each ledger_balances row, until 50 owe; then their charge_positions',
        },
        arrears.kysely,
        { label: 'raw prepared stmts', summary: arrears.raw },
      ),
    );
  }

  // ---- ledger.dashboard: the whole ledger ----------------------------------------------------
  {
    log(`  ledger.dashboard on ${DASHBOARD_TODAY}`);
    // Baseline: every statement the dashboard ran, with its parameters, replayed raw with each
    // row read and dropped (what the JavaScript adds is the difference).
    // The first look after a bulk load settles every student (timed once, after a rebuild of
    // the derived tables); the measured rounds are what a bursar reopening it waits for.
    rebuildLedgerSummaries(sqlite);
    const firstStart = performance.now();
    dashboardFrom(sqlite, device.currency, device.time_zone, DASHBOARD_TODAY);
    const firstOpenMs = Math.round(performance.now() - firstStart);
    log(`    first look after a bulk load (every student settled): ${firstOpenMs} ms`);
    const ran: Ran[] = [];
    const recording = recordingDatabase(sqlite, ran);
    const once = dashboardFrom(recording, device.currency, device.time_zone, DASHBOARD_TODAY);
    const replay = ran.map(({ sql, params }) => ({ st: sqlite.prepare(sql).raw(), params }));
    const readAll = () => {
      let n = 0;
      for (const { st, params } of replay) for (const row of st.iterate(...params)) n += (row as unknown[]).length;
      return n;
    };
    const [dashboard, raw] = (
      await interleave([() => bursaryDashboard(core.store, device.currency, device.time_zone, DASHBOARD_TODAY), readAll], { iterations: 15, warmup: 2 })
    ).map(summarize) as [Summary, Summary];
    plans['ledger.dashboard'] = Object.entries(DASHBOARD_SQL).flatMap(([name, text]) => [`-- ${name}`, ...explain({ sql: text, parameters: ran.find((r) => r.sql === text)?.params ?? [] })]);
    info.dashboard = { today: DASHBOARD_TODAY, term: once.term?.name ?? null, studentsInArrears: once.studentsInArrears, outstandingMinor: once.outstandingMinor, statements: ran.length, firstOpenMs };
    figures.push(
      timeFigure(
        {
          id: 'ledger.dashboard',
          group: 'ledger.dashboard',
          label: 'ledger.dashboard (derived tables, nothing unsettled)',
          checks: [],
          note: `${once.studentsInArrears.toLocaleString('en')} students owe; first look after a bulk load ${firstOpenMs.toLocaleString('en')} ms`,
        },
        dashboard,
        { label: 'its statements, rows read only', summary: raw },
      ),
    );
  }
  return { figures, plans, info };
}
