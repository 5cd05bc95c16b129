import { sql } from 'kysely';
import { messageRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { messageReadId, type MessageReadRow } from '../../../shared/domain/messages.js';
import { allocateSeqs, appendChanges } from '../changes/append.js';
import { writeWireRows } from '../records/wire.js';
import { reject, type Applier } from './types.js';

/** A message from the author to active staff of this school: insert-only, the sender's name taken
 * from the staff row (never from the arguments). */
export const sendMessage: Applier<MutationArgs<'messages.send'>> = async ({ trx, device, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;
  if (!authorId) return reject('A message needs a signed-in sender; sign in, then resend it from Needs attention.');
  const sender = await trx.selectFrom('staff').select(['display_name', 'active']).where('tenant_id', '=', tenantId).where('id', '=', authorId).where('deleted', '=', false).executeTakeFirst();
  if (!sender || !sender.active) return reject('The sender of this message is not an active staff member of this school; nothing was sent.');

  const sameId = await trx.selectFrom('messages').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (sameId) return reject('A message with this id was already sent by another change; a message is sent once.');

  const wanted = [...new Set(args.toStaffIds)];
  const found = await trx
    .selectFrom('staff')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', wanted)
    .where('deleted', '=', false)
    .where('active', '=', true)
    .execute();
  const unknown = wanted.length - found.length;
  if (unknown > 0) {
    // Ids are not echoed: an answer never repeats an id that is not this school's.
    return reject(`${unknown} of the message's recipients ${unknown === 1 ? 'is' : 'are'} not active staff of this school (removed, disabled or not synced yet); choose the recipients again. Nothing was sent.`);
  }

  const row = messageRowFromArgs({ ...args, toStaffIds: wanted }, deviceId, authorId, sender.display_name);
  const seq = await allocateSeqs(trx, tenantId, 1);
  await writeWireRows(trx, tenantId, 'messages', [{ row, seq }], 'insert');
  await appendChanges(trx, tenantId, [{ seq, table: 'messages', rowId: row.id, op: 'insert', row }], { mutationId, deviceId, authorId });
  return { status: 'applied' };
};

/** The author read a message addressed to them; the first read counts, later ones change nothing. */
export const readMessage: Applier<MutationArgs<'messages.read'>> = async ({ trx, device, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;
  if (!authorId) return reject('Only a signed-in recipient can mark a message read; nothing was changed.');
  const { rows } = await sql<{ to_me: boolean }>`select to_staff_ids @> ${JSON.stringify([authorId])}::jsonb as to_me
    from messages where tenant_id = ${tenantId} and id = ${args.messageId}`.execute(trx);
  const message = rows[0];
  if (!message) return reject('That message does not exist in this school (it may not have synced yet); nothing was changed.');
  if (!message.to_me) return reject('Only a recipient of a message can mark it read; nothing was changed.');

  const id = messageReadId(args.messageId, authorId);
  const earlier = await trx.selectFrom('message_reads').select('id').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (earlier) return { status: 'applied' };

  const row: MessageReadRow = { id, message_id: args.messageId, staff_id: authorId, read_at: args.readAt };
  const seq = await allocateSeqs(trx, tenantId, 1);
  await writeWireRows(trx, tenantId, 'message_reads', [{ row, seq }], 'insert');
  await appendChanges(trx, tenantId, [{ seq, table: 'message_reads', rowId: id, op: 'insert', row }], { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
