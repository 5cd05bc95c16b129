import type { Handlers } from '../../../shared/api/contract.js';
import type { CoreContext } from './context.js';
import { appHandlers } from './app.js';
import { paymentHandlers } from './payments.js';
import { studentHandlers } from './students.js';
import { syncHandlers } from './sync.js';

export function createHandlers(ctx: CoreContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...studentHandlers(ctx),
    ...paymentHandlers(ctx),
    ...syncHandlers(ctx),
  };
}
