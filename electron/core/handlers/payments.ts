import type { Handlers } from '../../../shared/api/contract.js';
import { recordPayment } from '../commands/record-payment.js';
import { listPaymentsForStudent } from '../queries/payments.js';
import { signedIn, type CoreContext } from './context.js';

export function paymentHandlers({ store, sync }: CoreContext): Pick<Handlers, 'payments.record' | 'payments.listForStudent'> {
  return {
    'payments.record': async (input, user) => {
      const payment = await recordPayment(store.db, input, signedIn(user));
      sync.kick();
      return payment;
    },
    'payments.listForStudent': async ({ studentId }) => ({ rows: await listPaymentsForStudent(store.db, studentId) }),
  };
}
