import type Sqlite from 'better-sqlite3';
import { SNAPSHOT_PHASE } from '../../../shared/sync/snapshot.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import { REBUILD_ATTENDANCE_HISTORY_SQL } from './attendance-history-rebuild.js';
import { REBUILD_LEDGER_SUMMARIES_SQL } from './ledger-summaries.js';

// A first sync's bulk load (DESIGN §8, "apply pulled changes"). A student row written one at a
// time updates eight name-ordered indexes and its search entries (about 85% of its cost), and a
// payment or a mark also updates the tables derived from it by triggers (balances, the class
// index of payments, attendance history); into an EMPTY table it is far cheaper to store the rows
// bare, build each index once, sorted, and fill each search index or derived table in one
// statement. So each phase of a first sync takes the secondary indexes off its tables that are
// still empty, and the triggers that fill search indexes (phase 1) or derived tables (phase 2),
// recording each one's SQL in bulk_load in the same transaction; the page that leaves the phase
// puts them back, a step at a time, before it is stored (so the app is marked usable, or up to
// date, only with everything in place). A crash in between leaves the record on disk:
// openLocalStore puts everything back before anything reads the store.
// Unique indexes stay: they are constraints, not just speed.

type Phase = 'current' | 'history';

/** Search indexes kept by triggers on a phase-1 table: the triggers are named `<fts>_…`. */
const SEARCH_INDEXES: Partial<Record<SyncedTable, string>> = { students: 'students_fts', guardians: 'guardians_fts' };

/**
 * Tables derived from history tables by triggers, each with the statements that rebuild it from
 * scratch: while history is stored in bulk their triggers (named by these prefixes) are off, even
 * on a table that already holds rows, since the rebuild covers every row.
 */
const DERIVED: Record<string, { prefixes: readonly string[]; tables: readonly string[]; rebuild: string }> = {
  ledger_balances: { prefixes: ['ledger_balances_', 'class_payments_'], tables: ['ledger_balances', 'charge_positions', 'class_payments'], rebuild: REBUILD_LEDGER_SUMMARIES_SQL },
  attendance_history: { prefixes: ['attendance_history_'], tables: ['attendance_history'], rebuild: REBUILD_ATTENDANCE_HISTORY_SQL },
};

/** Rebuilds derived tables with their secondary indexes off and then built once, sorted (not row by row). */
function rebuildDerived(sqlite: Sqlite.Database, derived: (typeof DERIVED)[string]): void {
  const indexes = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (select value from json_each(?))`)
    .all(JSON.stringify(derived.tables)) as { name: string; sql: string }[];
  for (const i of indexes) sqlite.exec(`drop index "${i.name}"`);
  sqlite.exec(derived.rebuild);
  for (const i of indexes) sqlite.exec(i.sql);
}

const tablesOf = (phase: Phase) => (Object.keys(SNAPSHOT_PHASE) as SyncedTable[]).filter((t) => SNAPSHOT_PHASE[t] === phase);

/** What a dropped trigger fills: a search index (phase 1) or a derived table (phase 2). */
function filledBy(phase: Phase, table: SyncedTable, trigger: string): string | null {
  if (phase === 'current') {
    const fts = SEARCH_INDEXES[table];
    return fts !== undefined && trigger.startsWith(`${fts}_`) ? fts : null;
  }
  return Object.keys(DERIVED).find((key) => DERIVED[key]!.prefixes.some((p) => trigger.startsWith(p))) ?? null;
}

interface Dropped {
  name: string;
  type: 'index' | 'trigger';
  tbl_name: string;
  fts: string | null;
  sql: string;
}

/**
 * Starts a bulk load of one phase of a first sync (never a rebuild): phase 1 when the device
 * holds no offset yet, phase 2 on its first page. Only tables still empty lose their indexes (a
 * table with rows keeps them, so what is on screen stays fast). Call inside the page's first
 * transaction. Returns the number of indexes and triggers taken off.
 */
export function beginBulkLoad(sqlite: Sqlite.Database, phase: Phase): number {
  const state = sqlite.prepare('select shape_offset is null as fresh, refetching from sync_state where id = 1').get() as { fresh: number; refetching: number } | undefined;
  if (!state || state.refetching !== 0 || (phase === 'current' && state.fresh !== 1)) return 0;
  // Once per phase: what the phase took off stays recorded until the phase ends.
  if (bulkLoadPending(sqlite, phase === 'current' ? 'history' : 'current')) return 0;
  const record = sqlite.prepare('insert into bulk_load (name, type, tbl_name, fts, sql) values (?, ?, ?, ?, ?)');
  let dropped = 0;
  for (const table of tablesOf(phase)) {
    const empty = sqlite.prepare(`select exists (select 1 from ${table}) as any_row`).pluck().get() === 0;
    const objects = sqlite
      .prepare("select type, name, sql from sqlite_master where tbl_name = ? and sql is not null and type in ('index', 'trigger')")
      .all(table) as { type: 'index' | 'trigger'; name: string; sql: string }[];
    for (const o of objects) {
      const fills = o.type === 'trigger' ? filledBy(phase, table, o.name) : null;
      // A search index is refilled from its table alone, so only an empty table loses its triggers;
      // a derived table is rebuilt from every row, so its triggers come off whatever is there.
      const take = o.type === 'index' ? empty && !/^create\s+unique\b/i.test(o.sql) : fills !== null && (empty || phase === 'history');
      if (!take) continue;
      record.run(o.name, o.type, table, fills, o.sql);
      sqlite.exec(`drop ${o.type} "${o.name}"`);
      dropped++;
    }
  }
  return dropped;
}

/** Tables whose records stay while a phase is still loading: the filter every read of bulk_load takes. */
const keeping = (phase: Phase | null) => JSON.stringify(phase ? tablesOf(phase) : []);

/** Whether a bulk load has indexes or triggers still to put back (other than those of the phase still loading). */
export function bulkLoadPending(sqlite: Sqlite.Database, loading: Phase | null = null): boolean {
  return sqlite.prepare('select exists (select 1 from bulk_load where tbl_name not in (select value from json_each(?))) as pending').pluck().get(keeping(loading)) === 1;
}

/**
 * Puts back one thing a bulk load took off (other than those of the phase still loading), in its
 * own transaction with the removal of its record: an index (one sorted build), a table's search
 * triggers together with the search index filled from the table in one statement, or the
 * triggers of a derived table together with its rebuild. Indexes come first, so the fills and
 * rebuilds read through them. Returns whether more remain. Anything already there (a store
 * rebuilt from a copy) is not made twice.
 */
export function restoreBulkStep(sqlite: Sqlite.Database, loading: Phase | null = null): boolean {
  const next = sqlite
    .prepare("select name, type, tbl_name, fts, sql from bulk_load where tbl_name not in (select value from json_each(?)) order by type = 'trigger', name limit 1")
    .get(keeping(loading)) as Dropped | undefined;
  if (!next) return false;
  const exists = sqlite.prepare('select 1 from sqlite_master where type = ? and name = ?').pluck();
  const forget = sqlite.prepare('delete from bulk_load where name = ?');
  sqlite.transaction(() => {
    if (next.type === 'index') {
      if (!exists.get('index', next.name)) sqlite.exec(next.sql);
      forget.run(next.name);
      return;
    }
    const derived = next.fts === null ? undefined : DERIVED[next.fts];
    const triggers = (
      derived
        ? sqlite.prepare("select name, type, tbl_name, fts, sql from bulk_load where type = 'trigger' and fts = ?").all(next.fts)
        : sqlite.prepare("select name, type, tbl_name, fts, sql from bulk_load where type = 'trigger' and tbl_name = ?").all(next.tbl_name)
    ) as Dropped[];
    if (derived) {
      rebuildDerived(sqlite, derived);
    } else if (next.fts !== null) {
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
  return bulkLoadPending(sqlite, loading);
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
