import { z } from 'zod';

// What the Messages screen shows and sends. Messages are insert-only rows (messages.ts); these are
// the reader's views of them: an inbox, a sent list with read receipts, one opened message.

/** Who a message goes to: people picked one by one, everyone with a role, or all staff. Groups
 * are expanded to their active members when the message is written. */
export const Recipient = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), id: z.uuid({ error: 'Choose a person from the staff list.' }) }),
  z.object({ kind: z.literal('role'), id: z.uuid({ error: 'Choose a group from the list.' }) }),
  z.object({ kind: z.literal('all') }),
]);
export type Recipient = z.infer<typeof Recipient>;

export const SendMessageInput = z.object({
  to: z.array(Recipient).min(1, { error: 'Choose at least one recipient.' }).max(500, { error: 'At most 500 recipients.' }),
  subject: z.string().trim().min(1, { error: 'Give the message a subject.' }).max(150, { error: 'A subject can have at most 150 characters.' }),
  body: z.string().max(5000, { error: 'A message can have at most 5,000 characters.' }),
});
export type SendMessageInput = z.input<typeof SendMessageInput>;

export const RecipientChoices = z.object({
  staff: z.array(z.object({ id: z.string(), name: z.string(), roleName: z.string().nullable() })),
  /** Roles with at least one active member besides the writer, and all staff. */
  groups: z.array(z.object({ kind: z.enum(['role', 'all']), id: z.string().nullable(), label: z.string(), count: z.int() })),
});
export type RecipientChoices = z.infer<typeof RecipientChoices>;

/** Keyset cursor of both lists: newest first on (sent_at, id). */
export const MessageCursor = z.object({ sentAt: z.string(), id: z.string() });
export type MessageCursor = z.infer<typeof MessageCursor>;

export const MessagesListInput = z.object({ after: MessageCursor.nullable().default(null), limit: z.int().min(1).max(200).default(50) });

export const InboxItem = z.object({
  id: z.string(),
  senderName: z.string(),
  toLabel: z.string(),
  subject: z.string(),
  /** The start of the body, on one line. */
  preview: z.string(),
  sentAt: z.string(),
  read: z.boolean(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export const SentItem = z.object({
  id: z.string(),
  toLabel: z.string(),
  subject: z.string(),
  sentAt: z.string(),
  recipientCount: z.int(),
  readCount: z.int(),
});
export type SentItem = z.infer<typeof SentItem>;

export const InboxPage = z.object({ rows: z.array(InboxItem), next: MessageCursor.nullable() });
export const SentPage = z.object({ rows: z.array(SentItem), next: MessageCursor.nullable() });

/** An opened message; read receipts (who read it, when) only for its sender. */
export const MessageView = z.object({
  id: z.string(),
  senderId: z.string(),
  senderName: z.string(),
  toLabel: z.string(),
  subject: z.string(),
  body: z.string(),
  sentAt: z.string(),
  receipts: z.array(z.object({ staffId: z.string(), name: z.string(), readAt: z.string().nullable() })).nullable(),
});
export type MessageView = z.infer<typeof MessageView>;

export const PREVIEW_CHARS = 120;

export function preview(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
}

/** "All teachers" for the role "Teacher". */
export function groupLabel(roleName: string): string {
  const lower = roleName.trim().toLowerCase();
  return `All ${lower.endsWith('s') ? lower : `${lower}s`}`;
}

/** How a message was addressed, as its recipients will read it ("All teachers, Jane Wanjiru"). */
export function addressLabel(parts: readonly string[]): string {
  const text = parts.join(', ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
