import type Sqlite from 'better-sqlite3';
import { SNAPSHOT_PHASE } from '../../../shared/sync/snapshot.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';

// A first sync's bulk load (DESIGN §8, "apply pulled changes"). A student row written one at a
// time updates eight name-ordered indexes and its search entries (about 85% of its cost); into an
// EMPTY table it is far cheaper to store the rows bare and build each index once, sorted, and
// fill the search index in one statement. So the first page of a first sync takes the secondary
// indexes and search triggers off the phase-1 tables that are still empty, recording each one's
// SQL in bulk_load in the same transaction, and the end of phase 1 puts them back (before the
// page that makes the app usable is stored), a step at a time. A crash in between leaves the
// record on disk: openLocalStore puts everything back before anything reads the store.
// Unique indexes stay: they are constraints, not just speed.

/** Search indexes kept by triggers on a phase-1 table: the triggers are named `<fts>_…`. */
const SEARCH_INDEXES: Partial<Record<SyncedTable, string>> = { students: 'students_fts', guardians: 'guardians_fts' };

const BULK_TABLES = (Object.keys(SNAPSHOT_PHASE) as SyncedTable[]).filter((t) => SNAPSHOT_PHASE[t] === 'current');

interface Dropped {
  name: string;
  type: 'index' | 'trigger';
  tbl_name: string;
  fts: string | null;
  sql: string;
}

/**
 * Starts a bulk load if this is a first sync's first page: the device holds no offset and is not
 * rebuilding. Only tables still empty are loaded in bulk (a table with rows keeps its indexes, so
 * what is on screen stays fast). Call inside the page's first transaction. Returns the number of
 * indexes and triggers taken off.
 */
export function beginBulkLoad(sqlite: Sqlite.Database): number {
  const state = sqlite.prepare('select shape_offset is null and refetching = 0 as first from sync_state where id = 1').get() as { first: number } | undefined;
  if (state?.first !== 1 || bulkLoadPending(sqlite)) return 0;
  const record = sqlite.prepare('insert into bulk_load (name, type, tbl_name, fts, sql) values (?, ?, ?, ?, ?)');
  let dropped = 0;
  for (const table of BULK_TABLES) {
    if (sqlite.prepare(`select exists (select 1 from ${table}) as any_row`).pluck().get() === 1) continue;
    const fts = SEARCH_INDEXES[table] ?? null;
    const objects = sqlite
      .prepare("select type, name, sql from sqlite_master where tbl_name = ? and sql is not null and type in ('index', 'trigger')")
      .all(table) as { type: 'index' | 'trigger'; name: string; sql: string }[];
    for (const o of objects) {
      const take = o.type === 'index' ? !/^create\s+unique\b/i.test(o.sql) : fts !== null && o.name.startsWith(`${fts}_`);
      if (!take) continue;
      record.run(o.name, o.type, table, o.type === 'trigger' ? fts : null, o.sql);
      sqlite.exec(`drop ${o.type} "${o.name}"`);
      dropped++;
    }
  }
  return dropped;
}

/** Whether a bulk load has indexes or triggers still to put back. */
export function bulkLoadPending(sqlite: Sqlite.Database): boolean {
  return sqlite.prepare('select exists (select 1 from bulk_load) as pending').pluck().get() === 1;
}

/**
 * Puts back one thing a bulk load took off, in its own transaction with the removal of its
 * record: an index (one sorted build), or a table's search triggers together with the search
 * index filled from the table in one statement. Returns whether more remain. Anything already
 * there (a store rebuilt from a copy) is not made twice.
 */
export function restoreBulkStep(sqlite: Sqlite.Database): boolean {
  const next = sqlite.prepare("select name, type, tbl_name, fts, sql from bulk_load order by type = 'trigger', name limit 1").get() as Dropped | undefined;
  if (!next) return false;
  const exists = sqlite.prepare('select 1 from sqlite_master where type = ? and name = ?').pluck();
  const forget = sqlite.prepare('delete from bulk_load where name = ?');
  sqlite.transaction(() => {
    if (next.type === 'index') {
      if (!exists.get('index', next.name)) sqlite.exec(next.sql);
      forget.run(next.name);
      return;
    }
    const triggers = sqlite.prepare("select name, type, tbl_name, fts, sql from bulk_load where type = 'trigger' and tbl_name = ?").all(next.tbl_name) as Dropped[];
    if (next.fts !== null) {
      // Contentless FTS5: 'delete-all' empties it; the fill is the insert trigger's own statement over the whole table.
      sqlite.exec(`insert into ${next.fts}(${next.fts}) values ('delete-all')`);
      const insert = triggers.find((t) => t.name === `${next.fts}_insert`);
      if (!insert) throw new Error(`Cannot refill ${next.fts}: its insert trigger was not recorded.`);
      sqlite.exec(fillFromTrigger(next.tbl_name, insert.sql));
    }
    for (const t of triggers) {
      if (!exists.get('trigger', t.name)) sqlite.exec(t.sql);
      forget.run(t.name);
    }
  })();
  return bulkLoadPending(sqlite);
}

/** Puts back everything a bulk load took off (at open, after a crash mid-load). */
export function restoreBulkLoad(sqlite: Sqlite.Database): void {
  while (restoreBulkStep(sqlite));
}

/**
 * `after insert … begin insert into F(cols) values (new.a, f(new.b)…); end` becomes
 * `insert into F(cols) select T.a, f(T.b)… from T`: the search index is filled by the very
 * expressions the trigger uses, so the two cannot drift apart.
 */
export function fillFromTrigger(table: string, triggerSql: string): string {
  const m = /\bbegin\s+insert\s+into\s+(\w+)\s*\(([^)]*)\)\s*values\s*\(([\s\S]*)\)\s*;\s*end\s*$/i.exec(triggerSql);
  if (!m) throw new Error(`Cannot refill a search index from trigger: ${triggerSql.slice(0, 80)}…`);
  return `insert into ${m[1]}(${m[2]}) select ${m[3]!.replace(/\bnew\./gi, `${table}.`)} from ${table}`;
}
