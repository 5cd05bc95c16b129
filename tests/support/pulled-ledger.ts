// Ledger rows as another office's device made them and the server sent them: each built from a
// mutation's arguments (validated by the contract's schema) with the shared row-from-args
// helper, then written by the real applyChanges, outbox-free. Tests of the read side use it to
// place entries at chosen times (due dates around today, payments either side of midnight).
import type { TestDevice } from './local-device.js';
import { applyChanges, validateChange } from '../../electron/core/sync/apply-changes.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';
import { uuidv7 } from '../../shared/ids.js';
import {
  chargeRowFromArgs,
  discountRowFromArgs,
  expenseApprovalRowFromArgs,
  expenseRowFromArgs,
  mutationArgs,
  paymentRowFromArgs,
  refundRowFromArgs,
  voidRowFromArgs,
} from '../../shared/sync/mutations.js';
import type { SyncedTable } from '../../shared/sync/protocol.js';
import type { PaymentMethod } from '../../shared/domain/payments.js';
import type { VoidableTable } from '../../shared/domain/fees.js';
import { TEST_CATEGORIES } from './local-device.js';

/** The other office computer these rows come from (named in the synced devices table). */
export const OTHER_DEVICE = { id: '0190d000-0000-7000-8000-0000000000aa', name: 'Accounts PC', receipt_series: 'ACC-D2' };

export interface PulledLedger {
  charge(c: { studentId: string; amountMinor: number; dueOn: string; postedAt: string; categoryId?: string; term?: string | null; description?: string }): Promise<string>;
  payment(p: {
    studentId: string;
    amountMinor: number;
    recordedAt: string;
    method?: PaymentMethod;
    reference?: string | null;
    allocations?: { chargeId: string; amountMinor: number }[];
    recordedById?: string | null;
    recordedBy?: string;
    deviceId?: string;
  }): Promise<{ id: string; receiptNo: string }>;
  discount(d: { studentId: string; amountMinor: number; postedAt: string; categoryId?: string | null; percentBp?: number | null; term?: string | null; reason?: string }): Promise<string>;
  refund(r: { studentId: string; amountMinor: number; refundedAt: string; method?: PaymentMethod; reference?: string | null; reason?: string }): Promise<string>;
  expense(e: { amountMinor: number; recordedAt: string; category?: string; method?: PaymentMethod; reference?: string | null; recordedById?: string | null; payee?: string }): Promise<string>;
  decide(expenseId: string, decision: 'approved' | 'rejected', decidedAt: string, note?: string): Promise<string>;
  void(table: VoidableTable, targetId: string, reason: string, voidedAt?: string): Promise<void>;
  rows(table: SyncedTable, rows: { id: string; [column: string]: unknown }[]): Promise<void>;
  /** Writes every row `work` makes in one pull (one transaction) instead of one pull each. */
  batch(work: () => Promise<void>): Promise<void>;
}

export function pulledLedger(device: TestDevice): PulledLedger {
  let seq = 1_000_000;
  let receipt = 0;
  const rows = (table: SyncedTable, list: { id: string }[]) =>
    withSqlite(device.core.store, (sqlite) =>
      sqlite.transaction(() => applyChanges(sqlite, list.map((row) => validateChange({ table, id: row.id, seq: ++seq, deleted: false, row }))))(),
    ).then(() => undefined);
  let queued: { table: SyncedTable; row: { id: string } }[] | null = null;
  const one = async (table: SyncedTable, row: { id: string }) => {
    if (queued) queued.push({ table, row });
    else await rows(table, [row]);
    return row.id;
  };
  return {
    rows,
    batch: async (work) => {
      queued = [];
      try {
        await work();
      } finally {
        const list = queued;
        queued = null;
        await withSqlite(device.core.store, (sqlite) =>
          sqlite.transaction(() => applyChanges(sqlite, list.map(({ table, row }) => validateChange({ table, id: row.id, seq: ++seq, deleted: false, row }))))(),
        );
      }
    },
    charge: (c) =>
      one(
        'charges',
        chargeRowFromArgs(
          mutationArgs['charges.post'].parse({
            id: uuidv7(),
            studentId: c.studentId,
            categoryId: c.categoryId ?? TEST_CATEGORIES[0]!.id,
            description: c.description ?? '',
            amountMinor: c.amountMinor,
            currency: 'KES',
            term: c.term ?? null,
            dueOn: c.dueOn,
            postedAt: c.postedAt,
            postedBy: 'Accounts Clerk',
          }),
          OTHER_DEVICE.id,
        ),
      ),
    payment: async (p) => {
      const receiptNo = `${OTHER_DEVICE.receipt_series}-${String(++receipt).padStart(6, '0')}`;
      const args = mutationArgs['payments.record'].parse({
        id: uuidv7(),
        studentId: p.studentId,
        amountMinor: p.amountMinor,
        currency: 'KES',
        method: p.method ?? 'cash',
        reference: p.reference ?? null,
        receiptNo,
        recordedAt: p.recordedAt,
        recordedBy: p.recordedBy ?? 'Accounts Clerk',
        allocations: p.allocations ?? [],
      });
      const id = await one('payments', paymentRowFromArgs(args, p.deviceId ?? OTHER_DEVICE.id, p.recordedById ?? null));
      return { id, receiptNo };
    },
    discount: (d) =>
      one(
        'discounts',
        discountRowFromArgs(
          mutationArgs['discounts.grant'].parse({
            id: uuidv7(),
            studentId: d.studentId,
            categoryId: d.categoryId ?? null,
            kind: 'discount',
            basis: d.percentBp ? 'percent' : 'fixed',
            percentBp: d.percentBp ?? null,
            amountMinor: d.amountMinor,
            term: d.term ?? null,
            reason: d.reason ?? 'Sibling discount',
            postedAt: d.postedAt,
            postedBy: 'Accounts Clerk',
          }),
          OTHER_DEVICE.id,
        ),
      ),
    refund: (r) =>
      one(
        'refunds',
        refundRowFromArgs(
          mutationArgs['refunds.record'].parse({
            id: uuidv7(),
            studentId: r.studentId,
            amountMinor: r.amountMinor,
            currency: 'KES',
            method: r.method ?? 'cash',
            reference: r.reference ?? null,
            reason: r.reason ?? 'Overpayment returned',
            refundedAt: r.refundedAt,
            refundedBy: 'Accounts Clerk',
          }),
          OTHER_DEVICE.id,
          null,
        ),
      ),
    expense: (e) =>
      one(
        'expenses',
        expenseRowFromArgs(
          mutationArgs['expenses.record'].parse({
            id: uuidv7(),
            category: e.category ?? 'Stationery',
            payee: e.payee ?? 'Text Book Centre',
            description: '',
            amountMinor: e.amountMinor,
            currency: 'KES',
            method: e.method ?? 'cash',
            reference: e.reference ?? null,
            spentOn: e.recordedAt.slice(0, 10),
            attachments: ['invoice.pdf'],
            recordedAt: e.recordedAt,
            recordedBy: 'Accounts Clerk',
          }),
          OTHER_DEVICE.id,
          e.recordedById ?? null,
        ),
      ),
    decide: (expenseId, decision, decidedAt, note = '') =>
      one(
        'expense_approvals',
        expenseApprovalRowFromArgs(mutationArgs['expenses.decide'].parse({ id: uuidv7(), expenseId, decision, note, decidedAt, decidedBy: 'Head Teacher Person' }), OTHER_DEVICE.id, null),
      ),
    void: async (table, targetId, reason, voidedAt = new Date().toISOString()) => {
      await one('voids', voidRowFromArgs(mutationArgs['ledger.void'].parse({ id: uuidv7(), targetTable: table, targetId, reason, voidedAt, voidedBy: 'Accounts Clerk' }), OTHER_DEVICE.id));
    },
  };
}
