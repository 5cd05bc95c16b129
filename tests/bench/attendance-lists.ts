// The school-wide attendance list (attendance.records) in the local-store bench: the whole
// school, a term's dates, the absences and the busiest class, each its first page and a deep
// page (row 90,000, or 90% down a shorter list) reached by keyset paging. Each is measured
// through core's query function (listAttendance: Kysely builds, compiles and runs it) next to
// the same SQL as one prepared better-sqlite3 statement, and the deep page against OFFSET.
import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../../electron/core/store/database.js';
import { attendanceListQuery, listAttendance, type AttendanceListFilter } from '../../electron/core/queries/attendance-records.js';
import type { AttendanceListCursor } from '../../shared/domain/attendance-list.js';
import { interleave, summarize, type Summary } from './measure.js';
import { timeFigure, type Figure } from './report.js';
import { TERMS } from './generate-school.js';
import type { ListBenchOptions } from './bursary-lists.js';


const PAGE = 50;
const DEEP_ROW = 90_000;

type Db = Kysely<LocalDatabase>;

export async function runAttendanceBench(options: ListBenchOptions): Promise<{ figures: Figure[]; plans: Record<string, string[]>; info: Record<string, unknown> }> {
  const { core, log, budgets } = options;
  const db: Db = core.store.db;
  const { sqlite } = core.store;
  const figures: Figure[] = [];
  const plans: Record<string, string[]> = {};
  const listInfo: Record<string, unknown> = {};
  const N = options.iterations;
  const check = (text: string, met: boolean) => ({ text, met });
  const explain = (q: { sql: string; parameters: readonly unknown[] }) =>
    (sqlite.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { parent: number; detail: string }[]).map((r) => `${r.parent === 0 ? '' : '  '}${r.detail}`);

  // The class with the most marks (registers taken most often times its size).
  const busiest = sqlite
    .prepare('select h.class_id as id, c.name, count(*) as n from attendance_history h join classes c on c.id = h.class_id group by h.class_id order by n desc limit 1')
    .get() as { id: string; name: string; n: number } | undefined;
  if (!busiest) {
    log('  attendance.records: the school has no attendance marks; skipped');
    return { figures, plans, info: {} };
  }
  const term2 = TERMS[1]!;
  const lists: { key: string; label: string; filter: AttendanceListFilter }[] = [
    { key: 'all', label: 'whole school', filter: {} },
    { key: 'term', label: `${term2.starts_on} to ${term2.ends_on}`, filter: { from: term2.starts_on, to: term2.ends_on } },
    { key: 'absent', label: 'status=absent', filter: { status: 'absent' } },
    { key: 'class', label: `class="${busiest.name}" (busiest)`, filter: { classId: busiest.id } },
    { key: 'class-late', label: `class="${busiest.name}", status=late`, filter: { classId: busiest.id, status: 'late' } },
  ];

  const measure = async (kysely: () => Promise<unknown>, raw: () => unknown, rounds: number): Promise<[Summary, Summary]> =>
    (await interleave([kysely, raw], { iterations: rounds, warmup: Math.max(2, Math.ceil(rounds / 10)) })).map(summarize) as [Summary, Summary];

  for (const { key, label, filter } of lists) {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, op, value] of [['class_id', '=', filter.classId], ['status', '=', filter.status], ['date', '>=', filter.from], ['date', '<=', filter.to]] as const) {
      if (value === undefined) continue;
      where.push(`${column} ${op} ?`);
      params.push(value);
    }
    const total = sqlite.prepare(`select count(*) from attendance_history ${where.length ? `where ${where.join(' and ')}` : ''}`).pluck().get(...params) as number;
    const depth = Math.max(PAGE, Math.min(DEEP_ROW, Math.floor((total * 0.9) / PAGE) * PAGE));
    let deepCursor: AttendanceListCursor | null = null;
    for (let seen = 0; seen < depth; ) {
      const page = await listAttendance(db, { ...filter, after: deepCursor, limit: Math.min(500, depth - seen) });
      if (!page.next) throw new Error(`attendance.records ${label} ended at row ${seen}, before row ${depth}`);
      seen += page.rows.length;
      deepCursor = page.next;
    }
    log(`  attendance.records ${label} (${total.toLocaleString('en')} marks): first page and row ${depth.toLocaleString('en')}`);

    const firstSql = attendanceListQuery(db, filter, null, PAGE).compile();
    const deepSql = attendanceListQuery(db, filter, deepCursor, PAGE).compile();
    const offsetQuery = attendanceListQuery(db, filter, null, PAGE).offset(depth);
    const [firstSt, deepSt] = [firstSql, deepSql].map((q) => sqlite.prepare(q.sql));
    const [kFirst, rFirst] = await measure(() => listAttendance(db, { ...filter, after: null, limit: PAGE }), () => firstSt!.all(...firstSql.parameters), N);
    const [kDeep, rDeep] = await measure(() => listAttendance(db, { ...filter, after: deepCursor, limit: PAGE }), () => deepSt!.all(...deepSql.parameters), N);
    // OFFSET reads every row before the page: fewer rounds.
    const offsetRounds = Math.max(20, Math.round(N / 20));
    const [kDeep2, kOffset] = await measure(
      () => listAttendance(db, { ...filter, after: deepCursor, limit: PAGE }),
      () => offsetQuery.execute(),
      offsetRounds,
    );
    // Same rows either way (the check that the deep cursor is where OFFSET lands).
    const viaOffset = (await offsetQuery.execute()).slice(0, PAGE).map((r) => r.id);
    const viaKeyset = (await listAttendance(db, { ...filter, after: deepCursor, limit: PAGE })).rows.map((r) => r.id);
    if (viaOffset.join() !== viaKeyset.join()) throw new Error(`attendance.records ${label}: the keyset page at row ${depth} differs from OFFSET ${depth}`);

    plans[`attendance.records.${key}.first`] = explain(firstSql);
    plans[`attendance.records.${key}.deep`] = explain(deepSql);
    listInfo[key] = { rows: total, deepRow: depth, sql: firstSql.sql };
    const group = `attendance.records, ${label}`;
    figures.push(
      timeFigure(
        {
          id: `attendance.records.${key}.first`,
          group,
          label: `attendance.records ${label}: first page (50), Kysely`,
          checks: [check(`p95 < ${budgets.firstPageP95Ms} ms`, kFirst.p95 < budgets.firstPageP95Ms), check(`≤ ${budgets.kyselyVsRaw}x raw`, kFirst.median / rFirst.median <= budgets.kyselyVsRaw)],
        },
        kFirst,
        { label: 'raw prepared stmt', summary: rFirst },
      ),
      timeFigure(
        {
          id: `attendance.records.${key}.deep`,
          group,
          label: `attendance.records ${label}: page at row ${depth.toLocaleString('en')} (keyset), Kysely`,
          checks: [check(`≤ ${budgets.kyselyVsRaw}x raw`, kDeep.median / rDeep.median <= budgets.kyselyVsRaw)],
        },
        kDeep,
        { label: 'raw prepared stmt', summary: rDeep },
      ),
      timeFigure(
        {
          id: `attendance.records.${key}.deep-vs-first`,
          group,
          label: `attendance.records ${label}: page at row ${depth.toLocaleString('en')} vs first page`,
          checks: [check(`≤ ${budgets.deepVsFirst}x first page`, kDeep.median / kFirst.median <= budgets.deepVsFirst)],
        },
        kDeep,
        { label: 'first page (Kysely)', summary: kFirst },
      ),
      timeFigure(
        { id: `attendance.records.${key}.deep-vs-offset`, group, label: `attendance.records ${label}: page at row ${depth.toLocaleString('en')}, keyset vs OFFSET`, checks: [] },
        kDeep2,
        { label: 'OFFSET (Kysely)', summary: kOffset },
      ),
    );
  }
  return { figures, plans, info: { attendanceLists: listInfo } };
}
