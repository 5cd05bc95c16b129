// Builders for the school office's server tests: `*.save` mutations as devices push them, and the
// server's current copy of a record (with its per-field versions) to base an offline edit on.
import { sql } from 'kysely';
import { expect } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import { RecordMeta } from '../../shared/domain/records.js';
import type { ConflictRow } from '../../shared/domain/conflicts.js';
import { EDITABLE, type EditableFields, type EditableTable } from '../../shared/sync/editable.js';
import type { MutationEnvelope } from '../../shared/sync/protocol.js';
import { rowSchemas } from '../../shared/sync/protocol.js';
import { wireRowSql } from '../../sync-server/src/records/wire.js';
import { mutation } from './sync-server.js';
import type { BursaryServer } from './server-bursary.js';

export interface Write {
  id: string;
  create: boolean;
  fields: Record<string, unknown>;
  base: Record<string, number>;
}

/** A `*.save` of `table` by `authorId`. */
export function save(table: EditableTable, rows: Write[], authorId: string): MutationEnvelope {
  return mutation({ rows }, { name: EDITABLE[table].mutation as MutationEnvelope['name'], authorId });
}

/** A new record with every field. */
export function create<T extends EditableTable>(fields: EditableFields<T>, id = uuidv7()): Write {
  return { id, create: true, fields: fields as Record<string, unknown>, base: {} };
}

/** The server's row as devices receive it (schema-checked), or undefined. */
export async function serverRow(h: BursaryServer, table: EditableTable | 'record_conflicts' | 'messages' | 'message_reads', id: string): Promise<Record<string, unknown> | undefined> {
  const { rows } = await sql<{ row: string }>`select (${wireRowSql(table)})::text as row from ${sql.table(table)}
    where tenant_id = ${h.school.tenantId} and id = ${id}`.execute(h.server.db);
  if (!rows[0]) return undefined;
  const row = JSON.parse(rows[0].row) as Record<string, unknown>;
  expect(rowSchemas[table].parse(row)).toEqual(row);
  return row;
}

/** An edit of some fields, based on the versions the server holds now (what a device that just
 * synced would send). */
export async function edit(h: BursaryServer, table: EditableTable, id: string, fields: Record<string, unknown>): Promise<Write> {
  const row = await serverRow(h, table, id);
  const meta = RecordMeta.parse(row!.meta);
  return { id, create: false, fields, base: Object.fromEntries(Object.keys(fields).map((f) => [f, meta.f[f]?.v ?? 0])) };
}

export async function conflictsOf(h: BursaryServer, rowId: string): Promise<ConflictRow[]> {
  const { rows } = await sql<{ id: string }>`select id from record_conflicts where tenant_id = ${h.school.tenantId} and row_id = ${rowId} order by _seq`.execute(h.server.db);
  return Promise.all(rows.map(async (r) => (await serverRow(h, 'record_conflicts', r.id)) as ConflictRow));
}
