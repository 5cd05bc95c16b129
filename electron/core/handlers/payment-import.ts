import type { Handlers } from '../../../shared/api/contract.js';
import { importPayments } from '../commands/import-payments.js';
import { signedIn, type CoreContext } from './context.js';

export function paymentImportHandlers({ store, sync }: CoreContext): Pick<Handlers, 'payments.importCsv'> {
  return {
    'payments.importCsv': async (input, user) => {
      const result = await importPayments(store.db, input, signedIn(user));
      if (result.recorded > 0) sync.kick();
      return result;
    },
  };
}
