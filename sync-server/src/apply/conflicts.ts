import { sql } from 'kysely';
import type { MutationArgs } from '../../../shared/sync/mutations.js';
import { RecordMeta, recordWrite } from '../../../shared/domain/records.js';
import type { ConflictRow } from '../../../shared/domain/conflicts.js';
import { EDITABLE, isEditableTable } from '../../../shared/sync/editable.js';
import { allocateSeqs, appendChanges } from '../changes/append.js';
import { loadStaffMember, refusal } from '../staff/authorise.js';
import { loadWireRows, wireRowSql } from '../records/wire.js';
import { NOUN } from './records/describe.js';
import { saveRecordRows, type RecordWriteArg } from './records/save.js';
import { reject, type Applier } from './types.js';

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Closes a conflict the server raised. 'kept' accepts what the merge kept; 'restored' writes the
 * replaced value back through the same merge path, only while the field still holds the kept value
 * (a later edit is not overwritten blindly). The author needs the permission of the record's table.
 */
export const resolveConflict: Applier<MutationArgs<'conflicts.resolve'>> = async (ctx, args) => {
  const { trx, device, mutationId, authorId } = ctx;
  const { tenantId, deviceId } = device;
  const { rows } = await sql<{ row: string }>`select (${wireRowSql('record_conflicts')})::text as row
    from record_conflicts where tenant_id = ${tenantId} and id = ${args.conflictId}`.execute(trx);
  if (!rows[0]) return reject('That conflict does not exist in this school (it may not have synced yet); nothing was changed.');
  const conflict = JSON.parse(rows[0].row) as ConflictRow;
  if (!isEditableTable(conflict.table_name)) return reject('That conflict is about a record Schoolhouse cannot edit; nothing was changed.');
  const table = conflict.table_name;

  const member = authorId ? await loadStaffMember(trx, tenantId, authorId) : undefined;
  const refused = refusal(member, EDITABLE[table].permission, authorId);
  if (refused) return reject(refused);

  // Settled already (on another device, or this one resent): nothing more to do.
  if (conflict.resolution !== null) return { status: 'applied' };

  if (args.resolution === 'restored') {
    if (conflict.kind === 'duplicate') {
      return reject('Two students with the same admission number cannot be "restored": give one of them another admission number, then mark this conflict kept.');
    }
    const record = (await loadWireRows(trx, tenantId, table, [conflict.row_id])).get(conflict.row_id);
    if (!record) return reject(`That ${NOUN[table]} no longer exists in this school; nothing was changed.`);
    if (!sameJson(record[conflict.field], JSON.parse(conflict.kept_value))) {
      return reject(`The ${conflict.field.replace(/_/g, ' ')} of this ${NOUN[table]} changed again since the conflict was raised; open the record and fix it by hand. Nothing was changed.`);
    }
    const version = RecordMeta.parse(record.meta).f[conflict.field]?.v ?? 0;
    // The replaced value is written like any edit, based on the version the field holds now.
    const parsed = recordWrite(EDITABLE[table].fields).safeParse({
      id: conflict.row_id,
      create: false,
      fields: { [conflict.field]: JSON.parse(conflict.lost_value) },
      base: { [conflict.field]: version },
    });
    if (!parsed.success) return reject(`The replaced ${conflict.field.replace(/_/g, ' ')} is no longer a valid value (${parsed.error.issues[0]?.message ?? 'invalid'}); open the record and fix it by hand. Nothing was changed.`);
    const outcome = await saveRecordRows(ctx, table, [parsed.data as RecordWriteArg]);
    if (outcome.status === 'rejected') return outcome;
  }

  const row: ConflictRow = { ...conflict, resolution: args.resolution, resolved_at: args.resolvedAt, resolved_by: authorId };
  const seq = await allocateSeqs(trx, tenantId, 1);
  await trx
    .updateTable('record_conflicts')
    .set({ resolution: row.resolution, resolved_at: row.resolved_at, resolved_by: row.resolved_by, _seq: seq })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', conflict.id)
    .execute();
  await appendChanges(trx, tenantId, [{ seq, table: 'record_conflicts', rowId: conflict.id, op: 'update', row }], { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
