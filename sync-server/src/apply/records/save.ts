import { sql } from 'kysely';
import { derivedId } from '../../../../shared/ids.js';
import { EMPTY_META, mergeFields, RecordMeta, type FieldConflict } from '../../../../shared/domain/records.js';
import type { ConflictRow } from '../../../../shared/domain/conflicts.js';
import { EDITABLE, type EditableTable } from '../../../../shared/sync/editable.js';
import { allocateSeqs, appendChanges, type Change, type ChangeOrigin } from '../../changes/append.js';
import { loadWireRows, writeWireRows } from '../../records/wire.js';
import { reject, type Applier, type ApplyContext, type ApplyOutcome } from '../types.js';
import { deriveOwnColumns, updateDependentStudents } from './derived.js';
import { NOUN, type Row } from './describe.js';
import { fieldPermissionProblem, ruleProblem, type PlannedRow } from './rules.js';

/** One row of a `*.save` mutation, as validated against the table's field schema. */
export interface RecordWriteArg {
  id: string;
  create: boolean;
  fields: Record<string, unknown>;
  base: Record<string, number>;
}

interface Planned extends PlannedRow {
  write: RecordWriteArg;
}

/** A conflict to raise, before it has its seq. */
type Raised = Omit<ConflictRow, 'id' | 'raised_at' | 'resolved_at' | 'resolved_by' | 'resolution'> & { key: string };

function overwritten(table: EditableTable, rowId: string, c: FieldConflict, ctx: ApplyContext): Raised {
  return {
    key: derivedId('record-conflict', ctx.mutationId, rowId, c.field),
    kind: 'overwritten',
    table_name: table,
    row_id: rowId,
    field: c.field,
    kept_value: JSON.stringify(c.keptValue),
    lost_value: JSON.stringify(c.lostValue),
    kept_by: ctx.authorId,
    kept_device: ctx.device.deviceId,
    lost_by: c.lostStamp.a,
    lost_device: c.lostStamp.d,
    other_row_id: null,
  };
}

/** Two live students given the same admission number (offline, on two devices): both are kept,
 * and each pair is raised for a person to settle. */
async function duplicateAdmissions(ctx: ApplyContext, rows: readonly Planned[]): Promise<Raised[]> {
  const checked = rows.filter((r) => r.merged.deleted !== true && (r.touched.has('admission_no') || r.touched.has('deleted')));
  if (checked.length === 0) return [];
  const numbers = [...new Set(checked.map((r) => String(r.merged.admission_no)))];
  const saved = new Set(rows.map((r) => r.id));
  const { rows: others } = await sql<{ id: string }>`select id from students
    where tenant_id = ${ctx.device.tenantId} and admission_no in (${sql.join(numbers)}) and not deleted`.execute(ctx.trx);
  const holders = await loadWireRows(ctx.trx, ctx.device.tenantId, 'students', others.map((o) => o.id).filter((id) => !saved.has(id)));
  const live = [...holders.values(), ...rows.filter((r) => r.merged.deleted !== true).map((r) => r.merged)];
  const raised: Raised[] = [];
  for (const r of checked) {
    for (const other of live) {
      if (other.id === r.id || other.admission_no !== r.merged.admission_no) continue;
      const stamp = RecordMeta.safeParse(other.meta).data?.f.admission_no;
      raised.push({
        key: derivedId('record-conflict', ctx.mutationId, r.id, 'admission_no', String(other.id)),
        kind: 'duplicate',
        table_name: 'students',
        row_id: r.id,
        field: 'admission_no',
        kept_value: JSON.stringify(r.merged.admission_no),
        lost_value: JSON.stringify(other.admission_no),
        kept_by: ctx.authorId,
        kept_device: ctx.device.deviceId,
        lost_by: stamp?.a ?? null,
        lost_device: stamp?.d ?? null,
        other_row_id: String(other.id),
      });
    }
  }
  return raised;
}

function missingFields(table: EditableTable, fields: Record<string, unknown>): string[] {
  return Object.keys(EDITABLE[table].fields.shape).filter((f) => fields[f] === undefined);
}

/**
 * Applies the rows of one `*.save` (DESIGN §3): loads the current rows in one query, merges each
 * write field by field in server order (mergeFields, with the seq this change takes), checks the
 * table's rules on the merged rows (any problem refuses the whole save: nothing is written),
 * writes the merged rows, raises a conflict for every overwritten field and duplicate admission
 * number, and keeps students' derived columns in step. Every row written is logged whole.
 */
export async function saveRecordRows(ctx: ApplyContext, table: EditableTable, writes: readonly RecordWriteArg[]): Promise<ApplyOutcome> {
  const { trx, device } = ctx;
  const { tenantId } = device;
  const def = EDITABLE[table];
  if (new Set(writes.map((w) => w.id)).size !== writes.length) {
    return reject(`The same ${NOUN[table]} appears twice in one save; nothing was changed.`);
  }
  const current = await loadWireRows(trx, tenantId, table, writes.map((w) => w.id));

  const planned: Planned[] = [];
  for (const write of writes) {
    const cur = current.get(write.id) ?? null;
    if (!cur && !write.create) {
      return reject(`That ${NOUN[table]} does not exist in this school (it may not have synced yet); nothing was changed.`);
    }
    if (!cur) {
      const missing = missingFields(table, write.fields);
      if (missing.length > 0) return reject(`A new ${NOUN[table]} must give every field; missing: ${missing.join(', ')}. Nothing was changed.`);
    }
    const meta = cur ? RecordMeta.parse(cur.meta) : null;
    const { patch } = mergeFields(cur, meta, write.fields, write.base, { seq: 0, deviceId: device.deviceId, authorId: ctx.authorId }, def.policy);
    if (cur && Object.keys(patch).length === 0) continue;
    const merged: Row = { ...(cur ?? { id: write.id, deleted: false, meta: EMPTY_META }), ...patch };
    const touched = !cur || patch.deleted === false ? new Set([...Object.keys(def.fields.shape), 'deleted']) : new Set(Object.keys(patch));
    planned.push({ id: write.id, current: cur, merged, touched, write });
  }
  if (planned.length === 0) return { status: 'applied' };

  await deriveOwnColumns(trx, tenantId, table, planned);
  const problem = (await fieldPermissionProblem(trx, tenantId, ctx.authorId, table, planned)) ?? (await ruleProblem(trx, tenantId, table, planned));
  if (problem) return reject(problem);
  const duplicates = table === 'students' ? await duplicateAdmissions(ctx, planned) : [];

  // Conflicts do not depend on the seq, so they are counted before the seqs are taken.
  const first = await allocateSeqs(trx, tenantId, planned.length + countConflicts(ctx, table, planned) + duplicates.length);
  const raised: Raised[] = [...duplicates];
  const rows = planned.map((p, i) => {
    const seq = first + i;
    const meta = p.current ? RecordMeta.parse(p.current.meta) : null;
    const merge = mergeFields(p.current, meta, p.write.fields, p.write.base, { seq, deviceId: device.deviceId, authorId: ctx.authorId }, def.policy);
    for (const c of merge.conflicts) raised.push(overwritten(table, p.id, c, ctx));
    p.merged.meta = merge.meta;
    return { row: p.merged, seq };
  });
  const origin: ChangeOrigin = { mutationId: ctx.mutationId, deviceId: device.deviceId, authorId: ctx.authorId };
  await writeWireRows(trx, tenantId, table, rows);
  const raisedAt = new Date().toISOString();
  const conflicts = raised.map((r, i) => {
    const { key, ...rest } = r;
    const row: ConflictRow = { id: key, ...rest, raised_at: raisedAt, resolved_at: null, resolved_by: null, resolution: null };
    return { row: row as Row, seq: first + planned.length + i };
  });
  await writeWireRows(trx, tenantId, 'record_conflicts', conflicts, 'insert');
  const changes: Change[] = [
    ...rows.map(({ row, seq }, i) => ({ seq, table, rowId: String(row.id), op: planned[i]!.current ? ('update' as const) : ('insert' as const), row })),
    ...conflicts.map(({ row, seq }) => ({ seq, table: 'record_conflicts' as const, rowId: String(row.id), op: 'insert' as const, row })),
  ];
  await appendChanges(trx, tenantId, changes, origin);
  await updateDependentStudents(trx, tenantId, table, planned, origin);
  return { status: 'applied' };
}

function countConflicts(ctx: ApplyContext, table: EditableTable, planned: readonly Planned[]): number {
  let n = 0;
  for (const p of planned) {
    const meta = p.current ? RecordMeta.parse(p.current.meta) : null;
    n += mergeFields(p.current, meta, p.write.fields, p.write.base, { seq: 0, deviceId: ctx.device.deviceId, authorId: ctx.authorId }, EDITABLE[table].policy).conflicts.length;
  }
  return n;
}

/** The applier of one table's `*.save` mutation. */
export function saveApplier(table: EditableTable): Applier<{ rows: RecordWriteArg[] }> {
  return (ctx, args) => saveRecordRows(ctx, table, args.rows);
}

