import type Sqlite from 'better-sqlite3';
import type { LocalStore } from '../store/open-store.js';
import type { BursaryDashboard, ClassCollection } from '../../../shared/domain/bursary-views.js';
import { nextDate, schoolDayStartUtc } from '../../../shared/domain/ledger-math.js';
import { currentTerm } from '../../../shared/domain/terms.js';
import { withSqlite } from '../store/with-sqlite.js';
import { liveText } from './ledger-sql.js';
import { settleUnsettled } from './ledger-positions.js';

export const DAILY_DAYS = 30;
/** How the dashboard names students without a class. */
export const NO_CLASS = 'No class';

/**
 * The dashboard reads derived tables, not the ledger: what is owed and by how many students from
 * ledger_balances (a row per student, kept by triggers), and charged and still owed by class and
 * by category from charge_positions (a row per live charge), after settling the students whose
 * ledger moved since it was last drawn (ledger-positions.ts). Collections are ranges of the
 * payments' time index.
 */
export const DASHBOARD_SQL = {
  terms: 'select id, name, starts_on, ends_on from terms',
  owing: `select count(*), coalesce(sum(b.charged - b.paid - b.discounted + b.refunded), 0) from ledger_balances b
    where b.charged - b.paid - b.discounted + b.refunded > 0`,
  // Charged counts the charges of students on this device (as a join to them); still owed counts
  // every charge, under "No class" when its student is unknown here.
  byClass: `select s.class_name, s.id is not null, sum(cp.amount_minor), sum(cp.owed_minor) from charge_positions cp
    left join students s on s.id = cp.student_id where (? is null or cp.term = ?) group by s.class_name, s.id is not null`,
  byCategory: `select cp.category_id, f.name, sum(cp.amount_minor), sum(cp.owed_minor) from charge_positions cp
    left join fee_categories f on f.id = cp.category_id group by cp.category_id`,
  collected: `select coalesce(sum(p.amount_minor), 0) from payments p where p.recorded_at >= ? and p.recorded_at < ? and ${liveText('p')}`,
} as const;

function daysBefore(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);

/** The dashboard from the store's raw connection (exported for the benchmark's baseline). */
export function dashboardFrom(sqlite: Sqlite.Database, currency: string, timeZone: string, today: string): BursaryDashboard {
  // One transaction: the positions settled here and every figure read are the same rows.
  return sqlite.transaction(() => {
    settleUnsettled(sqlite);
    return figures(sqlite, currency, timeZone, today);
  })();
}

function figures(sqlite: Sqlite.Database, currency: string, timeZone: string, today: string): BursaryDashboard {
  const terms = sqlite.prepare(DASHBOARD_SQL.terms).all() as { id: string; name: string; starts_on: string; ends_on: string }[];
  const term = currentTerm(terms, today) ?? null;
  const [studentsInArrears, outstandingMinor] = sqlite.prepare(DASHBOARD_SQL.owing).raw().get() as [number, number];

  // Collection by class counts the current term's charges (every charge when the school has no
  // terms yet); by category, every charge.
  const termName = term?.name ?? null;
  const chargedByClass = new Map<string | null, number>();
  const owedByClass = new Map<string | null, number>();
  for (const [className, known, chargedMinor, owedMinor] of sqlite.prepare(DASHBOARD_SQL.byClass).raw().all(termName, termName) as [string | null, number, number, number][]) {
    if (known) add(chargedByClass, className, chargedMinor);
    add(owedByClass, className, owedMinor);
  }
  const byClass: ClassCollection[] = [...chargedByClass]
    .map(([className, chargedMinor]) => {
      const outstandingMinor = owedByClass.get(className) ?? 0;
      const collectedMinor = chargedMinor - outstandingMinor;
      return { className: className ?? NO_CLASS, chargedMinor, collectedMinor, outstandingMinor, rate: chargedMinor > 0 ? collectedMinor / chargedMinor : null };
    })
    .sort((a, b) => a.className.localeCompare(b.className, 'en', { numeric: true }));
  const byCategory = (sqlite.prepare(DASHBOARD_SQL.byCategory).raw().all() as [string, string | null, number, number][])
    .map(([, name, chargedMinor, outstandingMinor]) => ({ category: name ?? 'Fee', chargedMinor, outstandingMinor }))
    .sort((a, b) => a.category.localeCompare(b.category, 'en'));

  const collectedStmt = sqlite.prepare(DASHBOARD_SQL.collected).pluck();
  const dayStart = (date: string) => schoolDayStartUtc(date, timeZone);
  const collected = (from: string, to: string) => Number(collectedStmt.get(dayStart(from), dayStart(nextDate(to))));
  const daily = Array.from({ length: DAILY_DAYS }, (_, i) => daysBefore(today, DAILY_DAYS - 1 - i)).map((date) => ({ date, collectedMinor: collected(date, date) }));

  return {
    currency,
    today,
    term: term ? { name: term.name, startsOn: term.starts_on, endsOn: term.ends_on } : null,
    collectedTodayMinor: collected(today, today),
    // With no terms yet, "this term" is everything collected so far.
    collectedTermMinor: term ? collected(term.starts_on, term.ends_on) : Number(collectedStmt.get('', dayStart(nextDate(today)))),
    outstandingMinor,
    studentsInArrears,
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
  // Synchronous work holding the connection: settling and every figure in one transaction.
  return withSqlite(store, (sqlite) => dashboardFrom(sqlite, currency, timeZone, today));
}
