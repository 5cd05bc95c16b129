import { expenseApprovalRowFromArgs, expenseRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { formatMinor } from '../../../shared/money.js';
import { closedDayRefusal, schoolDateTime } from '../ledger/closed-day.js';
import { insertExpense, insertExpenseApproval } from '../ledger/rows.js';
import { reject, type Applier } from './types.js';

/** Records money the school spent: insert-only, in the school's currency, never into a day its
 * recorder already closed on this device. It waits for a second person's decision. */
export const recordExpense: Applier<MutationArgs<'expenses.record'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;

  const sameId = await trx.selectFrom('expenses').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (sameId) return reject('An expense with this id was already recorded by another change; an expense cannot be recorded twice under one id.');

  const { currency, timeZone } = school;
  if (args.currency !== currency) {
    return reject(`The expense of ${formatMinor(args.amountMinor, args.currency)} to ${args.payee} is in ${args.currency} but this school's currency is ${currency}; it was not recorded.`);
  }

  const closed = await closedDayRefusal(trx, tenantId, { deviceId, staffId: authorId, at: args.recordedAt, timeZone, what: 'expense' });
  if (closed) return reject(closed);

  await insertExpense(trx, tenantId, expenseRowFromArgs(args, deviceId, authorId), { mutationId, deviceId, authorId });
  return { status: 'applied' };
};

/**
 * A second person approves or rejects an expense: never the staff member who recorded it, once
 * per expense (a unique key holds that under concurrent pushes too), and not once it is voided.
 */
export const decideExpense: Applier<MutationArgs<'expenses.decide'>> = async ({ trx, device, school, mutationId, authorId }, args) => {
  const { tenantId, deviceId } = device;

  const sameId = await trx.selectFrom('expense_approvals').select('id').where('tenant_id', '=', tenantId).where('id', '=', args.id).executeTakeFirst();
  if (sameId) return reject('A decision with this id was already recorded by another change; it cannot be recorded twice under one id.');

  const expense = await trx
    .selectFrom('expenses as e')
    .leftJoin('staff as s', (j) => j.onRef('s.tenant_id', '=', 'e.tenant_id').onRef('s.id', '=', 'e.recorded_by_id'))
    .select(['e.category', 'e.payee', 'e.amount_minor', 'e.currency', 'e.recorded_by_id', 'e.recorded_by', 's.display_name'])
    .where('e.tenant_id', '=', tenantId)
    .where('e.id', '=', args.expenseId)
    .executeTakeFirst();
  // The id is not echoed: an answer never repeats an id that is not this school's.
  if (!expense) return reject('The expense to approve or reject does not exist in this school (check that it was recorded and has synced); nothing was changed.');
  const entry = `The ${expense.category} expense (${formatMinor(expense.amount_minor, expense.currency)} to ${expense.payee})`;

  if (authorId !== null && expense.recorded_by_id === authorId) {
    const recorder = expense.display_name ?? expense.recorded_by ?? 'the same person';
    return reject(`${entry} was recorded by ${recorder}, who cannot also approve or reject it; a second person must decide it. Nothing was changed.`);
  }

  const voided = await trx
    .selectFrom('voids')
    .select('reason')
    .where('tenant_id', '=', tenantId)
    .where('target_table', '=', 'expenses')
    .where('target_id', '=', args.expenseId)
    .executeTakeFirst();
  if (voided) return reject(`${entry} was voided (${voided.reason}); a voided expense is not approved or rejected. Nothing was changed.`);

  const earlier = await trx
    .selectFrom('expense_approvals as a')
    .leftJoin('staff as s', (j) => j.onRef('s.tenant_id', '=', 'a.tenant_id').onRef('s.id', '=', 'a.decided_by_id'))
    .select(['a.decision', 'a.decided_at', 'a.decided_by', 's.display_name'])
    .where('a.tenant_id', '=', tenantId)
    .where('a.expense_id', '=', args.expenseId)
    .executeTakeFirst();
  if (earlier) {
    const { timeZone } = school;
    const by = earlier.display_name ?? earlier.decided_by ?? 'an unknown staff member';
    return reject(`${entry} was already ${earlier.decision} by ${by} on ${schoolDateTime(earlier.decided_at, timeZone)}; an expense is decided once. Nothing was changed.`);
  }

  await insertExpenseApproval(trx, tenantId, expenseApprovalRowFromArgs(args, deviceId, authorId), { mutationId, deviceId, authorId });
  return { status: 'applied' };
};
