import type { Handlers } from '../../../shared/api/contract.js';
import type { reportsApi } from '../../../shared/api/reports-api.js';
import type { CoreContext } from './context.js';

export function reportHandlers(_ctx: CoreContext): Pick<Handlers, keyof typeof reportsApi> {
  return {};
}
