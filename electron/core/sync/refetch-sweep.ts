import type Sqlite from 'better-sqlite3';
import { SYNCED_TABLES } from '../../../shared/sync/protocol.js';

/** Where the sweep of a finished rebuild goes on: the table (index in SYNCED_TABLES) and the last rowid done. */
export interface SweepCursor {
  table: number;
  afterRowid: number;
}

export const SWEEP_START: SweepCursor = { table: 0, afterRowid: 0 };

/**
 * One bounded step of a rebuild's sweep (must-refetch, protocol upgrade): among the next `rows`
 * rows of the current table (rowid order), drops those the snapshot did not bring, except rows
 * pending mutations wrote. A big school holds a million rows, so the sweep goes in steps a
 * caller keeps short (DESIGN §2); each row is a lookup in refetch_seen and outbox_rows by their
 * keys, never a scan. Returns where to go on, or null when every table is swept. Rows stay in
 * refetch_seen until endRefetch, so a step cut short (a crash) is simply done again.
 */
export function sweepStep(sqlite: Sqlite.Database, cursor: SweepCursor, rows: number): { next: SweepCursor | null; examined: number } {
  const table = SYNCED_TABLES[cursor.table];
  if (table === undefined) return { next: null, examined: 0 };
  const range = sqlite
    .prepare(`select count(*) as n, max(rowid) as upTo from (select rowid from ${table} where rowid > ? order by rowid limit ?)`)
    .get(cursor.afterRowid, rows) as { n: number; upTo: number | null };
  if (range.upTo === null) {
    return { next: cursor.table + 1 < SYNCED_TABLES.length ? { table: cursor.table + 1, afterRowid: 0 } : null, examined: 0 };
  }
  sqlite
    .prepare(
      `delete from ${table} where rowid > ? and rowid <= ?
         and not exists (select 1 from refetch_seen s where s.table_name = ? and s.row_id = ${table}.id)
         and not exists (select 1 from outbox_rows o where o.table_name = ? and o.row_id = ${table}.id)`,
    )
    .run(cursor.afterRowid, range.upTo, table, table);
  return { next: { table: cursor.table, afterRowid: range.upTo }, examined: range.n };
}

/** Empties refetch_seen a step at a time once the rebuild has ended (it is read only while refetching). Returns rows removed. */
export function clearSeenStep(sqlite: Sqlite.Database, rows: number): number {
  return sqlite.prepare('delete from refetch_seen where rowid in (select rowid from refetch_seen limit ?)').run(rows).changes;
}
