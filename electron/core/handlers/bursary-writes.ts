import type { Handlers } from '../../../shared/api/contract.js';
import { AppError } from '../../../shared/api/errors.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import type { StatementEntry } from '../../../shared/domain/fees.js';
import { applyStructure, saveStructure } from '../commands/fee-structures.js';
import { grantDiscount } from '../commands/discounts.js';
import { recordRefund } from '../commands/refunds.js';
import { decideExpense, recordExpense } from '../commands/expenses.js';
import { businessDateOf, closeCashUp } from '../commands/cashup.js';
import { tillOf } from '../commands/closed-day.js';
import { listStructures } from '../queries/structures.js';
import { cashUpView, listCashUps } from '../queries/cashup.js';
import { listTerms } from '../queries/terms.js';
import { studentStatement } from '../queries/statement.js';
import { signedIn, type CoreContext } from './context.js';

type BursaryWrites =
  | 'terms.list'
  | 'fees.structures'
  | 'fees.saveStructure'
  | 'fees.applyStructure'
  | 'discounts.grant'
  | 'refunds.record'
  | 'expenses.record'
  | 'expenses.decide'
  | 'cashup.preview'
  | 'cashup.close'
  | 'cashup.list';

/** The bursary's changes (each one a queued mutation, offline) and the few reads that belong
 * with them: terms, fee structures and the bursar's cash-up. */
export function bursaryWriteHandlers({ store, device, sync }: CoreContext): Pick<Handlers, BursaryWrites> {
  /** The statement line of an entry just written, as the student's statement shows it. */
  const statementLine = async (studentId: string, id: string): Promise<StatementEntry> => {
    const entry = (await studentStatement(store.db, studentId, device)).entries.find((e) => e.id === id);
    if (!entry) throw new AppError('internal', 'The entry was saved but could not be read back.');
    return entry;
  };
  const written = <T>(value: T): T => {
    sync.kick();
    return value;
  };
  return {
    'terms.list': () => listTerms(store.db, schoolDate(new Date(), device.time_zone)),
    'fees.structures': async () => ({ structures: await listStructures(store.db) }),
    'fees.saveStructure': async (input, user) => written(await saveStructure(store.db, signedIn(user), input)),
    'fees.applyStructure': async (input, user) => written(await applyStructure(store.db, signedIn(user), input)),
    'discounts.grant': async (input, user) => statementLine(input.studentId, written(await grantDiscount(store.db, signedIn(user), input))),
    'refunds.record': async (input, user) => statementLine(input.studentId, written(await recordRefund(store.db, signedIn(user), input))),
    'expenses.record': async (input, user) => written(await recordExpense(store.db, signedIn(user), input)),
    'expenses.decide': async (input, user) => written(await decideExpense(store.db, signedIn(user), input)),
    'cashup.preview': ({ businessDate }, user) => {
      const author = signedIn(user);
      return cashUpView(store.db, tillOf(device, author), author.displayName, device.device_name, businessDateOf(device, businessDate));
    },
    'cashup.close': async (input, user) => written(await closeCashUp(store.db, signedIn(user), input)),
    'cashup.list': ({ after, limit }) => listCashUps(store.db, after, limit, { id: device.device_id, name: device.device_name }),
  };
}
