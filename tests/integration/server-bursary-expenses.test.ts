// Expenses with a second person's decision, and the bursar's cash-up that closes a day, on the
// sync server: the rules accepted and refused (a refusal changes nothing, a replay gets the same
// answer), the races two offices can run, and the closed day on the school's calendar. Both
// backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CashUpRow } from '../../shared/domain/cashup.js';
import { ExpenseApprovalRow, ExpenseRow } from '../../shared/domain/expenses.js';
import { uuidv7 } from '../../shared/ids.js';
import { formatMinor } from '../../shared/money.js';
import { cashUpRowFromArgs, expenseApprovalRowFromArgs, expenseRowFromArgs, type MutationArgs } from '../../shared/sync/mutations.js';
import { allocateSeqs } from '../../sync-server/src/changes/append.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { BACKENDS, backendSkipped } from '../support/sync-server.js';
import {
  applied,
  as,
  cashUpArgs,
  changesOf,
  closeBursaryServer,
  count,
  decideArgs,
  expenseArgs,
  openBursaryServer,
  paymentArgs,
  push,
  refundArgs,
  refused,
  shapedRow,
  totals,
  voidArgs,
  type BursaryServer,
} from '../support/server-bursary.js';

const KES = (minor: number) => formatMinor(minor, 'KES').replace(/\s/g, '\\s');

describe.each(BACKENDS)('expenses and cash-ups on the server (%s)', (kind) => {
  if (backendSkipped(kind)) return;

  let h: BursaryServer;
  beforeAll(async () => {
    h = await openBursaryServer(kind);
  });
  afterAll(async () => {
    await closeBursaryServer(h);
  });

  const bursar = <K extends Parameters<typeof as>[0]>(name: K, args: MutationArgs<K>) => as(name, args, h.staff.bursar);
  async function recorded(o: Partial<MutationArgs<'expenses.record'>> = {}, authorId = h.staff.bursar): Promise<string> {
    const args = expenseArgs(o);
    await applied(h, as('expenses.record', args, authorId));
    return args.id;
  }

  describe('expenses.record', () => {
    it('records the expense as expenseRowFromArgs writes it, with the author as recorded_by_id', async () => {
      const args = expenseArgs({ method: 'bank_transfer', reference: 'FT2608-771', attachments: ['invoice-0423.pdf', 'delivery note.jpg'] });
      const m = bursar('expenses.record', args);
      await applied(h, m);
      const row = expenseRowFromArgs(args, h.office.deviceId, h.staff.bursar);
      expect(row.recorded_by_id).toBe(h.staff.bursar);
      expect(await changesOf(h, 'expenses', args.id)).toEqual([{ op: 'insert', row, author_id: h.staff.bursar, device_id: h.office.deviceId, mutation_id: m.id }]);
      expect(ExpenseRow.parse(await shapedRow(h, h.office, 'expenses', args.id))).toEqual(row);
    });

    it("refuses another currency, a second expense under one id, and people whose role may not record expenses", async () => {
      await refused(h, bursar('expenses.record', expenseArgs({ currency: 'USD', amountMinor: 10_000 })), /^The expense of .*100\.00 to Kilima Stationers is in USD but this school's currency is KES; it was not recorded\.$/);
      const id = await recorded();
      await refused(h, bursar('expenses.record', expenseArgs({ id, amountMinor: 1 })), /^An expense with this id was already recorded by another change/);
      await refused(h, as('expenses.record', expenseArgs(), h.staff.teacher), /^Mary Achieng may no longer record expenses \(role Teacher\)/);
      await refused(h, as('expenses.record', expenseArgs(), h.staff.head), /^Joseph Kariuki may no longer record expenses \(role Head teacher\)/);
    });

    it('refuses an attachment with a folder, and a zero amount, as invalid arguments', async () => {
      await refused(h, bursar('expenses.record', expenseArgs({ attachments: ['C:\\Users\\bursar\\invoice.pdf'] })), /^Invalid arguments for expenses.record: attachments.0: An attachment is a file name/);
      await refused(h, bursar('expenses.record', expenseArgs({ amountMinor: 0 })), /^Invalid arguments for expenses.record: amountMinor: Amount must be greater than zero\.$/);
    });
  });

  describe('expenses.decide', () => {
    it('a second person approves: stored as expenseApprovalRowFromArgs writes it, by the author', async () => {
      const expense = await recorded();
      const args = decideArgs(expense, 'approved', { note: 'Receipt checked' });
      const m = as('expenses.decide', args, h.staff.head);
      await applied(h, m);
      const row = expenseApprovalRowFromArgs(args, h.office.deviceId, h.staff.head);
      expect(await changesOf(h, 'expense_approvals', args.id)).toEqual([{ op: 'insert', row, author_id: h.staff.head, device_id: h.office.deviceId, mutation_id: m.id }]);
      expect(ExpenseApprovalRow.parse(await shapedRow(h, h.office, 'expense_approvals', args.id))).toEqual(row);
      // Decided once: a second decision, either way, is refused with who decided and when.
      const reason = await refused(h, as('expenses.decide', decideArgs(expense, 'rejected'), h.staff.admin), new RegExp(`^The Stationery expense \\(${KES(45_000)} to Kilima Stationers\\) was already approved by Joseph Kariuki on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}; an expense is decided once\\. Nothing was changed\\.$`));
      expect(reason).not.toContain(expense);
    });

    it('the person who recorded an expense may not decide it, even holding the permission', async () => {
      const expense = await recorded({ category: 'Repairs', payee: 'Juma Fundi', amountMinor: 128_000 }, h.staff.admin);
      await refused(h, as('expenses.decide', decideArgs(expense), h.staff.admin), new RegExp(`^The Repairs expense \\(${KES(128_000)} to Juma Fundi\\) was recorded by Head of KHS, who cannot also approve or reject it; a second person must decide it\\. Nothing was changed\\.$`));
      await applied(h, as('expenses.decide', decideArgs(expense, 'rejected', { note: 'Get a second quote' }), h.staff.head));
      const stored = await h.server.db.selectFrom('expense_approvals').select(['decision', 'decided_by_id']).where('expense_id', '=', expense).executeTakeFirstOrThrow();
      expect(stored).toEqual({ decision: 'rejected', decided_by_id: h.staff.head });
    });

    it('a bursar may not approve (no permission); an unknown expense is refused without repeating its id', async () => {
      const expense = await recorded({}, h.staff.secondBursar);
      await refused(h, as('expenses.decide', decideArgs(expense), h.staff.bursar), /^Peter Otieno may no longer approve or reject expenses \(role Bursar\)/);
      const guessed = uuidv7();
      const reason = await refused(h, as('expenses.decide', decideArgs(guessed), h.staff.head), /^The expense to approve or reject does not exist in this school/);
      expect(reason).not.toContain(guessed);
    });

    it('a voided expense is neither approved nor rejected', async () => {
      const expense = await recorded({ amountMinor: 7_700 });
      await applied(h, bursar('ledger.void', voidArgs('expenses', expense, 'paid from petty cash twice')));
      await refused(h, as('expenses.decide', decideArgs(expense), h.staff.head), new RegExp(`^The Stationery expense \\(${KES(7_700)} to Kilima Stationers\\) was voided \\(paid from petty cash twice\\); a voided expense is not approved or rejected\\.`));
    });

    it('two people deciding the same expense at the same moment: exactly one decision stands', async () => {
      const expense = await recorded({ amountMinor: 9_900 });
      const [a, b] = await Promise.all([
        push(h, h.office, [as('expenses.decide', decideArgs(expense, 'approved'), h.staff.head)]),
        push(h, h.otherOffice, [as('expenses.decide', decideArgs(expense, 'rejected'), h.staff.admin)]),
      ]);
      expect([a[0]!.status, b[0]!.status].sort()).toEqual(['applied', 'rejected']);
      expect([a[0], b[0]].find((r) => r!.status === 'rejected')).toMatchObject({ reason: expect.stringMatching(/was already (approved by Joseph Kariuki|rejected by Head of KHS) on /) });
      expect(await h.server.db.selectFrom('expense_approvals').select('id').where('expense_id', '=', expense).execute()).toHaveLength(1);
    });

    it('the database holds one decision per expense too', async () => {
      const decided = await h.server.db.selectFrom('expense_approvals').select('expense_id').where('tenant_id', '=', h.school.tenantId).limit(1).executeTakeFirstOrThrow();
      await expect(
        withTenant(h.server.db, h.school.tenantId, async (trx) => {
          const seq = await allocateSeqs(trx, h.school.tenantId, 1);
          await trx
            .insertInto('expense_approvals')
            .values({ tenant_id: h.school.tenantId, id: uuidv7(), expense_id: decided.expense_id, decision: 'approved', note: '', decided_at: new Date().toISOString(), decided_by: null, decided_by_id: null, device_id: h.office.deviceId, _seq: seq })
            .execute();
        }),
      ).rejects.toThrow(/expense_approvals_expense_uq|duplicate key/);
    });
  });

  describe('cashup.close and the closed day', () => {
    // 2026-03-10 in Nairobi (UTC+3) runs from 2026-03-09T21:00Z to 2026-03-10T21:00Z.
    const DAY = '2026-03-10';
    const during = '2026-03-10T06:00:00.000Z';
    const closedAt = '2026-03-10T15:00:00.000Z';

    it('closes the author\'s day on this device: the expected figures as the device sent them, the author as staff, the difference', async () => {
      const args = cashUpArgs(DAY, { expected: totals({ cash: 150_000, mobile_money: 80_000 }), counted: totals({ cash: 149_000, mobile_money: 80_000 }), note: 'Short by 1,000', closedAt });
      const m = bursar('cashup.close', { ...args, staffId: h.staff.head } as MutationArgs<'cashup.close'>);
      await applied(h, m);
      const row = cashUpRowFromArgs(args, h.office.deviceId, h.staff.bursar);
      expect(row).toMatchObject({ staff_id: h.staff.bursar, difference_minor: -1_000, business_date: DAY });
      expect(await changesOf(h, 'cash_ups', args.id)).toEqual([{ op: 'insert', row, author_id: h.staff.bursar, device_id: h.office.deviceId, mutation_id: m.id }]);
      expect(CashUpRow.parse(await shapedRow(h, h.office, 'cash_ups', args.id))).toEqual(row);
    });

    it('refuses closing the same day twice, saying when it was closed', async () => {
      await refused(h, bursar('cashup.close', cashUpArgs(DAY)), /^Peter Otieno's day 2026-03-10 on this computer was already closed at 2026-03-10 18:00; a day is closed once\. Nothing was changed\.$/);
    });

    it('once closed, a payment, refund or expense of that bursar into that day on this computer is refused; nothing is saved', async () => {
      const closed = (what: string) =>
        new RegExp(`^Peter Otieno's day 2026-03-10 on this computer was closed by a cash-up at 2026-03-10 18:00; a ${what} cannot be added to a closed day, so this one was not recorded\\. Discard it from Needs attention and record it again today\\.$`);
      await refused(h, bursar('payments.record', paymentArgs(h.office, h.students.amani, { recordedAt: during })), closed('payment'));
      // The school's calendar decides the day: 00:30 in Nairobi is already 2026-03-10.
      await refused(h, bursar('payments.record', paymentArgs(h.office, h.students.amani, { recordedAt: '2026-03-09T21:30:00.000Z' })), closed('payment'));
      await refused(h, bursar('refunds.record', refundArgs(h.students.amani, { refundedAt: during })), closed('refund'));
      await refused(h, bursar('expenses.record', expenseArgs({ recordedAt: '2026-03-10T18:00:00+03:00' })), closed('expense'));
    });

    it('the closed day binds only that bursar, on that computer, on that day', async () => {
      const before = await count(h, 'payments');
      await applied(h, bursar('payments.record', paymentArgs(h.otherOffice, h.students.amani, { recordedAt: during })), h.otherOffice);
      await applied(h, as('payments.record', paymentArgs(h.office, h.students.amani, { recordedAt: during }), h.staff.admin));
      // 2026-03-10T22:30Z is 01:30 on 2026-03-11 in Nairobi: the next day, still open.
      await applied(h, bursar('payments.record', paymentArgs(h.office, h.students.amani, { recordedAt: '2026-03-10T22:30:00.000Z' })));
      await applied(h, as('expenses.record', expenseArgs({ recordedAt: during }), h.staff.admin));
      expect(await count(h, 'payments')).toBe(before + 3);
    });

    it('the same bursar may close that day on another computer, another bursar on this one, and this bursar another day', async () => {
      await applied(h, bursar('cashup.close', cashUpArgs(DAY)), h.otherOffice);
      await applied(h, as('cashup.close', cashUpArgs(DAY, { staffName: 'Lucy Njeri' }), h.staff.secondBursar));
      await applied(h, bursar('cashup.close', cashUpArgs('2026-03-11')));
    });

    it('what was recorded before the close arrives before it (a device pushes in order), so both are applied', async () => {
      const day = '2026-03-20';
      const payment = paymentArgs(h.office, h.students.dennis, { recordedAt: '2026-03-20T10:00:00+03:00' });
      const expense = expenseArgs({ recordedAt: '2026-03-20T11:00:00+03:00' });
      const results = await push(h, h.office, [
        bursar('payments.record', payment),
        bursar('expenses.record', expense),
        bursar('cashup.close', cashUpArgs(day, { expected: totals({ cash: payment.amountMinor - expense.amountMinor }), counted: totals({ cash: payment.amountMinor - expense.amountMinor }) })),
        bursar('payments.record', paymentArgs(h.office, h.students.dennis, { recordedAt: '2026-03-20T17:00:00+03:00' })),
      ]);
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'rejected']);
    });

    it('two closes of one day pushed at the same moment: exactly one cash-up is kept', async () => {
      const day = '2026-04-02';
      const [a, b] = await Promise.all([push(h, h.office, [bursar('cashup.close', cashUpArgs(day))]), push(h, h.office, [bursar('cashup.close', cashUpArgs(day))])]);
      expect([a[0]!.status, b[0]!.status].sort()).toEqual(['applied', 'rejected']);
      expect([a[0], b[0]].find((r) => r!.status === 'rejected')).toMatchObject({ reason: expect.stringMatching(/^Peter Otieno's day 2026-04-02 on this computer was already closed at /) });
      const kept = await h.server.db.selectFrom('cash_ups').select('id').where('tenant_id', '=', h.school.tenantId).where('device_id', '=', h.office.deviceId).where('staff_id', '=', h.staff.bursar).execute();
      expect(kept).toHaveLength(4);
    });

    it('refuses a teacher, and a negative count, before anything is saved', async () => {
      await refused(h, as('cashup.close', cashUpArgs('2026-05-05'), h.staff.teacher), /^Mary Achieng may no longer record payments \(role Teacher\)/);
      await refused(h, bursar('cashup.close', cashUpArgs('2026-05-05', { counted: totals({ cash: -1 }) })), /^Invalid arguments for cashup.close: counted.cash: A counted amount cannot be negative\.$/);
    });
  });
});
