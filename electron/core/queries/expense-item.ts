import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ExpenseListItem } from '../../../shared/domain/bursary-views.js';
import type { ExpenseStatus } from '../../../shared/domain/expenses.js';
import { isVoided } from './ledger-sql.js';

/**
 * Expenses as list rows, with their status derived from the ledger: voided when a void exists,
 * else the decision (the first, should two offices have decided offline before one is refused),
 * else pending. `pending` while the expense, its decision or its void is not yet acknowledged.
 * Lists add their own filters, order and paging.
 */
export function expenseItems(db: Kysely<LocalDatabase>) {
  return db
    .selectFrom('expenses as e')
    .leftJoin('expense_approvals as a', (join) =>
      join.onRef('a.expense_id', '=', 'e.id').on('a.id', '=', sql<string>`(select a2.id from expense_approvals a2 where a2.expense_id = e.id order by a2.decided_at, a2.id limit 1)`),
    )
    .select([
      'e.id',
      'e.category',
      'e.payee',
      'e.description',
      'e.amount_minor',
      'e.method',
      'e.reference',
      'e.spent_on',
      'e.attachments',
      'e.recorded_at',
      'e.recorded_by',
      'e.recorded_by_id',
      'a.decision',
      'a.decided_by',
      'a.note',
      isVoided('e.id').as('voided'),
      sql<number>`(exists (select 1 from outbox_rows o where o.table_name = 'expenses' and o.row_id = e.id)
        or exists (select 1 from expense_approvals a3 join outbox_rows o on o.table_name = 'expense_approvals' and o.row_id = a3.id where a3.expense_id = e.id)
        or exists (select 1 from voids v2 join outbox_rows o on o.table_name = 'voids' and o.row_id = v2.id where v2.target_id = e.id))`.as('pending'),
    ]);
}

export type ExpenseItemRow = Awaited<ReturnType<ReturnType<typeof expenseItems>['execute']>>[number];

export function toExpenseListItem(r: ExpenseItemRow): ExpenseListItem {
  const status: ExpenseStatus = r.voided === 1 ? 'voided' : (r.decision ?? 'pending');
  return {
    id: r.id,
    category: r.category,
    payee: r.payee,
    description: r.description,
    amountMinor: r.amount_minor,
    method: r.method,
    reference: r.reference,
    spentOn: r.spent_on,
    attachments: JSON.parse(r.attachments) as string[],
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    recordedById: r.recorded_by_id,
    status,
    decidedBy: r.decided_by ?? null,
    decisionNote: r.note ?? null,
    pending: r.pending === 1,
  };
}

export async function expenseItem(db: Kysely<LocalDatabase>, id: string): Promise<ExpenseListItem | undefined> {
  const row = await expenseItems(db).where('e.id', '=', id).executeTakeFirst();
  return row && toExpenseListItem(row);
}
