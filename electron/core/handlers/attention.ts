import type { Handlers } from '../../../shared/api/contract.js';
import { discardParked, fixParked, resendParked } from '../commands/needs-attention.js';
import { listParked } from '../queries/needs-attention.js';
import { signedIn, type CoreContext } from './context.js';

export function attentionHandlers({ store, sync }: CoreContext): Pick<Handlers, 'attention.list' | 'attention.resend' | 'attention.fix' | 'attention.discard'> {
  return {
    'attention.list': async () => ({ rows: await listParked(store.db) }),
    'attention.resend': async ({ id }, user) => {
      await resendParked(store.db, id, signedIn(user));
      sync.kick();
      return { resent: true as const };
    },
    'attention.fix': async ({ id, args }, user) => {
      await fixParked(store.db, id, args, signedIn(user));
      sync.kick();
      return { fixed: true as const };
    },
    'attention.discard': async ({ id }) => {
      await discardParked(store.db, id);
      return { discarded: true as const };
    },
  };
}
