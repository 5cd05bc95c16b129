import type Sqlite from 'better-sqlite3';
import { rowSchemas, SYNCED_TABLES, type ChangeValue, type SyncedTable } from '../../../shared/sync/protocol.js';

/** Columns each synced table stores locally, in a fixed order (the wire row's keys). */
const COLUMNS: Record<SyncedTable, string[]> = {
  students: Object.keys(rowSchemas.students.shape),
  payments: Object.keys(rowSchemas.payments.shape),
};

/** Ledger tables are insert-only: a row the device already holds is never rewritten. */
export const INSERT_ONLY: ReadonlySet<string> = new Set(['payments']);

export class SyncMessageError extends Error {}

function isSyncedTable(t: string): t is SyncedTable {
  return (SYNCED_TABLES as readonly string[]).includes(t);
}

interface Statements {
  upsert: Record<SyncedTable, Sqlite.Statement>;
  remove: Record<SyncedTable, Sqlite.Statement>;
  pending: Sqlite.Statement;
}

const cache = new WeakMap<Sqlite.Database, Statements>();

function statements(sqlite: Sqlite.Database): Statements {
  let s = cache.get(sqlite);
  if (s) return s;
  const upsert = {} as Record<SyncedTable, Sqlite.Statement>;
  const remove = {} as Record<SyncedTable, Sqlite.Statement>;
  for (const table of SYNCED_TABLES) {
    const cols = COLUMNS[table];
    const values = cols.map((c) => `@${c}`).join(', ');
    const onConflict = INSERT_ONLY.has(table)
      ? 'do nothing'
      : `do update set ${cols.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`;
    upsert[table] = sqlite.prepare(`insert into ${table} (${cols.join(', ')}) values (${values}) on conflict(id) ${onConflict}`);
    remove[table] = sqlite.prepare(`delete from ${table} where id = ?`);
  }
  const pending = sqlite.prepare('select 1 from outbox_rows where table_name = ? and row_id = ? limit 1').pluck();
  s = { upsert, remove, pending };
  cache.set(sqlite, s);
  return s;
}

/** Checks one pulled change against the row schema of its table: the server is trusted for
 * authority, not for well-formedness. */
export function validateChange(value: unknown): { table: SyncedTable; change: ChangeValue } {
  const v = value as Partial<ChangeValue> | null;
  if (!v || typeof v.table !== 'string' || typeof v.id !== 'string') {
    throw new SyncMessageError('The server sent a change without a table or id.');
  }
  if (!isSyncedTable(v.table)) {
    throw new SyncMessageError(`The server sent a change for "${v.table}", a table this version of Schoolhouse does not know. Update the app.`);
  }
  if (v.deleted) return { table: v.table, change: v as ChangeValue };
  const parsed = rowSchemas[v.table].safeParse(v.row);
  if (!parsed.success || (parsed.data as { id: string }).id !== v.id) {
    const why = parsed.success ? 'its id does not match' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SyncMessageError(`The server sent a ${v.table} row this app cannot accept (${why}).`);
  }
  return { table: v.table, change: { ...(v as ChangeValue), row: parsed.data } };
}

/**
 * Applies validated changes (call inside a transaction). Rows written by mutations still in
 * the outbox are left as the device has them: the local change stays on screen until the
 * server acknowledges it, and the server's merged row arrives again after that.
 */
export function applyChanges(sqlite: Sqlite.Database, changes: { table: SyncedTable; change: ChangeValue }[]): number {
  const st = statements(sqlite);
  let applied = 0;
  for (const { table, change } of changes) {
    if (st.pending.get(table, change.id)) continue;
    if (change.deleted) st.remove[table].run(change.id);
    else st.upsert[table].run(change.row);
    applied++;
  }
  return applied;
}

/** After a must-refetch: drop the synced tables' rows (never the outbox) except rows that
 * pending mutations wrote, which stay until the server answers. */
export function clearSyncedTables(sqlite: Sqlite.Database): void {
  for (const table of SYNCED_TABLES) {
    sqlite
      .prepare(`delete from ${table} where id not in (select row_id from outbox_rows where table_name = ?)`)
      .run(table);
  }
}
