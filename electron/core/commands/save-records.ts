import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { EDITABLE, type EditableFields, type EditableTable } from '../../../shared/sync/editable.js';
import type { MutationArgs, MutationName } from '../../../shared/sync/mutations.js';
import { baseVersions, changedFields, EMPTY_META, MAX_RECORDS_PER_MUTATION, type RecordMeta } from '../../../shared/domain/records.js';
import { className } from '../../../shared/domain/classes.js';
import { guardianPhones } from '../../../shared/domain/students.js';
import { appendMutation } from '../outbox/outbox.js';
import { COLUMNS, decodeValue, encodeValue } from '../sync/row-codecs.js';

// Every statement here takes its rows as one JSON array (json_each) and is one of a few fixed
// texts per table, so a call costs a handful of statements however many records it saves: a
// bulk change of hundreds of students stays within the main process's 50 ms (DESIGN §2).

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

type Tx = Transaction<LocalDatabase>;
type Row = Record<string, unknown>;

/** What is worked out once per table: how each column is stored, the schema an edit is checked by. */
interface TableInfo {
  kinds: Map<string, 'plain' | 'bool' | 'json'>;
  fields: string[];
  columns: string[];
  partial: z.ZodObject;
}

const INFO = new Map<EditableTable, TableInfo>();
function info(table: EditableTable): TableInfo {
  let i = INFO.get(table);
  if (!i) {
    const schema = EDITABLE[table].fields;
    i = { kinds: new Map(COLUMNS[table].map((c) => [c.name, c.kind])), fields: Object.keys(schema.shape), columns: COLUMNS[table].map((c) => c.name), partial: schema.partial() };
    INFO.set(table, i);
  }
  return i;
}

function problemText(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join(' ');
}

const idsParam = (ids: Iterable<string>) => JSON.stringify([...ids]);

/** This device's copies of `ids` (tombstoned ones too): the base a write is diffed against. */
async function currentRows(tx: Tx, table: EditableTable, ids: readonly string[]): Promise<Map<string, Row>> {
  const { rows } = await sql<Row>`select * from ${sql.table(table)} where id in (select value from json_each(${idsParam(ids)}))`.execute(tx);
  return new Map(rows.map((r) => [String(r.id), r]));
}

/** The editable values of a stored row, as the wire carries them (booleans, arrays). */
function wireValues(t: TableInfo, row: Row): Row {
  const out: Row = {};
  for (const key of t.fields) out[key] = decodeValue(t.kinds.get(key), row[key]);
  out.deleted = row.deleted === 1;
  return out;
}

async function planWithRows<T extends EditableTable>(tx: Tx, table: T, saves: readonly RecordSave<T>[]): Promise<{ writes: RecordWrite[]; current: Map<string, Row> }> {
  const t = info(table);
  const schema = EDITABLE[table].fields;
  const current = await currentRows(tx, table, saves.map((s) => s.id));
  const writes: RecordWrite[] = [];
  for (const save of saves) {
    const row = current.get(save.id);
    const parsed = row ? t.partial.safeParse(save.values) : schema.safeParse(save.values);
    if (!parsed.success) throw new AppError('invalid_input', problemText(parsed.error));
    const values: Row = { ...(parsed.data as Row) };
    if (save.delete !== undefined) values.deleted = save.delete;
    else if (row && row.deleted === 1) values.deleted = false;
    const changed = row ? changedFields(wireValues(t, row), values) : values;
    if (Object.keys(changed).length === 0) continue;
    // The stored meta is the server's, checked when it was pulled.
    const meta = row ? (JSON.parse(String(row.meta)) as RecordMeta) : null;
    writes.push({ id: save.id, create: !row, fields: changed, base: baseVersions(meta, Object.keys(changed)) });
  }
  return { writes, current };
}

/**
 * Turns what a command wants saved into the rows of one `*.save` mutation: validates the values
 * (all fields for a new record, the given ones for an edit), drops those equal to this device's
 * copy, and attaches the version each was read at. Throws a specific `invalid_input` naming the
 * field when a value is bad; returns no rows when nothing changed.
 */
export async function planRecordWrites<T extends EditableTable>(tx: Tx, table: T, saves: readonly RecordSave<T>[]): Promise<RecordWrite[]> {
  return (await planWithRows(tx, table, saves)).writes;
}

/** Class names by id, for students' derived `class_name`. */
async function classNames(tx: Tx, ids: Set<string>): Promise<Map<string, string>> {
  if (ids.size === 0) return new Map();
  const { rows } = await sql<{ id: string; name: string }>`select id, name from classes where id in (select value from json_each(${idsParam(ids)}))`.execute(tx);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The derived columns a write changes (a class's name; a student's class name). */
function derivedColumns(table: EditableTable, merged: Row, fields: Row, names: Map<string, string>): Row {
  if (table === 'classes' && ('grade' in fields || 'stream' in fields)) return { name: className(String(merged.grade), String(merged.stream)) };
  if (table === 'students' && 'class_id' in fields) return { class_name: merged.class_id ? (names.get(String(merged.class_id)) ?? null) : null };
  return {};
}

/** Inserts new rows, one statement for all of them. */
async function insertRows(tx: Tx, table: EditableTable, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = info(table).columns;
  const picks = cols.map((c) => `j.value ->> '${c}'`).join(', ');
  await sql`insert into ${sql.table(table)} (${sql.raw(cols.join(', '))}) select ${sql.raw(picks)} from json_each(${JSON.stringify(rows)}) as j`.execute(tx);
}

/** Updates existing rows, one statement per set of changed columns; only those columns are
 * set, so search triggers fire only when a searched column changes. */
async function updateRows(tx: Tx, table: EditableTable, rows: Row[]): Promise<void> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = Object.keys(row).filter((k) => k !== 'id').sort().join(',');
    if (key === '') continue;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  for (const [key, group] of groups) {
    const sets = key.split(',').map((c) => `${c} = j.value ->> '${c}'`).join(', ');
    await sql`update ${sql.table(table)} set ${sql.raw(sets)} from json_each(${JSON.stringify(group)}) as j where ${sql.table(table)}.id = j.value ->> 'id'`.execute(tx);
  }
}

/**
 * Writes the rows of a `*.save` mutation into this device's tables (new or resent), with the
 * columns derived from them: a class's name, a student's class name and guardians' phones.
 * Versions (`meta`) are left as the server last sent them: they are what the next edit is based on.
 */
export async function writeRecordsLocally(tx: Tx, table: EditableTable, rows: readonly RecordWrite[], loaded?: Map<string, Row>): Promise<void> {
  const t = info(table);
  const current = loaded ?? (await currentRows(tx, table, rows.map((r) => r.id)));
  const merged = rows.map((w) => {
    const existing = current.get(w.id);
    return { ...(existing ? wireValues(t, existing) : { deleted: false }), ...w.fields };
  });
  const names = table === 'students' ? await classNames(tx, new Set(rows.flatMap((w, i) => ('class_id' in w.fields && merged[i]!.class_id ? [String(merged[i]!.class_id)] : [])))) : new Map<string, string>();
  const inserts: Row[] = [];
  const updates: Row[] = [];
  rows.forEach((write, i) => {
    const values: Row = { id: write.id };
    for (const [k, v] of Object.entries({ ...write.fields, ...derivedColumns(table, merged[i]!, write.fields, names) })) values[k] = k === 'deleted' ? (v ? 1 : 0) : encodeValue(t.kinds.get(k), v);
    if (current.has(write.id)) {
      updates.push(values);
      return;
    }
    const full: Row = { deleted: 0, meta: JSON.stringify(EMPTY_META) };
    for (const key of t.columns) full[key] ??= t.fields.includes(key) ? encodeValue(t.kinds.get(key), merged[i]![key]) : null;
    inserts.push({ ...full, ...values });
  });
  await insertRows(tx, table, inserts);
  await updateRows(tx, table, updates);
  await afterWrite(tx, table, rows, merged);
}

/** Keeps rows derived from these in step: students' class names when a class is renamed,
 * students' guardian phones when a guardian or a link changes. */
async function afterWrite(tx: Tx, table: EditableTable, rows: readonly RecordWrite[], merged: Row[]): Promise<void> {
  if (table === 'classes') {
    const renamed = rows.flatMap((w, i) => ('grade' in w.fields || 'stream' in w.fields ? [{ id: w.id, name: className(String(merged[i]!.grade), String(merged[i]!.stream)) }] : []));
    if (renamed.length > 0) {
      await sql`update students set class_name = j.value ->> 'name' from json_each(${JSON.stringify(renamed)}) as j where students.class_id = j.value ->> 'id'`.execute(tx);
    }
  }
  if (table === 'guardians') {
    const changed = rows.filter((w) => 'phone' in w.fields || 'alt_phone' in w.fields || 'deleted' in w.fields).map((w) => w.id);
    if (changed.length > 0) {
      const { rows: links } = await sql<{ student_id: string }>`select student_id from student_guardians where guardian_id in (select value from json_each(${idsParam(changed)})) and deleted = 0`.execute(tx);
      await refreshGuardianPhones(tx, new Set(links.map((l) => l.student_id)));
    }
  }
  if (table === 'student_guardians') await refreshGuardianPhones(tx, new Set(merged.map((m) => String(m.student_id))));
}

/** Sets the students' `guardian_phone` from their guardians (fee payers first), writing only
 * the students whose phones changed. */
async function refreshGuardianPhones(tx: Tx, studentIds: Set<string>): Promise<void> {
  if (studentIds.size === 0) return;
  const ids = idsParam(studentIds);
  const { rows: links } = await sql<{ student_id: string; pays_fees: number; phone: string | null; alt_phone: string | null }>`
    select sg.student_id, sg.pays_fees, g.phone, g.alt_phone from student_guardians sg join guardians g on g.id = sg.guardian_id
    where sg.student_id in (select value from json_each(${ids})) and sg.deleted = 0 and g.deleted = 0`.execute(tx);
  const { rows: students } = await sql<{ id: string; guardian_phone: string | null }>`select id, guardian_phone from students where id in (select value from json_each(${ids}))`.execute(tx);
  const byStudent = new Map<string, { pays_fees: boolean; phone: string | null; alt_phone: string | null }[]>();
  for (const l of links) {
    const link = { pays_fees: l.pays_fees === 1, phone: l.phone, alt_phone: l.alt_phone };
    const own = byStudent.get(l.student_id);
    if (own) own.push(link);
    else byStudent.set(l.student_id, [link]);
  }
  const changed = students.flatMap((s) => {
    const phones = guardianPhones(byStudent.get(s.id) ?? []);
    return phones === s.guardian_phone ? [] : [{ id: s.id, guardian_phone: phones }];
  });
  await updateRows(tx, 'students', changed);
}

/**
 * Saves records of one table the way every editable change is made (DESIGN §3): in the caller's
 * transaction, one `*.save` mutation per 1,000 changed records is queued (before the rows
 * change, so the server's copies are kept for a refusal) and the rows are written here at once.
 * Returns the writes made (empty when nothing changed: no mutation is queued then).
 */
export async function saveRecords<T extends EditableTable>(tx: Tx, table: T, saves: readonly RecordSave<T>[], authorId: string): Promise<RecordWrite[]> {
  const { writes, current } = await planWithRows(tx, table, saves);
  const mutation = EDITABLE[table].mutation as MutationName;
  for (let i = 0; i < writes.length; i += MAX_RECORDS_PER_MUTATION) {
    const rows = writes.slice(i, i + MAX_RECORDS_PER_MUTATION);
    await appendMutation(tx, mutation, { rows } as MutationArgs<typeof mutation>, rows.map((r) => ({ table, id: r.id })), authorId);
    await writeRecordsLocally(tx, table, rows, current);
  }
  return writes;
}
