import type { Handlers } from '../../../shared/api/contract.js';
import type { conflictsApi } from '../../../shared/api/conflicts-api.js';
import { resolveConflict } from '../commands/conflicts.js';
import { listConflicts, openConflictCount } from '../queries/conflicts.js';
import { signedIn, type CoreContext } from './context.js';

export function conflictHandlers({ store, device, sync }: CoreContext): Pick<Handlers, keyof typeof conflictsApi> {
  return {
    'conflicts.list': (input) => listConflicts(store.db, input.state, input.after, input.limit, device.device_id),
    'conflicts.openCount': async () => ({ count: await openConflictCount(store.db) }),
    'conflicts.resolve': async (input, user) => {
      const item = await resolveConflict(store.db, input, signedIn(user));
      sync.kick();
      return item;
    },
  };
}
