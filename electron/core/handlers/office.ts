import type { Handlers } from '../../../shared/api/contract.js';
import type { officeApi } from '../../../shared/api/office-api.js';
import type { CoreContext } from './context.js';

export function officeHandlers(_ctx: CoreContext): Pick<Handlers, keyof typeof officeApi> {
  return {};
}
