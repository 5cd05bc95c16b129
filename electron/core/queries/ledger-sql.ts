import { sql, type RawBuilder } from 'kysely';
import { nextDate, schoolDayStartUtc } from '../../../shared/domain/ledger-math.js';
import type { LedgerFilter, TimeCursor } from '../../../shared/domain/bursary-views.js';

// SQL fragments every ledger read shares, so "voided", "pending" and "balance" mean the same on
// the statement, the receipt, the lists, the arrears and the dashboard. Each one is a probe of
// an index (voids_by_target, the outbox_rows key, the ledger_balances key).

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
 * A student's balance (charges − payments − discounts + refunds, voided entries excluded) from
 * their ledger_balances row, which triggers keep (migration 0017): the same figure as
 * settle().balanceMinor. `alias` names a ledger_balances row.
 */
export const balanceOf = (alias: string): RawBuilder<number> =>
  sql<number>`(${sql.ref(`${alias}.charged`)} - ${sql.ref(`${alias}.paid`)} - ${sql.ref(`${alias}.discounted`)} + ${sql.ref(`${alias}.refunded`)})`;

export const studentName = (alias: string): RawBuilder<string> => sql<string>`${sql.ref(`${alias}.first_name`)} || ' ' || ${sql.ref(`${alias}.last_name`)}`;

// The UTC instant a school date starts, remembered: each list page asks for the same one or two
// dates again, and working one out (Intl's formatToParts) costs more than compiling the query.
const dayStarts = new Map<string, string>();
function dayStart(date: string, timeZone: string): string {
  const key = `${timeZone} ${date}`;
  let at = dayStarts.get(key);
  if (at === undefined) {
    if (dayStarts.size >= 1_000) dayStarts.clear();
    dayStarts.set(key, (at = schoolDayStartUtc(date, timeZone)));
  }
  return at;
}

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
  const end = filter.to ? { at: dayStart(nextDate(filter.to), timeZone), id: '' } : null;
  const before = !after || !end ? (after ?? end) : after.at < end.at || (after.at === end.at && after.id < end.id) ? after : end;
  return { from: filter.from ? dayStart(filter.from, timeZone) : null, before };
}

/** Trims the extra row a keyset query fetched and returns the cursor of the page's last row. */
export function keysetPage<R, C>(rows: R[], limit: number, cursorOf: (row: R) => C): { rows: R[]; next: C | null } {
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  const last = rows[rows.length - 1];
  return { rows, next: hasMore && last !== undefined ? cursorOf(last) : null };
}
