import { sql, type RawBuilder } from 'kysely';
import { nextDate, schoolDayStartUtc } from '../../../shared/domain/ledger-math.js';
import type { LedgerFilter, TimeCursor } from '../../../shared/domain/bursary-views.js';

// SQL fragments every ledger read shares, so "voided", "pending" and "balance" mean the same on
// the statement, the receipt, the lists, the arrears and the dashboard. Each one is a probe of
// an index (voids_by_target, the outbox_rows key, the per-student ledger indexes).

/** `ref` names a ledger row's id column, e.g. 'p.id'. */
export const isVoided = (ref: string): RawBuilder<number> => sql<number>`exists (select 1 from voids v where v.target_id = ${sql.ref(ref)})`;

export const isLive = (ref: string): RawBuilder<boolean> => sql<boolean>`not exists (select 1 from voids v where v.target_id = ${sql.ref(ref)})`;

/** The same test as isLive, as text for the statements run through better-sqlite3 directly. */
export function liveText(alias: string): string {
  return `not exists (select 1 from voids v where v.target_id = ${alias}.id)`;
}

export const voidReason = (ref: string): RawBuilder<string | null> =>
  sql<string | null>`(select v.reason from voids v where v.target_id = ${sql.ref(ref)} order by v.voided_at, v.id limit 1)`;

/** Written by a mutation the server has not acknowledged yet. */
export const isPending = (table: string, ref: string): RawBuilder<number> =>
  sql<number>`exists (select 1 from outbox_rows o where o.table_name = ${table} and o.row_id = ${sql.ref(ref)})`;

/**
 * A student's balance (charges − payments − discounts + refunds, voided entries excluded) as a
 * scalar subquery per ledger table, each a range of that table's per-student index. The same
 * figure as settle().balanceMinor, without reading any row into JavaScript.
 */
export function studentBalance(studentRef: string): RawBuilder<number> {
  const s = sql.ref(studentRef);
  const total = (table: string, alias: string) =>
    sql`(select coalesce(sum(${sql.ref(`${alias}.amount_minor`)}), 0) from ${sql.table(table)} as ${sql.raw(alias)}
         where ${sql.ref(`${alias}.student_id`)} = ${s} and ${isLive(`${alias}.id`)})`;
  return sql<number>`(${total('charges', 'c')} - ${total('payments', 'p')} - ${total('discounts', 'd')} + ${total('refunds', 'r')})`;
}

/**
 * Every student with a positive balance and their totals (student_id, charged, paid, discounted,
 * refunded), from one pass over each ledger table in storage order: what counting or summing
 * over the whole school costs, rather than a probe of four indexes per student.
 */
export const OWING_STUDENTS_SQL = `select student_id, sum(charged), sum(paid), sum(discounted), sum(refunded) from (
    select c.student_id, c.amount_minor as charged, 0 as paid, 0 as discounted, 0 as refunded from charges c where ${liveText('c')}
    union all select p.student_id, 0, p.amount_minor, 0, 0 from payments p where ${liveText('p')}
    union all select d.student_id, 0, 0, d.amount_minor, 0 from discounts d where ${liveText('d')}
    union all select r.student_id, 0, 0, 0, r.amount_minor from refunds r where ${liveText('r')})
  group by student_id having sum(charged) - sum(paid) - sum(discounted) + sum(refunded) > 0`;

export const studentName = (alias: string): RawBuilder<string> => sql<string>`${sql.ref(`${alias}.first_name`)} || ' ' || ${sql.ref(`${alias}.last_name`)}`;

/**
 * Where a newest-first page of a filter starts and stops, on the list's (time, id) index:
 * `before` is the tighter of the end of the `to` date and the previous page's last row, as one
 * row value, so SQLite seeks to it (a date bound and a cursor given separately would make it
 * walk down from the end of the range past every row of the earlier pages). `from` is the UTC
 * instant the first date starts.
 */
export function timeRange(
  filter: Pick<LedgerFilter, 'from' | 'to'>,
  after: TimeCursor | null,
  timeZone: string,
): { from: string | null; before: TimeCursor | null } {
  // (midnight after `to`, '') sorts before every row at that instant and after every earlier one.
  const end = filter.to ? { at: schoolDayStartUtc(nextDate(filter.to), timeZone), id: '' } : null;
  const before = !after || !end ? (after ?? end) : after.at < end.at || (after.at === end.at && after.id < end.id) ? after : end;
  return { from: filter.from ? schoolDayStartUtc(filter.from, timeZone) : null, before };
}

/** Trims the extra row a keyset query fetched and returns the cursor of the page's last row. */
export function keysetPage<R, C>(rows: R[], limit: number, cursorOf: (row: R) => C): { rows: R[]; next: C | null } {
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  const last = rows[rows.length - 1];
  return { rows, next: hasMore && last !== undefined ? cursorOf(last) : null };
}
