import type { Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { messageRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { messageReadId } from '../../../shared/domain/messages.js';
import type { SessionUser } from '../../../shared/domain/staff.js';

/** The local effect of sending a message (new or resent): it shows in the sender's Sent at once. */
export async function writeMessageLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'messages.send'>, deviceId: string, sender: SessionUser): Promise<void> {
  const row = messageRowFromArgs(args, deviceId, sender.id, sender.displayName);
  await tx
    .insertInto('messages')
    .values({ ...row, to_staff_ids: JSON.stringify(row.to_staff_ids) })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The local effect of opening a message: the first read is the one that counts. */
export async function writeMessageReadLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'messages.read'>, reader: SessionUser): Promise<void> {
  await tx
    .insertInto('message_reads')
    .values({ id: messageReadId(args.messageId, reader.id), message_id: args.messageId, staff_id: reader.id, read_at: args.readAt })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
