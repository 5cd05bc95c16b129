import type { Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { MutationArgs } from '../../../shared/sync/mutations.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { AppError } from '../../../shared/api/errors.js';
import { isEditableTable } from '../../../shared/sync/editable.js';
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
