import { z } from 'zod';
import type { MethodTable } from './access.js';
import { InboxPage, MessagesListInput, MessageView, RecipientChoices, SendMessageInput, SentItem, SentPage } from '../domain/message-views.js';

/** Messages between staff (issue 5): every signed-in person has an inbox; only their own. */
export const messagesApi = {
  'messages.recipients': { access: 'signed-in', input: z.object({}).strict(), output: RecipientChoices },
  /** Written here at once (the sender's Sent), delivered when this computer syncs. */
  'messages.send': { access: 'signed-in', input: SendMessageInput, output: SentItem },
  'messages.inbox': { access: 'signed-in', input: MessagesListInput, output: InboxPage },
  'messages.sent': { access: 'signed-in', input: MessagesListInput, output: SentPage },
  /** Opens one of the signed-in person's messages; the first opening by a recipient marks it read. */
  'messages.open': { access: 'signed-in', input: z.object({ id: z.uuid() }), output: MessageView },
  'messages.unreadCount': { access: 'signed-in', input: z.object({}).strict(), output: z.object({ count: z.int().nonnegative() }) },
} as const satisfies MethodTable;
