import { z } from 'zod';
import { rowSchemas, SYNCED_TABLES, type SyncedTable } from '../../../shared/sync/protocol.js';

// Synced rows travel as JSON (booleans, arrays); SQLite stores integers and text. These convert
// between the two, column by column, from the same zod schemas that validate the wire rows.

type Kind = 'plain' | 'bool' | 'json';

function kindOf(field: z.ZodType): Kind {
  let f: z.ZodType = field;
  while (f instanceof z.ZodNullable || f instanceof z.ZodOptional) f = f.unwrap() as z.ZodType;
  if (f instanceof z.ZodBoolean) return 'bool';
  if (f instanceof z.ZodArray || f instanceof z.ZodObject) return 'json';
  return 'plain';
}

export const COLUMNS = Object.fromEntries(
  SYNCED_TABLES.map((t) => [t, Object.entries(rowSchemas[t].shape as Record<string, z.ZodType>).map(([name, field]) => ({ name, kind: kindOf(field) }))]),
) as Record<SyncedTable, { name: string; kind: Kind }[]>;

/** One wire value -> the value bound to SQLite. */
export function encodeValue(kind: Kind | undefined, v: unknown): unknown {
  return v === null || v === undefined ? null : kind === 'bool' ? (v ? 1 : 0) : kind === 'json' ? JSON.stringify(v) : v;
}

/** One stored SQLite value -> the wire value. */
export function decodeValue(kind: Kind | undefined, v: unknown): unknown {
  return v === null || v === undefined ? null : kind === 'bool' ? v === 1 : kind === 'json' ? JSON.parse(String(v)) : v;
}

/** Wire row -> values bound to SQLite, in the order of COLUMNS[table] (bound by position: cheaper than by name). */
export function encodeRow(table: SyncedTable, row: Record<string, unknown>): unknown[] {
  return COLUMNS[table].map(({ name, kind }) => encodeValue(kind, row[name]));
}

/** SQLite row -> wire row. */
export function decodeRow(table: SyncedTable, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, kind } of COLUMNS[table]) {
    out[name] = decodeValue(kind, row[name]);
  }
  return out;
}

/** Ledger tables are insert-only: a row the device already holds is never rewritten. */
export const INSERT_ONLY: ReadonlySet<string> = new Set<SyncedTable>([
  'payments',
  'charges',
  'discounts',
  'refunds',
  'expenses',
  'expense_approvals',
  'voids',
  'cash_ups',
  'login_history',
  'messages',
  'message_reads',
]);

export function isSyncedTable(t: string): t is SyncedTable {
  return (SYNCED_TABLES as readonly string[]).includes(t);
}
