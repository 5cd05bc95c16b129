import type Sqlite from 'better-sqlite3';
import { rowSchemas, SYNCED_TABLES, type ChangeValue, type SyncedTable } from '../../../shared/sync/protocol.js';
import { COLUMNS, encodeRow, INSERT_ONLY, isSyncedTable } from './row-codecs.js';

export class SyncMessageError extends Error {}

/** A change for a table this version of the app does not know (see checkPulled). */
export class UnknownTableError extends SyncMessageError {
  constructor(readonly table: string) {
    super(`The server sent a change for "${table}", a table this version of Schoolhouse does not know. Update the app.`);
  }
}

interface Statements {
  upsert: Record<SyncedTable, Sqlite.Statement>;
  remove: Record<SyncedTable, Sqlite.Statement>;
  pending: Sqlite.Statement;
  anyPending: Sqlite.Statement;
  updateShadow: Sqlite.Statement;
  refetching: Sqlite.Statement;
  seen: Sqlite.Statement;
}

const cache = new WeakMap<Sqlite.Database, Statements>();

function statements(sqlite: Sqlite.Database): Statements {
  let s = cache.get(sqlite);
  if (s) return s;
  const upsert = {} as Record<SyncedTable, Sqlite.Statement>;
  const remove = {} as Record<SyncedTable, Sqlite.Statement>;
  for (const table of SYNCED_TABLES) {
    const cols = COLUMNS[table].map((c) => c.name);
    const values = cols.map(() => '?').join(', ');
    const onConflict = INSERT_ONLY.has(table)
      ? 'do nothing'
      : `do update set ${cols.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`;
    upsert[table] = sqlite.prepare(`insert into ${table} (${cols.join(', ')}) values (${values}) on conflict(id) ${onConflict}`);
    remove[table] = sqlite.prepare(`delete from ${table} where id = ?`);
  }
  const pending = sqlite.prepare('select 1 from outbox_rows where table_name = ? and row_id = ? limit 1').pluck();
  const anyPending = sqlite.prepare('select exists (select 1 from outbox_rows)').pluck();
  const updateShadow = sqlite.prepare('update shadow_rows set row = ?, refreshed = 1 where table_name = ? and row_id = ?');
  const refetching = sqlite.prepare('select refetching from sync_state where id = 1').pluck();
  const seen = sqlite.prepare('insert or ignore into refetch_seen (table_name, row_id) values (?, ?)');
  s = { upsert, remove, pending, anyPending, updateShadow, refetching, seen };
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
    throw new UnknownTableError(v.table);
  }
  if (v.deleted) return { table: v.table, change: v as ChangeValue };
  const parsed = rowSchemas[v.table].safeParse(v.row);
  if (!parsed.success || (parsed.data as { id: string }).id !== v.id) {
    const why = parsed.success ? 'its id does not match' : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new SyncMessageError(`The server sent a ${v.table} row this app cannot accept (${why}).`);
  }
  return { table: v.table, change: { ...(v as ChangeValue), row: parsed.data as Record<string, unknown> } };
}

/** Writes one server row into its table (or removes it). */
export function writeServerRow(sqlite: Sqlite.Database, table: SyncedTable, id: string, row: Record<string, unknown> | null): void {
  const st = statements(sqlite);
  if (row === null) st.remove[table].run(id);
  else st.upsert[table].run(encodeRow(table, row));
}

/**
 * Applies validated changes (call inside a transaction). Rows written by mutations still in
 * the outbox keep the device's version on screen; the server's version goes to their shadow,
 * to be restored if the server refuses the local change.
 */
export function applyChanges(sqlite: Sqlite.Database, changes: { table: SyncedTable; change: ChangeValue }[]): number {
  const st = statements(sqlite);
  const refetching = st.refetching.get() === 1;
  // Usually nothing is pending (a first sync): one look for the batch instead of one per row.
  const anyPending = st.anyPending.get() === 1;
  let applied = 0;
  for (const { table, change } of changes) {
    const row = change.deleted ? null : change.row;
    if (refetching && row) st.seen.run(table, change.id);
    if (anyPending && st.pending.get(table, change.id)) {
      st.updateShadow.run(row === null ? null : JSON.stringify(row), table, change.id);
      continue;
    }
    writeServerRow(sqlite, table, change.id, row);
    applied++;
  }
  return applied;
}

/** WAL pages a pulled commit lets build up before it checkpoints (SQLite's default is 1,000). */
const PULLED_CHECKPOINT_PAGES = 4_000;

/**
 * Runs one transaction of pulled rows without waiting for the disk (synchronous=NORMAL; WAL keeps
 * the file consistent). The rows and their offset commit together, so a power cut loses both and
 * they are pulled again; the next FULL commit (any command) makes them durable with it. The
 * device's own writes keep synchronous=FULL: only what the server still holds skips the fsync.
 * Successive steps rewrite the same index pages, so checkpointing less often copies (and fsyncs)
 * each of them fewer times: a first sync of the 100k school went from 47 s to 39 s.
 */
export function inPulledTransaction(sqlite: Sqlite.Database, work: () => void): void {
  const level = sqlite.pragma('synchronous', { simple: true }) as number;
  const checkpoint = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`wal_autocheckpoint = ${PULLED_CHECKPOINT_PAGES}`);
  try {
    sqlite.transaction(work)();
  } finally {
    sqlite.pragma(`wal_autocheckpoint = ${checkpoint}`);
    sqlite.pragma(`synchronous = ${level}`);
  }
}

/**
 * A must-refetch starts a rebuild from a fresh snapshot. The synced rows stay on screen while it
 * arrives (overwritten as it comes, so signed-in staff and open screens keep working); the rows
 * it did not bring are dropped only when it is complete. The outbox is never touched.
 */
export function beginRefetch(sqlite: Sqlite.Database): void {
  sqlite.prepare('delete from refetch_seen').run();
  sqlite.prepare('update sync_state set refetching = 1 where id = 1').run();
}

/** Whether a rebuild is under way (its up-to-date page must sweep before it ends, see refetch-sweep.ts). */
export function isRefetching(sqlite: Sqlite.Database): boolean {
  return statements(sqlite).refetching.get() === 1;
}

/**
 * Ends a rebuild at the snapshot's up-to-date, once the sweep (refetch-sweep.ts) has dropped the
 * rows it did not bring. refetch_seen is emptied afterwards in steps (clearSeenStep).
 */
export function finishRefetch(sqlite: Sqlite.Database): void {
  if (!isRefetching(sqlite)) return;
  sqlite.prepare('update sync_state set refetching = 0 where id = 1').run();
}
