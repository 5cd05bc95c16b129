import type Sqlite from 'better-sqlite3';
import { SYNCED_TABLES } from '../../../shared/sync/protocol.js';

/**
 * This device's own state, as opposed to the school's synced rows: who it is (identity, token,
 * receipt series and counter, and a hold on new numbers while a rebuild catches up), who may
 * sign in offline, what it has not sent yet, what the server refused, and its rebuild history. Listed in the order rows can be inserted.
 */
export const DEVICE_STATE_TABLES = ['device', 'local_credentials', 'outbox', 'outbox_rows', 'shadow_rows', 'needs_attention', 'recovery_reports', 'receipt_hold'] as const;

/** Tables whose AUTOINCREMENT counter must never go back (the outbox seq is sent to the server). */
const COUNTED = ['outbox', 'needs_attention', 'recovery_reports'] as const;

function columns(sqlite: Sqlite.Database, schema: string, table: string): string[] {
  return (sqlite.prepare(`select name from pragma_table_info(?, ?)`).pluck().all(table, schema) as string[]);
}

/** The columns both copies have, so a backup made by an older version (migrated since) or a
 * newer one copies what they share. */
function shared(sqlite: Sqlite.Database, from: string, table: string): string {
  const theirs = new Set(columns(sqlite, from, table));
  return columns(sqlite, 'main', table).filter((c) => theirs.has(c)).map((c) => `"${c}"`).join(', ');
}

/** Synced tables an offline sign-in reads (with local_credentials): carried into a rebuilt
 * database so people can sign in before the first sync completes. */
export const SIGN_IN_TABLES = ['roles', 'staff'] as const;

/** Copies `from`'s rows of `tables` into main's (empty) ones. */
export function copyTables(sqlite: Sqlite.Database, from: string, tables: readonly string[]): void {
  for (const table of tables) {
    const cols = shared(sqlite, from, table);
    sqlite.prepare(`insert into main.${table} (${cols}) select ${cols} from ${from}.${table}`).run();
  }
}

/** Replaces main's device state with `from`'s (call inside a transaction). */
export function replaceDeviceState(sqlite: Sqlite.Database, from: string): void {
  for (const table of [...DEVICE_STATE_TABLES].reverse()) sqlite.prepare(`delete from main.${table}`).run();
  copyTables(sqlite, from, DEVICE_STATE_TABLES);
  for (const table of COUNTED) {
    const seq = (schema: string) => Number(sqlite.prepare(`select coalesce(max(seq), 0) from ${schema}.sqlite_sequence where name = ?`).pluck().get(table));
    const top = Math.max(seq('main'), seq(from));
    sqlite.prepare(`delete from main.sqlite_sequence where name = ?`).run(table);
    sqlite.prepare(`insert into main.sqlite_sequence (name, seq) values (?, ?)`).run(table, top);
  }
}

/**
 * Makes main's copy of every synced row that `refs`' outbox entries wrote equal to `from`'s
 * (removed where `from` has none), so changes not yet acknowledged stay on screen as the user
 * saved them. Returns how many rows were written.
 */
export function carryPendingRows(sqlite: Sqlite.Database, from: string, refs: string): number {
  let written = 0;
  for (const table of SYNCED_TABLES) {
    const ids = `select row_id from ${refs}.outbox_rows where table_name = '${table}'`;
    sqlite.prepare(`delete from main.${table} where id in (${ids})`).run();
    const cols = shared(sqlite, from, table);
    written += sqlite.prepare(`insert into main.${table} (${cols}) select ${cols} from ${from}.${table} where id in (${ids})`).run().changes;
  }
  return written;
}

/** The receipt counter never goes back: at least `floor`, another copy's counter (each copy's
 * counter is above every number it issued). */
export function keepReceiptCounterAtLeast(sqlite: Sqlite.Database, floor: number): void {
  sqlite.prepare('update main.device set next_receipt_no = max(next_receipt_no, ?) where id = 1').run(floor);
}

export function receiptCounter(sqlite: Sqlite.Database, schema: string): number {
  return Number(sqlite.prepare(`select coalesce(max(next_receipt_no), 1) from ${schema}.device`).pluck().get());
}
