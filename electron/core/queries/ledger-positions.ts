import type Sqlite from 'better-sqlite3';
import { settle, type Allocation, type LedgerCharge, type LedgerCredit } from '../../../shared/domain/ledger-math.js';
import { liveText } from './ledger-sql.js';

// charge_positions (migration 0017): each live charge of a settled student with what settle()
// leaves owing on it. The ledger triggers mark a student unsettled whenever one of their rows
// (or a void of one) comes or goes; settling brings those students' positions up to date, so a
// reader of positions pays for the students whose ledger moved since, not for the whole school.
// The first settling after a bulk load (or the migration) is the whole ledger, once.

/** Students per round: each round reads their ledgers through the per-student indexes. */
const CHUNK = 1_000;

const ofChunk = (column: string) => `${column} in (select value from json_each(?))`;
const SQL = {
  unsettled: 'select student_id from ledger_balances where settled = 0 limit ?',
  charges: `select c.student_id, c.id, c.category_id, c.amount_minor, c.due_on, c.posted_at, c.term from charges c where ${ofChunk('c.student_id')} and ${liveText('c')}`,
  payments: `select p.student_id, p.id, p.amount_minor, p.allocations from payments p where ${ofChunk('p.student_id')} and ${liveText('p')}`,
  discounts: `select d.student_id, d.id, d.amount_minor, d.category_id from discounts d where ${ofChunk('d.student_id')} and ${liveText('d')}`,
  refunds: `select r.student_id, sum(r.amount_minor) from refunds r where ${ofChunk('r.student_id')} and ${liveText('r')} group by r.student_id`,
  clear: `delete from charge_positions where ${ofChunk('student_id')}`,
  insert: 'insert into charge_positions (student_id, charge_id, category_id, term, amount_minor, owed_minor) values (?, ?, ?, ?, ?, ?)',
  settled: `update ledger_balances set settled = 1 where ${ofChunk('student_id')}`,
} as const;

type Charge = LedgerCharge & { term: string | null };

function listOf<T>(m: Map<string, T[]>, k: string): T[] {
  let l = m.get(k);
  if (!l) m.set(k, (l = []));
  return l;
}

const statements = new WeakMap<Sqlite.Database, Record<keyof typeof SQL, Sqlite.Statement>>();
function prepared(sqlite: Sqlite.Database) {
  let st = statements.get(sqlite);
  if (!st) statements.set(sqlite, (st = Object.fromEntries(Object.entries(SQL).map(([k, text]) => [k, sqlite.prepare(text)])) as Record<keyof typeof SQL, Sqlite.Statement>));
  return st;
}

/** Settles these students (at most CHUNK) into charge_positions from their live ledger rows. */
function settleChunk(st: Record<keyof typeof SQL, Sqlite.Statement>, ids: readonly string[]): void {
  const chunk = JSON.stringify(ids);
  const charges = new Map<string, Charge[]>();
  const payments = new Map<string, LedgerCredit[]>();
  const discounts = new Map<string, LedgerCredit[]>();
  for (const [studentId, id, categoryId, amountMinor, dueOn, postedAt, term] of st.charges.raw().iterate(chunk) as IterableIterator<[string, string, string, number, string, string, string | null]>) {
    listOf(charges, studentId).push({ id, categoryId, amountMinor, dueOn, postedAt, term });
  }
  for (const [studentId, id, amountMinor, allocations] of st.payments.raw().iterate(chunk) as IterableIterator<[string, string, number, string]>) {
    listOf(payments, studentId).push({ id, amountMinor, allocations: JSON.parse(allocations) as Allocation[] });
  }
  for (const [studentId, id, amountMinor, categoryId] of st.discounts.raw().iterate(chunk) as IterableIterator<[string, string, number, string | null]>) {
    listOf(discounts, studentId).push({ id, amountMinor, categoryId });
  }
  const refunds = new Map(st.refunds.raw().all(chunk) as [string, number][]);
  st.clear.run(chunk);
  for (const studentId of ids) {
    const own = charges.get(studentId) ?? [];
    const { outstanding } = settle(own, payments.get(studentId) ?? [], discounts.get(studentId) ?? [], refunds.get(studentId) ?? 0);
    for (const c of own) st.insert.run(studentId, c.id, c.categoryId, c.term, c.amountMinor, outstanding.get(c.id) ?? 0);
  }
  st.settled.run(chunk);
}

/** Settles the given students (a page of arrears found unsettled), in one transaction. */
export function settleStudents(sqlite: Sqlite.Database, studentIds: readonly string[]): void {
  const st = prepared(sqlite);
  sqlite.transaction(() => {
    for (let i = 0; i < studentIds.length; i += CHUNK) settleChunk(st, studentIds.slice(i, i + CHUNK));
  })();
}

/** Settles up to `max` unsettled students (one step of settling a whole school); returns how many. */
export function settleSome(sqlite: Sqlite.Database, max: number): number {
  const st = prepared(sqlite);
  const ids = st.unsettled.pluck().all(Math.max(1, Math.min(max, CHUNK))) as string[];
  if (ids.length > 0) settleChunk(st, ids);
  return ids.length;
}

/**
 * Settles every unsettled student into charge_positions. Call inside a transaction, so the
 * positions and the ledger they came from are the same rows. Returns the students settled.
 */
export function settleUnsettled(sqlite: Sqlite.Database): number {
  let settled = 0;
  for (let n; (n = settleSome(sqlite, CHUNK)) > 0; ) settled += n;
  return settled;
}
