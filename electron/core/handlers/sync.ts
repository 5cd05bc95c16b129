import type { Handlers } from '../../../shared/api/contract.js';
import type { CoreContext } from './context.js';

export function syncHandlers({ sync }: CoreContext): Pick<Handlers, 'sync.status' | 'sync.now'> {
  return {
    'sync.status': () => sync.status(),
    'sync.now': () => sync.syncNow(),
  };
}
