// Issue 7: every list query core runs, checked by its plan. Each list is read through the very
// function its handler calls, on a Kysely that records the statements, over a real store from
// the real migrations (no ANALYZE: the planner's defaults, as on a device that never ran it).
// Every recorded statement is EXPLAINed: no full scan of a table that grows with the school,
// and no temporary B-tree to sort for ORDER BY (a page must come off an index in list order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { openTestDevice, TEST_CATEGORIES, TEST_STAFF, type TestDevice } from '../support/local-device.js';
import type { LocalDatabase } from '../../electron/core/store/database.js';
import { countStudents, listStudents, matchingStudentIds, studentsPageQuery } from '../../electron/core/queries/students.js';
import { toFtsPrefixQuery } from '../../electron/core/queries/fts-query.js';
import { listPayments } from '../../electron/core/queries/payments-list.js';
import { listCharges } from '../../electron/core/queries/charges-list.js';
import { listExpenses } from '../../electron/core/queries/expenses-list.js';
import { listArrears } from '../../electron/core/queries/arrears.js';
import { settleStudents } from '../../electron/core/queries/ledger-positions.js';
import { studentHistory } from '../../electron/core/queries/attendance.js';
import { listAttendance } from '../../electron/core/queries/attendance-records.js';
import { listEvents } from '../../electron/core/queries/events.js';
import { listConflicts } from '../../electron/core/queries/conflicts.js';
import { inboxPage, sentPage } from '../../electron/core/queries/messages.js';
import { listLogins } from '../../electron/core/queries/logins.js';
import { listParked } from '../../electron/core/queries/needs-attention.js';
import { staffDirectory } from '../../electron/core/queries/staff-directory.js';
import { listPaymentsForStudent } from '../../electron/core/queries/payments.js';
import { searchGuardians } from '../../electron/core/queries/guardians.js';
import { listCashUps } from '../../electron/core/queries/cashup.js';
import { studentStatement } from '../../electron/core/queries/statement.js';
import type { LedgerFilter } from '../../shared/domain/bursary-views.js';
import type { StudentFilter } from '../../shared/domain/students.js';

/** Tables that grow with the school: a plan may walk one only through an index. */
const BIG_TABLES = [
  'students', 'students_fts', 'guardians', 'student_guardians', 'payments', 'charges', 'allocations', 'payment_voids', 'charge_voids',
  'refunds', 'discounts', 'expenses', 'cash_ups', 'attendance_records', 'attendance_sessions', 'attendance_history', 'events',
  'messages', 'message_inbox', 'logins', 'conflicts', 'needs_attention', 'outbox', 'outbox_rows', 'scores', 'assessments',
];

type Problem = 'sort' | 'full scan';
/** A page of the list, or the count of its rows (`withTotal`, "n matching"). */
type Statement = 'page' | 'total';

/**
 * What a plan may keep, each bounded and said why. Anything else a list runs must come off an
 * index in the list's order. `miss: true` marks a known miss reported to its owner: the test
 * checks it still happens, so whoever fixes it must take the entry out.
 */
const ALLOWED: { list: string; statement: Statement; problem: Problem; why: string; miss?: true }[] = [
  { list: 'students.search', statement: 'page', problem: 'sort', why: 'matches-first: at most SEARCH_SORT_LIMIT (2,000) FTS matches are sorted; above it the search walks the name index' },
  { list: 'guardians.search', statement: 'page', problem: 'sort', why: 'at most GUARDIAN_MATCH_LIMIT FTS matches are sorted' },
  { list: 'attention.list', statement: 'page', problem: 'full scan', why: 'needs_attention.id is the rowid: the table is walked in id order and stops after 500' },
  // Totals of a whole table, or of a filter no index leads with, read every row once; asked for
  // with the first page only ("n of total"), never to show a page.
  ...(['students.count unfiltered', 'events.list {}'] as const).map((list) => ({ list, statement: 'total' as const, problem: 'full scan' as const, why: 'the count of every row reads every row' })),
  ...(['ledger.payments method', 'ledger.payments staff', 'ledger.charges category', 'expenses.list method', 'expenses.list staff', 'expenses.list expense category'] as const).map((list) => ({
    list,
    statement: 'total' as const,
    problem: 'full scan' as const,
    why: 'no index leads with this filter (the page walks the time index and filters); the total is a pass over the table',
  })),
];

let device: TestDevice;
let capture: Kysely<LocalDatabase>;
const recorded: CompiledQuery[] = [];

beforeAll(async () => {
  device = await openTestDevice({ students: 300 });
  capture = new Kysely<LocalDatabase>({
    dialect: new SqliteDialect({ database: device.core.store.sqlite }),
    log: (e) => {
      if (e.level === 'query') recorded.push(e.query);
    },
  });
});
// The capture Kysely shares core's connection: destroying it would close it, so only core closes.
afterAll(() => device.dispose());

interface PlanRow {
  id: number;
  parent: number;
  detail: string;
}

function planRows(q: { sql: string; parameters: readonly unknown[] }): PlanRow[] {
  return device.core.store.sqlite.prepare(`explain query plan ${q.sql}`).all(...q.parameters) as PlanRow[];
}

/**
 * What is wrong with a plan: a big table read whole (SCAN without an index), or the outer
 * query sorting its rows. A sort inside a correlated subquery (the latest of one row's few
 * approvals, say) runs per listed row over that row's handful and is not the list's order.
 */
function problems(rows: readonly PlanRow[], sqlText: string, allowed: readonly Problem[]): string[] {
  // EXPLAIN names a table by its alias when the query gives one.
  const tables = new Map<string, string>();
  for (const m of sqlText.matchAll(/\b(?:from|join)\s+"?(\w+)"?\s+(?:as\s+)?"?(\w+)"?/gi)) tables.set(m[2]!, m[1]!);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const inSubquery = (r: PlanRow): boolean => {
    for (let p = byId.get(r.parent); p; p = byId.get(p.parent)) if (/SUBQUERY/.test(p.detail)) return true;
    return false;
  };
  const out: string[] = [];
  for (const r of rows) {
    const scan = /^SCAN (\w+)(?: AS \w+)?( USING| VIRTUAL TABLE|$)/.exec(r.detail);
    const table = scan && (tables.get(scan[1]!) ?? scan[1]!);
    if (scan && scan[2] === '' && BIG_TABLES.includes(table!) && !allowed.includes('full scan')) out.push(`full scan: ${r.detail}`);
    if (/TEMP B-TREE FOR .*ORDER BY/.test(r.detail) && !allowed.includes('sort') && !inSubquery(r)) out.push(`sort: ${r.detail}`);
  }
  return out;
}

/** Runs a list as its handler does, then checks the plan of every statement it ran. */
async function checkList(name: string, read: (db: Kysely<LocalDatabase>) => Promise<unknown>) {
  recorded.length = 0;
  await read(capture);
  const selects = recorded.filter((q) => /^\s*(select|with)\b/i.test(q.sql));
  expect(selects.length, `${name} ran no query`).toBeGreaterThan(0);
  const seen: string[] = [];
  for (const q of selects) {
    const statement: Statement = /^select count\(/i.test(q.sql) ? 'total' : 'page';
    const entries = ALLOWED.filter((a) => a.list === name && a.statement === statement);
    const rows = planRows(q);
    seen.push(...problems(rows, q.sql, []).map((p) => `${statement} ${p}`));
    expect.soft(problems(rows, q.sql, entries.map((a) => a.problem)), `${name} (${statement})\n${q.sql}\n${rows.map((r) => r.detail).join('\n')}`).toEqual([]);
  }
  for (const miss of ALLOWED.filter((a) => a.list === name && a.miss)) {
    expect.soft(seen.some((p) => p.startsWith(`${miss.statement} ${miss.problem}`)), `${name}: known miss "${miss.problem}" no longer happens; remove it from ALLOWED`).toBe(true);
  }
}

const student = () => device.students[0]!;
const tz = 'Africa/Nairobi';
const ctx = () => ({ timeZone: tz, deviceId: '0190d000-0000-7000-8000-0000000000aa', deviceName: 'Office PC' });
const timeCursor = { at: '2026-03-10T10:00:00.000Z', id: '0190d000-0000-7000-8000-000000000001' };
const nameCursor = { lastName: 'M', firstName: 'A', id: '0190d000-0000-7000-8000-000000000001' };

const ledgerFilters = (): [string, LedgerFilter][] => [
  ['unfiltered', {}],
  ['dates', { from: '2026-03-01', to: '2026-03-31' }],
  ['class', { className: student().class_name! }],
  ['method', { method: 'mobile_money' }],
  ['staff', { staffId: TEST_STAFF[0]!.id }],
  ['category', { categoryId: TEST_CATEGORIES[0]!.id }],
  ['student', { studentId: student().id }],
  ['class and dates', { className: student().class_name!, from: '2026-03-01', to: '2026-03-31' }],
  ['expense category', { expenseCategory: 'Stationery' }],
  ['expense status', { expenseStatus: 'approved' }],
];

describe('query plans of every list core runs', () => {
  const studentFilters = (): [string, StudentFilter][] => [
    ['unfiltered', {}],
    ['status', { status: 'enrolled' }],
    ['withdrawn', { status: 'withdrawn' }],
    ['class name', { className: student().class_name! }],
    ['class id', { classId: '0190d000-0000-7000-8000-0000000000c1' }],
    ['gender', { gender: 'female' }],
    ['status and class', { status: 'enrolled', className: student().class_name! }],
    ['search', { search: 'a' }],
    ['search and class', { search: 'ma', className: student().class_name! }],
    ['search and status', { search: 'ma', status: 'enrolled' }],
  ];

  it('students.list: each filter and search mode, first and later pages; count and "all matching"', async () => {
    for (const [label, filter] of studentFilters()) {
      for (const after of [null, nameCursor]) {
        const name = filter.search ? 'students.search' : `students.list ${label}`;
        await checkList(name, (db) => listStudents(db, filter, after, 50));
      }
      await checkList(filter.search ? 'students.search' : `students.count ${label}`, (db) => countStudents(db, filter));
      await checkList(filter.search ? 'students.search' : `students.matching ${label}`, (db) => matchingStudentIds(db, filter, 5000));
    }
  });

  it('students.list: a broad search walks the name index (the modes above 2,000 matches)', () => {
    const fts = toFtsPrefixQuery('a')!;
    for (const mode of ['name-order', 'probe'] as const) {
      for (const [label, filter] of studentFilters().filter(([, f]) => !f.search)) {
        for (const after of [null, nameCursor]) {
          const q = studentsPageQuery(device.core.store.db, filter, { fts, mode }, after, 50).compile();
          const rows = planRows(q);
          expect.soft(problems(rows, q.sql, []), `${mode} search, ${label}\n${rows.map((r) => r.detail).join('\n')}`).toEqual([]);
          expect.soft(rows.some((r) => /^(SCAN|SEARCH) students USING (COVERING )?INDEX students_/.test(r.detail)), `${mode} search, ${label}: walks a students index`).toBe(true);
        }
      }
    }
  });

  it('ledger.payments, ledger.charges, expenses.list and ledger.arrears: each filter, first and later pages, with totals', async () => {
    for (const [label, filter] of ledgerFilters()) {
      for (const after of [null, timeCursor]) {
        const input = { filter, after, limit: 50, withTotal: after === null };
        await checkList(`ledger.payments ${label}`, (db) => listPayments(db, input, ctx()));
        await checkList(`ledger.charges ${label}`, (db) => listCharges(db, input, tz));
        await checkList(`expenses.list ${label}`, (db) => listExpenses(db, input, tz));
      }
      for (const after of [null, nameCursor]) {
        await checkList(`ledger.arrears ${label}`, (db) =>
          listArrears(db, { filter, after, limit: 50, withTotal: false }, '2026-03-31', async (ids) => settleStudents(device.core.store.sqlite, ids)),
        );
      }
    }
  });

  it('the check itself finds a full scan and a sort', () => {
    const q = { sql: 'select id from students where guardian_phone = ? order by date_of_birth limit 50', parameters: ['0700'] };
    expect(problems(planRows(q), q.sql, [])).toEqual(['full scan: SCAN students', 'sort: USE TEMP B-TREE FOR ORDER BY']);
    const aliased = { sql: 'select s.id from students as s order by s.last_name, s.first_name, s.id limit 50', parameters: [] };
    expect(problems(planRows(aliased), aliased.sql, [])).toEqual([]);
  });

  it("payments.listForStudent, students.statement and cash-ups", async () => {
    await checkList('payments.listForStudent', (db) => listPaymentsForStudent(db, student().id));
    await checkList('students.statement', (db) => studentStatement(db, student().id, { currency: 'KES', time_zone: tz }));
    for (const after of [null, timeCursor]) await checkList('cashups.list', (db) => listCashUps(db, after, 50, { id: ctx().deviceId, name: 'Office PC' }));
  });

  it('attendance.history and attendance.records: each filter, first and later pages', async () => {
    for (const range of [{}, { from: '2026-01-01', to: '2026-03-31' }]) {
      for (const after of [null, { date: '2026-03-01', period: 'day', id: '0190d000-0000-7000-8000-000000000001' }]) {
        await checkList('attendance.history', (db) => studentHistory(db, { studentId: student().id, ...range, after, limit: 50 }));
      }
    }
    const cursor = { date: '2026-03-01', period: 'day', sessionId: '0190d000-0000-7000-8000-000000000002', id: '0190d000-0000-7000-8000-000000000001' };
    for (const filter of [{}, { from: '2026-01-01', to: '2026-03-31' }, { classId: '0190d000-0000-7000-8000-0000000000c1' }, { status: 'absent' as const }, { classId: '0190d000-0000-7000-8000-0000000000c1', status: 'late' as const, from: '2026-02-01' }]) {
      for (const after of [null, cursor]) {
        await checkList(`attendance.records ${JSON.stringify(filter)}${after ? ' after' : ''}`, (db) => listAttendance(db, { ...filter, after, limit: 50 }));
      }
    }
  });

  it('events.list: each filter, first and later pages, with totals', async () => {
    for (const filter of [{}, { from: '2026-01-01', to: '2026-12-31' }, { type: 'exam' as const }, { classId: '0190d000-0000-7000-8000-0000000000c1' }]) {
      for (const after of [null, { startsOn: '2026-03-01', id: '0190d000-0000-7000-8000-000000000001' }]) {
        await checkList(`events.list ${JSON.stringify(filter)}`, (db) => listEvents(db, { filter, after, limit: 50, withTotal: after === null }));
      }
    }
  });

  it('messages inbox and sent, conflicts open and resolved, logins, needs-attention, staff directory, guardians search', async () => {
    const me = TEST_STAFF[0]!.id;
    const messageCursor = { sentAt: '2026-03-10T10:00:00.000Z', id: '0190d000-0000-7000-8000-000000000001' };
    for (const after of [null, messageCursor]) {
      await checkList('messages.inbox', (db) => inboxPage(db, me, after, 50));
      await checkList('messages.sent', (db) => sentPage(db, me, after, 50));
    }
    for (const state of ['open', 'resolved'] as const) {
      for (const after of [null, timeCursor]) await checkList(`conflicts.list ${state}`, (db) => listConflicts(db, state, after, 50, ctx().deviceId));
    }
    for (const before of [null, { at: '2026-03-10T10:00:00.000Z', id: 1 }]) await checkList('logins.list', (db) => listLogins(db, before as never, 50));
    await checkList('attention.list', (db) => listParked(db));
    await checkList('staff.directory', (db) => staffDirectory(db));
    await checkList('guardians.search', (db) => searchGuardians(db, 'wa', 20));
  });
});
