import type { Handlers } from '../../../shared/api/contract.js';
import { recordPayment } from '../commands/record-payment.js';
import { listPaymentsForStudent } from '../queries/payments.js';
import type { CoreContext } from './context.js';

export function paymentHandlers({ store, device, sync }: CoreContext): Pick<Handlers, 'payments.record' | 'payments.listForStudent'> {
  return {
    'payments.record': async (input) => {
      const payment = await recordPayment(store.db, input, device.device_name);
      sync.kick();
      return payment;
    },
    'payments.listForStudent': async ({ studentId }) => ({ rows: await listPaymentsForStudent(store.db, studentId) }),
  };
}
