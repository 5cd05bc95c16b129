import { sql, type RawBuilder } from 'kysely';
import { rowSchemas, type SyncedTable } from '../../../shared/sync/protocol.js';
import { EDITABLE_TABLES, type EditableTable } from '../../../shared/sync/editable.js';

// The school office's rows (migration 0007) go out exactly in their row schema's shape, so the
// column list comes from the schema itself: a field added to a row schema cannot be forgotten
// here. Dates are `date` columns (sent as YYYY-MM-DD); jsonb columns are written as JSON text.

/** Synced tables whose wire columns are built from their row schema. */
export const SCHEMA_SHAPED_TABLES = [...EDITABLE_TABLES, 'messages', 'message_reads', 'record_conflicts'] as const satisfies readonly SyncedTable[];
export type SchemaShapedTable = (typeof SCHEMA_SHAPED_TABLES)[number];

const DATE_COLUMNS: Partial<Record<SyncedTable, readonly string[]>> = {
  students: ['date_of_birth'],
  events: ['starts_on', 'ends_on'],
  attendance_sessions: ['date'],
};
const JSON_COLUMNS: Partial<Record<SyncedTable, readonly string[]>> = {
  grading_scales: ['bands'],
  messages: ['to_staff_ids'],
};

export function wireColumns(table: SchemaShapedTable): string[] {
  return Object.keys(rowSchemas[table].shape);
}

/** The row as its schema has it, as a jsonb expression over the table's columns (`alias.` prefixed when given). */
export function wireRowSql(table: SchemaShapedTable, alias?: string): RawBuilder<unknown> {
  const dates = DATE_COLUMNS[table] ?? [];
  const pairs = wireColumns(table).map((c) => {
    const ref = sql.ref(alias ? `${alias}.${c}` : c);
    return sql`${sql.lit(c)}, ${dates.includes(c) ? sql`to_char(${ref}, 'YYYY-MM-DD')` : ref}`;
  });
  return sql`jsonb_build_object(${sql.join(pairs)})`;
}

function isJsonColumn(table: SyncedTable, column: string): boolean {
  return column === 'meta' || (JSON_COLUMNS[table] ?? []).includes(column);
}

/** A wire value as bound for its column. */
export function dbValue(table: SyncedTable, column: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  return isJsonColumn(table, column) ? JSON.stringify(v) : v;
}

/** Loads the current rows of `ids` (tombstoned ones too) in their wire shape, in one query per 1,000 ids. */
export async function loadWireRows(
  db: Parameters<RawBuilder<unknown>['execute']>[0],
  tenantId: string,
  table: EditableTable,
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) {
    const chunk = unique.slice(i, i + 1000);
    const { rows } = await sql<{ row: string }>`select (${wireRowSql(table)})::text as row from ${sql.table(table)}
      where tenant_id = ${tenantId} and id in (${sql.join(chunk)})`.execute(db);
    for (const r of rows) {
      const row = JSON.parse(r.row) as Record<string, unknown>;
      out.set(String(row.id), row);
    }
  }
  return out;
}

/** Inserts or replaces whole rows (their full merged state), up to 500 per statement. Insert-only
 * tables (messages, read receipts, conflicts) are only inserted: the app role cannot update them. */
export async function writeWireRows(
  db: Parameters<RawBuilder<unknown>['execute']>[0],
  tenantId: string,
  table: SchemaShapedTable,
  rows: readonly { row: Record<string, unknown>; seq: number }[],
  mode: 'upsert' | 'insert' = 'upsert',
): Promise<void> {
  const columns = wireColumns(table);
  const dates = DATE_COLUMNS[table] ?? [];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk.map(
      ({ row, seq }) =>
        sql`(${sql.join([
          sql`${tenantId}`,
          ...columns.map((c) => (dates.includes(c) ? sql`${dbValue(table, c, row[c])}::date` : isJsonColumn(table, c) ? sql`${dbValue(table, c, row[c])}::jsonb` : sql`${dbValue(table, c, row[c])}`)),
          sql`${seq}::bigint`,
        ])})`,
    );
    const updates = [...columns.filter((c) => c !== 'id'), '_seq'].map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`);
    const onConflict = mode === 'upsert' ? sql`on conflict (tenant_id, id) do update set ${sql.join(updates)}` : sql``;
    await sql`insert into ${sql.table(table)} (tenant_id, ${sql.join(columns.map((c) => sql.ref(c)))}, _seq)
      values ${sql.join(values)} ${onConflict}`.execute(db);
  }
}
