import type { Handlers } from '../../../shared/api/contract.js';
import { AppError } from '../../../shared/api/errors.js';
import { createCategory, postCharge, voidEntry } from '../commands/ledger.js';
import { studentStatement } from '../queries/statement.js';
import { signedIn, type CoreContext } from './context.js';

export function feeHandlers({ store, device, sync }: CoreContext): Pick<
  Handlers,
  'fees.categories' | 'fees.createCategory' | 'charges.post' | 'ledger.void'
> {
  return {
    'fees.categories': async () => {
      const rows = await store.db.selectFrom('fee_categories').selectAll().orderBy('name').execute();
      return { categories: rows.map((r) => ({ ...r, active: r.active === 1 })) };
    },
    'fees.createCategory': async ({ name }, user) => {
      const category = await createCategory(store.db, signedIn(user), name);
      sync.kick();
      return category;
    },
    'charges.post': async (input, user) => {
      const id = await postCharge(store.db, signedIn(user), input);
      sync.kick();
      const entry = (await studentStatement(store.db, input.studentId, device)).entries.find((e) => e.id === id);
      if (!entry) throw new AppError('internal', 'The charge was saved but could not be read back.');
      return entry;
    },
    'ledger.void': async ({ targetTable, targetId, reason }, user) => {
      await voidEntry(store.db, signedIn(user), targetTable, targetId, reason);
      sync.kick();
      return { voided: true as const };
    },
  };
}
