import { z } from 'zod';
import { derivedId } from '../ids.js';

/** A message between staff: insert-only (written offline, delivered on sync). A message to a
 * group is addressed to the group's members as they were when it was written; `to_label` keeps
 * how the sender addressed it ("All teachers"). */
export const MessageRow = z.object({
  id: z.uuid(),
  sender_id: z.uuid(),
  sender_name: z.string().max(80),
  to_staff_ids: z.array(z.uuid()).min(1).max(500),
  to_label: z.string().max(200),
  subject: z.string().trim().min(1, { error: 'Give the message a subject.' }).max(150),
  body: z.string().max(5000, { error: 'A message can have at most 5,000 characters.' }),
  sent_at: z.string(),
  device_id: z.uuid(),
});
export type MessageRow = z.infer<typeof MessageRow>;

/** A read receipt: the first time a recipient opened a message (insert-only, one per pair). */
export const MessageReadRow = z.object({
  id: z.uuid(),
  message_id: z.uuid(),
  staff_id: z.uuid(),
  read_at: z.string(),
});
export type MessageReadRow = z.infer<typeof MessageReadRow>;

export function messageReadId(messageId: string, staffId: string): string {
  return derivedId('message-read', messageId, staffId);
}
