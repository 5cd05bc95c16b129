import type { Handlers } from '../../../shared/api/contract.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { studentStatement } from '../queries/statement.js';
import { paymentReceipt } from '../queries/receipt.js';
import { listPayments } from '../queries/payments-list.js';
import { listCharges } from '../queries/charges-list.js';
import { expenseCategories, listExpenses } from '../queries/expenses-list.js';
import { listArrears } from '../queries/arrears.js';
import { bursaryDashboard } from '../queries/dashboard.js';
import { settleStudents } from '../queries/ledger-positions.js';
import { withSqlite } from '../store/with-sqlite.js';
import type { CoreContext } from './context.js';

type BursaryReads =
  | 'students.statement'
  | 'payments.receipt'
  | 'ledger.payments'
  | 'ledger.charges'
  | 'ledger.arrears'
  | 'ledger.dashboard'
  | 'expenses.list'
  | 'expenses.categories';

/** What the bursary screens read; all of it derived from the ledger on this device, offline. */
export function bursaryReadHandlers({ store, device }: CoreContext): Pick<Handlers, BursaryReads> {
  const tz = device.time_zone;
  const today = () => schoolDate(new Date(), tz);
  return {
    'students.statement': ({ studentId }) => studentStatement(store.db, studentId, device),
    'payments.receipt': ({ paymentId }) => paymentReceipt(store.db, paymentId, device),
    'ledger.payments': (input) => listPayments(store.db, input, { timeZone: tz, deviceId: device.device_id, deviceName: device.device_name }),
    'ledger.charges': (input) => listCharges(store.db, input, tz),
    'ledger.arrears': (input) => listArrears(store.db, input, today(), (ids) => withSqlite(store, (sqlite) => settleStudents(sqlite, ids))),
    'ledger.dashboard': () => bursaryDashboard(store, device.currency, tz, today()),
    'expenses.list': (input) => listExpenses(store.db, input, tz),
    'expenses.categories': async () => ({ categories: await expenseCategories(store.db) }),
  };
}
