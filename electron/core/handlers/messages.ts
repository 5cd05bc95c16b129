import type { Handlers } from '../../../shared/api/contract.js';
import type { messagesApi } from '../../../shared/api/messages-api.js';
import { openMessage, sendMessage } from '../commands/messages.js';
import { inboxPage, recipientChoices, sentPage, unreadCount } from '../queries/messages.js';
import { signedIn, type CoreContext } from './context.js';

export function messageHandlers({ store, sync }: CoreContext): Pick<Handlers, keyof typeof messagesApi> {
  return {
    'messages.recipients': (_input, user) => recipientChoices(store.db, signedIn(user).id),
    'messages.send': async (input, user) => {
      const sent = await sendMessage(store.db, input, signedIn(user));
      sync.kick();
      return sent;
    },
    'messages.inbox': (input, user) => inboxPage(store.db, signedIn(user).id, input.after, input.limit),
    'messages.sent': (input, user) => sentPage(store.db, signedIn(user).id, input.after, input.limit),
    'messages.open': async ({ id }, user) => {
      const { view, marked } = await openMessage(store.db, id, signedIn(user));
      if (marked) sync.kick();
      return view;
    },
    'messages.unreadCount': async (_input, user) => ({ count: await unreadCount(store.db, signedIn(user).id) }),
  };
}
