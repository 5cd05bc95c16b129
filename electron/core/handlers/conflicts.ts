import type { Handlers } from '../../../shared/api/contract.js';
import type { conflictsApi } from '../../../shared/api/conflicts-api.js';
import type { CoreContext } from './context.js';

export function conflictHandlers(_ctx: CoreContext): Pick<Handlers, keyof typeof conflictsApi> {
  return {};
}
