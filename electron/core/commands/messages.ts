import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { LocalDatabase } from '../store/database.js';
import { messageRowFromArgs, mutationArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { addressLabel, groupLabel, type MessageView, type Recipient, type SendMessageInput, type SentItem } from '../../../shared/domain/message-views.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { appendMutation } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';
import { readMessage } from '../queries/messages.js';
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

/** Who a message's recipients are, as ids, and how it was addressed ("All teachers, Jane Wanjiru").
 * A group means its active members other than the writer, as they are now; a person picked by
 * name must be on the staff list and active. */
async function expandRecipients(tx: Transaction<LocalDatabase>, to: readonly Recipient[], writer: SessionUser): Promise<{ ids: string[]; label: string }> {
  const staff = await tx.selectFrom('staff as s').leftJoin('roles as r', 'r.id', 's.role_id').select(['s.id', 's.display_name', 's.role_id', 's.active', 'r.name as roleName']).execute();
  const byId = new Map(staff.map((s) => [s.id, s]));
  const active = staff.filter((s) => s.active === 1 && s.id !== writer.id);
  const ids = new Set<string>();
  const groups: string[] = [];
  const people: string[] = [];
  for (const r of to) {
    if (r.kind === 'all') {
      if (active.length === 0) throw new AppError('invalid_input', 'There is no one else on the staff list yet. Sync, then try again.');
      active.forEach((s) => ids.add(s.id));
      groups.push('All staff');
    } else if (r.kind === 'role') {
      const role = await tx.selectFrom('roles').select('name').where('id', '=', r.id).executeTakeFirst();
      if (!role) throw new AppError('invalid_input', 'to: that group is not on this computer. Sync, then choose it again.');
      const members = active.filter((s) => s.role_id === r.id);
      if (members.length === 0) throw new AppError('invalid_input', `to: no one else is in "${groupLabel(role.name)}" yet. Choose people instead.`);
      members.forEach((s) => ids.add(s.id));
      groups.push(groupLabel(role.name));
    } else {
      const person = byId.get(r.id);
      if (!person) throw new AppError('invalid_input', 'to: that person is not on the staff list on this computer. Sync, then choose them again.');
      if (person.active !== 1) throw new AppError('invalid_input', `to: ${person.display_name}'s account is disabled, so they cannot read messages.`);
      if (!ids.has(person.id)) people.push(person.display_name);
      ids.add(person.id);
    }
  }
  const list = [...ids];
  if (list.length > 500) throw new AppError('invalid_input', `to: ${list.length} people is more than one message can go to (500). Send it to smaller groups.`);
  return { ids: list, label: addressLabel([...new Set(groups), ...people]) };
}

/** messages.send: written here at once (the sender's Sent), delivered on sync. */
export async function sendMessage(db: Kysely<LocalDatabase>, input: z.output<typeof SendMessageInput>, writer: SessionUser): Promise<SentItem> {
  const device = await requireDevice(db);
  return db.transaction().execute(async (tx) => {
    const to = await expandRecipients(tx, input.to, writer);
    const args = mutationArgs['messages.send'].parse({ id: uuidv7(), toStaffIds: to.ids, toLabel: to.label, subject: input.subject, body: input.body, sentAt: new Date().toISOString() });
    await appendMutation(tx, 'messages.send', args, [{ table: 'messages', id: args.id }], writer.id);
    await writeMessageLocally(tx, args, device.device_id, writer);
    return { id: args.id, toLabel: args.toLabel, subject: args.subject, sentAt: args.sentAt, recipientCount: args.toStaffIds.length, readCount: 0 };
  });
}

/** messages.open: the message, and for a recipient opening it for the first time, a read receipt
 * (messages.read, queued once). */
export async function openMessage(db: Kysely<LocalDatabase>, id: string, reader: SessionUser): Promise<{ view: MessageView; marked: boolean }> {
  return db.transaction().execute(async (tx) => {
    const { view, unreadByMe } = await readMessage(tx, id, reader.id);
    if (!unreadByMe) return { view, marked: false };
    const args = { messageId: id, readAt: new Date().toISOString() };
    await appendMutation(tx, 'messages.read', args, [], reader.id);
    await writeMessageReadLocally(tx, args, reader);
    return { view, marked: true };
  });
}
