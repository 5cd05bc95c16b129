import type { Kysely, Transaction } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import type { ApiParsedInput } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import type { ExpenseListItem } from '../../../shared/domain/bursary-views.js';
import { expenseApprovalRowFromArgs, expenseRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import { appendMutation } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';
import { expenseItem } from '../queries/expense-item.js';
import { assertDayOpen, tillOf } from './closed-day.js';

// Expenses: money the school spent, insert-only and reversed by a void; a second person
// approves or rejects each one, never the person who recorded it.

/** The local effect of an expense (new or resent): not into a day the bursar has closed. */
export async function writeExpenseLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'expenses.record'>, device: Device, author: SessionUser): Promise<void> {
  await assertDayOpen(tx, tillOf(device, author), args.recordedAt, 'expenses');
  const row = expenseRowFromArgs(args, device.device_id, author.id);
  await tx.insertInto('expenses').values({ ...row, attachments: JSON.stringify(row.attachments) }).execute();
}

export async function recordExpense(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'expenses.record'>): Promise<ExpenseListItem> {
  const device = await requireDevice(db);
  const args: MutationArgs<'expenses.record'> = {
    id: uuidv7(),
    category: input.category,
    payee: input.payee,
    description: input.description,
    amountMinor: input.amountMinor,
    currency: device.currency,
    method: input.method,
    reference: input.reference ?? null,
    spentOn: input.spentOn,
    attachments: input.attachments,
    recordedAt: new Date().toISOString(),
    recordedBy: author.displayName,
  };
  await db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'expenses.record', args, [{ table: 'expenses', id: args.id }], author.id);
    await writeExpenseLocally(tx, args, device, author);
  });
  return (await expenseItem(db, args.id))!;
}

/** The local effect of a decision (new or resent): one per expense, not on a voided expense,
 * and never by the person who recorded it (the server checks the same). */
export async function writeDecisionLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'expenses.decide'>, deviceId: string, author: SessionUser): Promise<void> {
  const expense = await tx.selectFrom('expenses').select(['recorded_by_id', 'recorded_by', 'payee']).where('id', '=', args.expenseId).executeTakeFirst();
  if (!expense) throw new AppError('not_found', 'That expense is not on this device. Sync, then try again.');
  if (expense.recorded_by_id === author.id) {
    throw new AppError('forbidden', `You recorded this expense to ${expense.payee}, so someone else must approve or reject it.`);
  }
  const voided = await tx.selectFrom('voids').select('reason').where('target_id', '=', args.expenseId).executeTakeFirst();
  if (voided) throw new AppError('conflict', `This expense to ${expense.payee} was voided (${voided.reason}); there is nothing to approve or reject.`);
  const earlier = await tx
    .selectFrom('expense_approvals')
    .select(['decision', 'decided_by', 'decided_at'])
    .where('expense_id', '=', args.expenseId)
    .orderBy('decided_at')
    .executeTakeFirst();
  if (earlier) {
    throw new AppError('conflict', `This expense to ${expense.payee} was already ${earlier.decision} by ${earlier.decided_by ?? 'someone'} on ${earlier.decided_at.slice(0, 10)}.`);
  }
  await tx.insertInto('expense_approvals').values(expenseApprovalRowFromArgs(args, deviceId, author.id)).execute();
}

export async function decideExpense(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'expenses.decide'>): Promise<ExpenseListItem> {
  const device = await requireDevice(db);
  const args: MutationArgs<'expenses.decide'> = {
    id: uuidv7(),
    expenseId: input.expenseId,
    decision: input.decision,
    note: input.note,
    decidedAt: new Date().toISOString(),
    decidedBy: author.displayName,
  };
  await db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'expenses.decide', args, [{ table: 'expense_approvals', id: args.id }], author.id);
    await writeDecisionLocally(tx, args, device.device_id, author);
  });
  return (await expenseItem(db, args.expenseId))!;
}
