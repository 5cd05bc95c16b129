import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { mutationArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import type { ConflictResolution } from '../../../shared/domain/conflicts.js';
import type { ConflictItem } from '../../../shared/domain/conflict-views.js';
import { PERMISSION_LABELS } from '../../../shared/domain/permissions.js';
import { appendMutation } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';
import { describeConflicts } from '../queries/conflicts.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { AppError } from '../../../shared/api/errors.js';
import { EDITABLE, isEditableTable } from '../../../shared/sync/editable.js';
import { writeRecordsLocally } from './save-records.js';

/** The local effect of resolving a conflict (new or resent): the conflict shows as resolved, and
 * a restored value is put back in its record at once; the server re-checks and decides. */
export async function writeConflictResolutionLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'conflicts.resolve'>, author: SessionUser): Promise<void> {
  const conflict = await tx.selectFrom('record_conflicts').selectAll().where('id', '=', args.conflictId).executeTakeFirst();
  if (!conflict) throw new AppError('not_found', 'That conflict is not on this device. Sync, then try again.');
  if (conflict.resolved_at) throw new AppError('conflict', 'That conflict was already resolved.');
  await tx
    .updateTable('record_conflicts')
    .set({ resolved_at: args.resolvedAt, resolved_by: author.id, resolution: args.resolution })
    .where('id', '=', args.conflictId)
    .execute();
  if (args.resolution === 'restored' && conflict.kind === 'overwritten' && isEditableTable(conflict.table_name)) {
    const exists = await tx.selectFrom(conflict.table_name).select('id').where('id', '=', conflict.row_id).executeTakeFirst();
    if (exists) {
      await writeRecordsLocally(tx, conflict.table_name, [{ id: conflict.row_id, create: false, fields: { [conflict.field]: JSON.parse(conflict.lost_value) }, base: {} }]);
    }
  }
}

/** conflicts.resolve: keep the value the server kept, or put back the one it replaced. Needs the
 * permission that edits the conflict's record; a duplicate is fixed by editing one of the two
 * records, so it can only be marked as dealt with ("kept"). */
export async function resolveConflict(db: Kysely<LocalDatabase>, input: { id: string; resolution: ConflictResolution }, author: SessionUser): Promise<ConflictItem> {
  const device = await requireDevice(db);
  return db.transaction().execute(async (tx) => {
    const conflict = await tx.selectFrom('record_conflicts').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!conflict) throw new AppError('not_found', 'That conflict is not on this device. Sync, then try again.');
    const permission = isEditableTable(conflict.table_name) ? EDITABLE[conflict.table_name].permission : null;
    if (permission && !author.permissions.includes(permission)) {
      throw new AppError('forbidden', `Resolving this needs someone allowed to do this: ${PERMISSION_LABELS[permission]}.`);
    }
    if (conflict.kind === 'duplicate' && input.resolution === 'restored') {
      throw new AppError('invalid_input', 'Two records cannot both keep one admission number: change the number of one of them, then mark this as dealt with.');
    }
    const args = mutationArgs['conflicts.resolve'].parse({ conflictId: input.id, resolution: input.resolution, resolvedAt: new Date().toISOString() });
    const rows = [{ table: 'record_conflicts' as const, id: conflict.id }, ...(isEditableTable(conflict.table_name) ? [{ table: conflict.table_name, id: conflict.row_id }] : [])];
    await appendMutation(tx, 'conflicts.resolve', args, rows, author.id);
    await writeConflictResolutionLocally(tx, args, author);
    const updated = await tx.selectFrom('record_conflicts').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow();
    const [item] = await describeConflicts(tx, [updated], device.device_id);
    return item!;
  });
}
