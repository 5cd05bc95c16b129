import type Sqlite from 'better-sqlite3';
import type { LocalStore } from '../store/open-store.js';
import type { BursaryDashboard, ClassCollection } from '../../../shared/domain/bursary-views.js';
import { nextDate, schoolDayStartUtc, settle, type Allocation, type LedgerCharge } from '../../../shared/domain/ledger-math.js';
import { currentTerm } from '../../../shared/domain/terms.js';
import { withSqlite } from '../store/with-sqlite.js';
import { liveText, OWING_STUDENTS_SQL } from './ledger-sql.js';

export const DAILY_DAYS = 30;
/** How the dashboard names students without a class. */
export const NO_CLASS = 'No class';

/**
 * The dashboard reads the whole ledger: totals per student and per class and category are
 * summed by SQLite over each table in storage order (sequential pages, not a probe per student);
 * then only the rows of the students who owe (passed as one JSON array) come into JavaScript to
 * be settled charge by charge.
 */
const ofOwing = (column: string) => `${column} in (select value from json_each(?))`;
export const DASHBOARD_SQL = {
  terms: 'select id, name, starts_on, ends_on from terms',
  owing: OWING_STUDENTS_SQL,
  chargedByClass: `select s.class_name, sum(c.amount_minor) from charges c join students s on s.id = c.student_id
    where ${liveText('c')} and (? is null or c.term = ?) group by s.class_name`,
  chargedByCategory: `select c.category_id, f.name, sum(c.amount_minor) from charges c left join fee_categories f on f.id = c.category_id
    where ${liveText('c')} group by c.category_id`,
  classes: `select s.id, s.class_name from students s where ${ofOwing('s.id')}`,
  charges: `select c.id, c.student_id, c.category_id, c.amount_minor, c.due_on, c.posted_at, c.term from charges c where ${ofOwing('c.student_id')} and ${liveText('c')}`,
  allocations: `select p.student_id, p.allocations from payments p where ${ofOwing('p.student_id')} and p.allocations <> '[]' and ${liveText('p')}`,
  discounts: `select d.student_id, d.id, d.amount_minor, d.category_id from discounts d where ${ofOwing('d.student_id')} and ${liveText('d')}`,
  collected: `select coalesce(sum(p.amount_minor), 0) from payments p where p.recorded_at >= ? and p.recorded_at < ? and ${liveText('p')}`,
} as const;

interface Owing {
  className: string | null;
  paid: number;
  refunded: number;
  balance: number;
  charges: (LedgerCharge & { term: string | null })[];
  allocated: Map<string, number>;
  discounts: { id: string; amountMinor: number; categoryId: string | null }[];
}

function daysBefore(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);

/** The dashboard from the store's raw connection (exported for the benchmark's baseline). */
export function dashboardFrom(sqlite: Sqlite.Database, currency: string, timeZone: string, today: string): BursaryDashboard {
  const rows = <T>(text: string, ...params: unknown[]) => sqlite.prepare(text).raw().iterate(...params) as IterableIterator<T>;
  const terms = sqlite.prepare(DASHBOARD_SQL.terms).all() as { id: string; name: string; starts_on: string; ends_on: string }[];
  const term = currentTerm(terms, today) ?? null;

  const owing = new Map<string, Owing>();
  for (const [id, charged, paid, discounted, refunded] of rows<[string, number, number, number, number]>(DASHBOARD_SQL.owing)) {
    owing.set(id, { className: null, paid, refunded, balance: charged - paid - discounted + refunded, charges: [], allocated: new Map(), discounts: [] });
  }
  const owingIds = JSON.stringify([...owing.keys()]);
  for (const [id, className] of rows<[string, string | null]>(DASHBOARD_SQL.classes, owingIds)) owing.get(id)!.className = className;
  for (const [id, studentId, categoryId, amountMinor, dueOn, postedAt, chargeTerm] of rows<[string, string, string, number, string, string, string | null]>(DASHBOARD_SQL.charges, owingIds)) {
    owing.get(studentId)!.charges.push({ id, categoryId, amountMinor, dueOn, postedAt, term: chargeTerm });
  }
  // What payments were set against, summed per charge: settle() takes min(allocated, still owed)
  // per charge whatever the order, since no payment allocates more than its amount.
  for (const [studentId, allocations] of rows<[string, string]>(DASHBOARD_SQL.allocations, owingIds)) {
    const o = owing.get(studentId)!;
    for (const a of JSON.parse(allocations) as Allocation[]) add(o.allocated, a.chargeId, a.amountMinor);
  }
  for (const [studentId, id, amountMinor, categoryId] of rows<[string, string, number, string | null]>(DASHBOARD_SQL.discounts, owingIds)) {
    owing.get(studentId)!.discounts.push({ id, amountMinor, categoryId });
  }

  // Collection by class counts the current term's charges (every charge when the school has no
  // terms yet); by category, every charge.
  const inTerm = (chargeTerm: string | null) => !term || chargeTerm === term.name;
  const owedByClass = new Map<string | null, number>();
  const owedByCategory = new Map<string, number>();
  for (const o of owing.values()) {
    const paid = { id: '', amountMinor: o.paid, allocations: [...o.allocated].map(([chargeId, amountMinor]) => ({ chargeId, amountMinor })) };
    const { outstanding } = settle(o.charges, [paid], o.discounts, o.refunded);
    for (const c of o.charges) {
      const owed = outstanding.get(c.id) ?? 0;
      if (owed === 0) continue;
      add(owedByCategory, c.categoryId, owed);
      if (inTerm(c.term)) add(owedByClass, o.className, owed);
    }
  }

  const termName = term?.name ?? null;
  const byClass: ClassCollection[] = (sqlite.prepare(DASHBOARD_SQL.chargedByClass).raw().all(termName, termName) as [string | null, number][])
    .map(([className, chargedMinor]) => {
      const outstandingMinor = owedByClass.get(className) ?? 0;
      const collectedMinor = chargedMinor - outstandingMinor;
      return { className: className ?? NO_CLASS, chargedMinor, collectedMinor, outstandingMinor, rate: chargedMinor > 0 ? collectedMinor / chargedMinor : null };
    })
    .sort((a, b) => a.className.localeCompare(b.className, 'en', { numeric: true }));
  const byCategory = (sqlite.prepare(DASHBOARD_SQL.chargedByCategory).raw().all() as [string, string | null, number][])
    .map(([categoryId, name, chargedMinor]) => ({ category: name ?? 'Fee', chargedMinor, outstandingMinor: owedByCategory.get(categoryId) ?? 0 }))
    .sort((a, b) => a.category.localeCompare(b.category, 'en'));

  const collectedStmt = sqlite.prepare(DASHBOARD_SQL.collected).pluck();
  const dayStart = (date: string) => schoolDayStartUtc(date, timeZone);
  const collected = (from: string, to: string) => Number(collectedStmt.get(dayStart(from), dayStart(nextDate(to))));
  const daily = Array.from({ length: DAILY_DAYS }, (_, i) => daysBefore(today, DAILY_DAYS - 1 - i)).map((date) => ({ date, collectedMinor: collected(date, date) }));

  let outstandingMinor = 0;
  for (const o of owing.values()) outstandingMinor += o.balance;
  return {
    currency,
    today,
    term: term ? { name: term.name, startsOn: term.starts_on, endsOn: term.ends_on } : null,
    collectedTodayMinor: collected(today, today),
    // With no terms yet, "this term" is everything collected so far.
    collectedTermMinor: term ? collected(term.starts_on, term.ends_on) : Number(collectedStmt.get('', dayStart(nextDate(today)))),
    outstandingMinor,
    studentsInArrears: owing.size,
    byClass,
    daily,
    byCategory,
  };
}

/**
 * The bursary at a glance on the school's `today`: collections today and this term, what is
 * owed and by how many students, collection by class for the current term's charges (collected =
 * the part of those charges settled, by payments or discounts), the last 30 days, and what is
 * owed by fee category. The per-charge figures are settle()'s, so they agree with statements.
 */
export function bursaryDashboard(store: LocalStore, currency: string, timeZone: string, today: string): Promise<BursaryDashboard> {
  // One synchronous read holding the connection: every figure comes from the same rows.
  return withSqlite(store, (sqlite) => dashboardFrom(sqlite, currency, timeZone, today));
}
