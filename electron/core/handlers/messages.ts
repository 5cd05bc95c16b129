import type { Handlers } from '../../../shared/api/contract.js';
import type { messagesApi } from '../../../shared/api/messages-api.js';
import type { CoreContext } from './context.js';

export function messageHandlers(_ctx: CoreContext): Pick<Handlers, keyof typeof messagesApi> {
  return {};
}
