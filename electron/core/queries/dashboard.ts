import { sql, type Kysely, type Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { BursaryDashboard, ClassCollection } from '../../../shared/domain/bursary-views.js';
import { nextDate, schoolDayStartUtc } from '../../../shared/domain/ledger-math.js';
import { currentTerm } from '../../../shared/domain/terms.js';
import { isLive, studentBalance } from './ledger-sql.js';
import { loadStudentLedgers } from './student-ledgers.js';

type Tx = Transaction<LocalDatabase>;

export const DAILY_DAYS = 30;
/** How the dashboard names students without a class. */
export const NO_CLASS = 'No class';

function daysBefore(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
}

async function collected(tx: Tx, fromUtc: string | null, toUtc: string): Promise<number> {
  let q = tx.selectFrom('payments as p').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('p.amount_minor'), eb.lit(0)).as('n')).where('p.recorded_at', '<', toUtc).where(isLive('p.id'));
  if (fromUtc) q = q.where('p.recorded_at', '>=', fromUtc);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Collected per school day, oldest first: one range of payments_by_time per day. */
async function daily(tx: Tx, today: string, timeZone: string): Promise<BursaryDashboard['daily']> {
  const days = Array.from({ length: DAILY_DAYS }, (_, i) => daysBefore(today, DAILY_DAYS - 1 - i));
  const values = sql.join(days.map((d) => sql`(${d}, ${schoolDayStartUtc(d, timeZone)}, ${schoolDayStartUtc(nextDate(d), timeZone)})`));
  const { rows } = await sql<{ date: string; collectedMinor: number }>`
    with days(d, s, e) as (values ${values})
    select d as date, (select coalesce(sum(p.amount_minor), 0) from payments p
                       where p.recorded_at >= days.s and p.recorded_at < days.e and ${isLive('p.id')}) as collectedMinor
    from days order by d`.execute(tx);
  return rows.map((r) => ({ date: r.date, collectedMinor: Number(r.collectedMinor) }));
}

/**
 * The bursary at a glance on the school's `today`: collections today and this term, what is
 * owed and by how many students, collection by class for the current term's charges, the last
 * 30 days, and what is owed by fee category. Totals are aggregated in SQL; only the students
 * who owe are settled charge by charge (a student with no positive balance owes on no charge),
 * so the figures per charge agree with their statements.
 */
export async function bursaryDashboard(db: Kysely<LocalDatabase>, currency: string, timeZone: string, today: string): Promise<BursaryDashboard> {
  return db.transaction().execute(async (tx) => {
    const terms = await tx.selectFrom('terms').selectAll().execute();
    const term = currentTerm(terms, today) ?? null;
    const dayStart = schoolDayStartUtc(today, timeZone);
    const dayEnd = schoolDayStartUtc(nextDate(today), timeZone);

    // Every student's balance, filtered here rather than in SQL so it is worked out once each.
    const owing = (await tx.selectFrom('students as s').select(['s.id', 's.class_name', studentBalance('s.id').as('balance')]).execute()).filter((s) => s.balance > 0);
    const ledgers = await loadStudentLedgers(
      tx,
      owing.map((s) => s.id),
    );

    // The current term's charges (every charge when the school has no terms yet).
    const inTerm = (chargeTerm: string | null) => !term || chargeTerm === term.name;
    const chargedByClass = await tx
      .selectFrom('charges as c')
      .innerJoin('students as s', 's.id', 'c.student_id')
      .select((eb) => ['s.class_name', eb.fn.sum<number>('c.amount_minor').as('charged')])
      .where(isLive('c.id'))
      .$if(term !== null, (q) => q.where('c.term', '=', term!.name))
      .groupBy('s.class_name')
      .execute();
    const chargedByCategory = await tx
      .selectFrom('charges as c')
      .leftJoin('fee_categories as f', 'f.id', 'c.category_id')
      .select((eb) => ['c.category_id', 'f.name', eb.fn.sum<number>('c.amount_minor').as('charged')])
      .where(isLive('c.id'))
      .groupBy('c.category_id')
      .execute();

    const owedByClass = new Map<string | null, number>();
    const owedByCategory = new Map<string, number>();
    for (const s of owing) {
      for (const c of ledgers.get(s.id)!.charges) {
        const owed = ledgers.get(s.id)!.outstanding.get(c.id) ?? 0;
        if (owed === 0) continue;
        owedByCategory.set(c.categoryId, (owedByCategory.get(c.categoryId) ?? 0) + owed);
        if (inTerm(c.term)) owedByClass.set(s.class_name, (owedByClass.get(s.class_name) ?? 0) + owed);
      }
    }

    const byClass: ClassCollection[] = chargedByClass
      .map((r) => {
        const chargedMinor = Number(r.charged);
        const outstandingMinor = owedByClass.get(r.class_name) ?? 0;
        const collectedMinor = chargedMinor - outstandingMinor;
        return { className: r.class_name ?? NO_CLASS, chargedMinor, collectedMinor, outstandingMinor, rate: chargedMinor > 0 ? collectedMinor / chargedMinor : null };
      })
      .sort((a, b) => a.className.localeCompare(b.className, 'en', { numeric: true }));
    const byCategory = chargedByCategory
      .map((r) => ({ category: r.name ?? 'Fee', chargedMinor: Number(r.charged), outstandingMinor: owedByCategory.get(r.category_id) ?? 0 }))
      .sort((a, b) => a.category.localeCompare(b.category, 'en'));

    return {
      currency,
      today,
      term: term ? { name: term.name, startsOn: term.starts_on, endsOn: term.ends_on } : null,
      collectedTodayMinor: await collected(tx, dayStart, dayEnd),
      collectedTermMinor: term
        ? await collected(tx, schoolDayStartUtc(term.starts_on, timeZone), schoolDayStartUtc(nextDate(term.ends_on), timeZone))
        : await collected(tx, null, dayEnd),
      outstandingMinor: owing.reduce((sum, s) => sum + Number(s.balance), 0),
      studentsInArrears: owing.length,
      byClass,
      daily: await daily(tx, today, timeZone),
      byCategory,
    };
  });
}
