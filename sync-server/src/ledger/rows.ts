import type { ChargeRow, DiscountRow, FeeCategoryRow, FeeStructureRow, VoidRow } from '../../../shared/domain/fees.js';
import type { PaymentRow, RefundRow } from '../../../shared/domain/payments.js';
import type { ExpenseApprovalRow, ExpenseRow } from '../../../shared/domain/expenses.js';
import type { CashUpRow } from '../../../shared/domain/cashup.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import type { ChangeOp } from '../db/schema.js';
import { allocateSeqs, appendChange, appendChanges, type ChangeOrigin, type WriteWithSeq } from '../changes/append.js';
import type { TenantTrx } from '../db/with-tenant.js';

// Fee categories, structures and the ledger are written like every synced row: a new _seq and a
// change in the same transaction. Ledger rows are insert-only: nothing here updates or deletes
// them (and the app role could not). jsonb columns are written as JSON text.

const BATCH = 500;

/** Takes the next seq, writes the row with it and logs the row as that change, in one statement. */
async function logged(
  trx: TenantTrx,
  tenantId: string,
  change: { table: SyncedTable; op: ChangeOp; row: { id: string } },
  origin: ChangeOrigin,
  write: WriteWithSeq,
): Promise<void> {
  await appendChange(trx, tenantId, { table: change.table, rowId: change.row.id, op: change.op, row: change.row }, origin, write);
}

export async function insertFeeCategory(trx: TenantTrx, tenantId: string, row: FeeCategoryRow, origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'fee_categories', op: 'insert', row }, origin, (db, seq) =>
    db.insertInto('fee_categories').values({ tenant_id: tenantId, ...row, _seq: seq }),
  );
}

/** Saves a fee structure: a new one, or the latest version of an existing one. */
export async function saveFeeStructure(trx: TenantTrx, tenantId: string, row: FeeStructureRow, op: 'insert' | 'update', origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'fee_structures', op, row }, origin, (db, seq) => {
    const values = { class_name: row.class_name, term: row.term, items: JSON.stringify(row.items), active: row.active, _seq: seq };
    return op === 'insert'
      ? db.insertInto('fee_structures').values({ tenant_id: tenantId, id: row.id, ...values })
      : db.updateTable('fee_structures').set(values).where('tenant_id', '=', tenantId).where('id', '=', row.id);
  });
}

/** Appends charges, in batches (applying a structure to a school, or the demo, posts thousands). */
export async function insertCharges(trx: TenantTrx, tenantId: string, rows: readonly ChargeRow[], origin: ChangeOrigin): Promise<void> {
  if (rows.length === 0) return;
  const first = await allocateSeqs(trx, tenantId, rows.length);
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const seqOf = (i: number) => first + start + i;
    await trx
      .insertInto('charges')
      .values(batch.map((r, i) => ({ tenant_id: tenantId, ...r, _seq: seqOf(i) })))
      .execute();
    await appendChanges(
      trx,
      tenantId,
      batch.map((r, i) => ({ seq: seqOf(i), table: 'charges' as const, rowId: r.id, op: 'insert' as const, row: r })),
      origin,
    );
  }
}

export async function insertPayment(trx: TenantTrx, tenantId: string, row: PaymentRow, origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'payments', op: 'insert', row }, origin, (db, seq) =>
    db
      .insertInto('payments')
      .values({ tenant_id: tenantId, ...row, allocations: JSON.stringify(row.allocations), _seq: seq }),
  );
}

export async function insertDiscount(trx: TenantTrx, tenantId: string, row: DiscountRow, origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'discounts', op: 'insert', row }, origin, (db, seq) =>
    db.insertInto('discounts').values({ tenant_id: tenantId, ...row, _seq: seq }),
  );
}

export async function insertRefund(trx: TenantTrx, tenantId: string, row: RefundRow, origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'refunds', op: 'insert', row }, origin, (db, seq) =>
    db.insertInto('refunds').values({ tenant_id: tenantId, ...row, _seq: seq }),
  );
}

export async function insertExpense(trx: TenantTrx, tenantId: string, row: ExpenseRow, origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'expenses', op: 'insert', row }, origin, (db, seq) =>
    db
      .insertInto('expenses')
      .values({ tenant_id: tenantId, ...row, attachments: JSON.stringify(row.attachments), _seq: seq }),
  );
}

/** The (tenant, expense) unique key refuses a second decision, even from a transaction that
 * did not see the first. */
export async function insertExpenseApproval(trx: TenantTrx, tenantId: string, row: ExpenseApprovalRow, origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'expense_approvals', op: 'insert', row }, origin, (db, seq) =>
    db.insertInto('expense_approvals').values({ tenant_id: tenantId, ...row, _seq: seq }),
  );
}

/** The (tenant, device, staff, date) unique key refuses a second close of one day. */
export async function insertCashUp(trx: TenantTrx, tenantId: string, row: CashUpRow, origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'cash_ups', op: 'insert', row }, origin, (db, seq) =>
    db
      .insertInto('cash_ups')
      .values({ tenant_id: tenantId, ...row, expected: JSON.stringify(row.expected), counted: JSON.stringify(row.counted), _seq: seq }),
  );
}

/** Appends a void. The (tenant, target) unique key refuses a second void of the same entry,
 * even from a transaction that did not see the first. */
export async function insertVoid(trx: TenantTrx, tenantId: string, row: VoidRow, origin: ChangeOrigin): Promise<void> {
  await logged(trx, tenantId, { table: 'voids', op: 'insert', row }, origin, (db, seq) =>
    db.insertInto('voids').values({ tenant_id: tenantId, ...row, _seq: seq }),
  );
}
