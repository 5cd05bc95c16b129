import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ExpenseListItem, LedgerFilter, TimeCursor } from '../../../shared/domain/bursary-views.js';
import { isVoided, keysetPage, timeRange } from './ledger-sql.js';
import { expenseItems, toExpenseListItem } from './expense-item.js';

/** The status expenseItems derives, as SQL, so the list can filter on it. */
const status = sql<string>`(case when ${isVoided('e.id')} then 'voided' else coalesce(a.decision, 'pending') end)`;

/** The expenses a filter selects, walked by expenses_by_time in the list's order. */
function filtered(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: TimeCursor | null, timeZone: string) {
  const { from, before } = timeRange(filter, after, timeZone);
  let q = expenseItems(db);
  if (from) q = q.where('e.recorded_at', '>=', from);
  if (before) q = q.where(sql<boolean>`(e.recorded_at, e.id) < (${before.at}, ${before.id})`);
  if (filter.method) q = q.where('e.method', '=', filter.method);
  // Unary +: the time index, not a skip-scan of the till index followed by a sort.
  if (filter.staffId) q = q.where(sql<string>`+e.recorded_by_id`, '=', filter.staffId);
  if (filter.expenseCategory) q = q.where(sql<boolean>`e.category = ${filter.expenseCategory} collate nocase`);
  if (filter.expenseStatus) q = q.where(sql<boolean>`${status} = ${filter.expenseStatus}`);
  return q;
}

export function expensesPageQuery(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: TimeCursor | null, limit: number, timeZone: string) {
  return filtered(db, filter, after, timeZone).orderBy('e.recorded_at', 'desc').orderBy('e.id', 'desc').limit(limit + 1);
}

/** One page of expenses, newest first, keyset-paged on (recorded_at, id). */
export async function listExpenses(
  db: Kysely<LocalDatabase>,
  input: { filter: LedgerFilter; after: TimeCursor | null; limit: number; withTotal: boolean },
  timeZone: string,
): Promise<{ rows: ExpenseListItem[]; next: TimeCursor | null; total: number | null }> {
  const rows = (await expensesPageQuery(db, input.filter, input.after, input.limit, timeZone).execute()).map(toExpenseListItem);
  const total = input.withTotal
    ? Number(
        (
          await db
            .selectFrom(filtered(db, input.filter, null, timeZone).as('x'))
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    : null;
  return { ...keysetPage(rows, input.limit, (r) => ({ at: r.recordedAt, id: r.id })), total };
}

/** The expense categories in use, for the category picker and the filter. */
export async function expenseCategories(db: Kysely<LocalDatabase>): Promise<string[]> {
  const rows = await db.selectFrom('expenses').select('category').distinct().orderBy(sql`category collate nocase`).orderBy('category').execute();
  return rows.map((r) => r.category);
}
