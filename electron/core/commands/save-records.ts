import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { EDITABLE, type EditableFields, type EditableTable } from '../../../shared/sync/editable.js';
import type { MutationArgs, MutationName } from '../../../shared/sync/mutations.js';
import { baseVersions, changedFields, EMPTY_META, MAX_RECORDS_PER_MUTATION, RecordMeta } from '../../../shared/domain/records.js';
import { className } from '../../../shared/domain/classes.js';
import { guardianPhones } from '../../../shared/domain/students.js';
import { appendMutation } from '../outbox/outbox.js';
import { COLUMNS } from '../sync/row-codecs.js';

/** What a command asks to save: the record's values as the user left them (all fields for a new
 * record, any subset for an existing one). Only the ones that differ from this device's copy
 * are sent, each with the version it was read at. */
export interface RecordSave<T extends EditableTable> {
  id: string;
  values: Partial<EditableFields<T>>;
  /** Removes the record (a tombstone that syncs like any field). */
  delete?: boolean;
}

/** One row of a `*.save` mutation. */
export interface RecordWrite {
  id: string;
  create: boolean;
  fields: Record<string, unknown>;
  base: Record<string, number>;
}

function problemText(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join(' ');
}

/** Loads this device's copies of `ids` (tombstoned ones too): the base a write is diffed against. */
async function currentRows(tx: Transaction<LocalDatabase>, table: EditableTable, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where id in (${sql.join(chunk)})`.execute(tx);
    for (const r of rows) out.set(String(r.id), r);
  }
  return out;
}

function decodeValue(table: EditableTable, column: string, v: unknown): unknown {
  const kind = COLUMNS[table].find((c) => c.name === column)?.kind;
  if (v === null || v === undefined) return null;
  if (kind === 'bool') return v === 1 || v === true;
  if (kind === 'json') return typeof v === 'string' ? JSON.parse(v) : v;
  return v;
}

function encodeValue(table: EditableTable, column: string, v: unknown): unknown {
  const kind = COLUMNS[table].find((c) => c.name === column)?.kind;
  if (v === null || v === undefined) return null;
  if (kind === 'bool') return v ? 1 : 0;
  if (kind === 'json') return JSON.stringify(v);
  return v;
}

/** The editable values of a stored row, as the wire carries them (booleans, arrays). */
function wireValues(table: EditableTable, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(EDITABLE[table].fields.shape)) out[key] = decodeValue(table, key, row[key]);
  out.deleted = row.deleted === 1;
  return out;
}

/**
 * Turns what a command wants saved into the rows of one `*.save` mutation: validates the values
 * (all fields for a new record, the given ones for an edit), drops those equal to this device's
 * copy, and attaches the version each was read at. Throws a specific `invalid_input` naming the
 * field when a value is bad; returns no rows when nothing changed.
 */
export async function planRecordWrites<T extends EditableTable>(tx: Transaction<LocalDatabase>, table: T, saves: readonly RecordSave<T>[]): Promise<RecordWrite[]> {
  const schema = EDITABLE[table].fields;
  const current = await currentRows(tx, table, saves.map((s) => s.id));
  const writes: RecordWrite[] = [];
  for (const save of saves) {
    const row = current.get(save.id);
    const parsed = row ? schema.partial().safeParse(save.values) : schema.safeParse(save.values);
    if (!parsed.success) throw new AppError('invalid_input', problemText(parsed.error));
    const values: Record<string, unknown> = { ...(parsed.data as Record<string, unknown>) };
    if (save.delete !== undefined) values.deleted = save.delete;
    else if (row && row.deleted === 1) values.deleted = false;
    const changed = row ? changedFields(wireValues(table, row), values) : values;
    if (Object.keys(changed).length === 0) continue;
    const meta = row ? RecordMeta.parse(JSON.parse(String(row.meta))) : null;
    writes.push({ id: save.id, create: !row, fields: changed, base: baseVersions(meta, Object.keys(changed)) });
  }
  return writes;
}

/**
 * Writes the rows of a `*.save` mutation into this device's tables (new or resent), with the
 * columns derived from them: a class's name, a student's class name and guardians' phones.
 * Versions (`meta`) are left as the server last sent them: they are what the next edit is based on.
 */
export async function writeRecordsLocally(tx: Transaction<LocalDatabase>, table: EditableTable, rows: readonly RecordWrite[]): Promise<void> {
  const current = await currentRows(tx, table, rows.map((r) => r.id));
  for (const write of rows) {
    const existing = current.get(write.id);
    const merged = { ...(existing ? wireValues(table, existing) : { deleted: false }), ...write.fields };
    const derived = await derivedColumns(tx, table, merged, write.fields);
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries({ ...write.fields, ...derived })) values[k] = k === 'deleted' ? (v ? 1 : 0) : encodeValue(table, k, v);
    if (existing) {
      if (Object.keys(values).length > 0) await tx.updateTable(table).set(values as never).where('id', '=', write.id).execute();
    } else {
      const full: Record<string, unknown> = { id: write.id, deleted: 0, meta: JSON.stringify(EMPTY_META) };
      for (const key of Object.keys(EDITABLE[table].fields.shape)) full[key] = encodeValue(table, key, merged[key]);
      await tx.insertInto(table).values({ ...full, ...values } as never).execute();
    }
    await afterWrite(tx, table, write.id, merged, write.fields);
  }
}

async function derivedColumns(tx: Transaction<LocalDatabase>, table: EditableTable, merged: Record<string, unknown>, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (table === 'classes' && ('grade' in fields || 'stream' in fields)) return { name: className(String(merged.grade), String(merged.stream)) };
  if (table === 'students' && 'class_id' in fields) {
    const cls = merged.class_id ? await tx.selectFrom('classes').select('name').where('id', '=', String(merged.class_id)).executeTakeFirst() : undefined;
    return { class_name: cls?.name ?? null };
  }
  return {};
}

/** Keeps rows derived from this one in step: students' class names when a class is renamed,
 * students' guardian phones when a guardian or a link changes. */
async function afterWrite(tx: Transaction<LocalDatabase>, table: EditableTable, id: string, merged: Record<string, unknown>, fields: Record<string, unknown>): Promise<void> {
  if (table === 'classes' && ('grade' in fields || 'stream' in fields)) {
    await tx.updateTable('students').set({ class_name: className(String(merged.grade), String(merged.stream)) }).where('class_id', '=', id).execute();
  }
  if (table === 'guardians' && ('phone' in fields || 'alt_phone' in fields || 'deleted' in fields)) {
    const links = await tx.selectFrom('student_guardians').select('student_id').where('guardian_id', '=', id).where('deleted', '=', 0).execute();
    for (const l of links) await refreshGuardianPhones(tx, l.student_id);
  }
  if (table === 'student_guardians') await refreshGuardianPhones(tx, String(merged.student_id));
}

export async function refreshGuardianPhones(tx: Transaction<LocalDatabase>, studentId: string): Promise<void> {
  const links = await tx
    .selectFrom('student_guardians as sg')
    .innerJoin('guardians as g', 'g.id', 'sg.guardian_id')
    .select(['sg.pays_fees', 'g.phone', 'g.alt_phone'])
    .where('sg.student_id', '=', studentId)
    .where('sg.deleted', '=', 0)
    .where('g.deleted', '=', 0)
    .execute();
  const phones = guardianPhones(links.map((l) => ({ pays_fees: l.pays_fees === 1, phone: l.phone, alt_phone: l.alt_phone })));
  await tx.updateTable('students').set({ guardian_phone: phones }).where('id', '=', studentId).execute();
}

/**
 * Saves records of one table the way every editable change is made (DESIGN §3): in the caller's
 * transaction, one `*.save` mutation per 1,000 changed records is queued (before the rows
 * change, so the server's copies are kept for a refusal) and the rows are written here at once.
 * Returns the writes made (empty when nothing changed: no mutation is queued then).
 */
export async function saveRecords<T extends EditableTable>(
  tx: Transaction<LocalDatabase>,
  table: T,
  saves: readonly RecordSave<T>[],
  authorId: string,
): Promise<RecordWrite[]> {
  const writes = await planRecordWrites(tx, table, saves);
  const mutation = EDITABLE[table].mutation as MutationName;
  for (let i = 0; i < writes.length; i += MAX_RECORDS_PER_MUTATION) {
    const rows = writes.slice(i, i + MAX_RECORDS_PER_MUTATION);
    await appendMutation(tx, mutation, { rows } as MutationArgs<typeof mutation>, rows.map((r) => ({ table, id: r.id })), authorId);
    await writeRecordsLocally(tx, table, rows);
  }
  return writes;
}
