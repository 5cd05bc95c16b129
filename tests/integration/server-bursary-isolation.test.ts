// Tenant isolation of the bursary's new tables: with school A's device and A's staff, nothing of
// school B's structures, discounts, refunds, expenses, decisions or cash-ups can be used, changed
// or seen through any route, and no answer names it; underneath, row-level security keeps the
// request role inside one school and the ledger tables are insert-only for it. Both backends.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import { structureChargeId, type MutationArgs } from '../../shared/sync/mutations.js';
import type { EnrolResponse, MutationResult } from '../../shared/sync/protocol.js';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { addStaff, addStudent, BACKENDS, backendSkipped, enrol, makeSchool, type TestSchool } from '../support/sync-server.js';
import {
  applied,
  as,
  cashUpArgs,
  chargeArgs,
  closeBursaryServer,
  decideArgs,
  discountArgs,
  expenseArgs,
  item,
  openBursaryServer,
  paymentArgs,
  push,
  refundArgs,
  shape,
  structureArgs,
  voidArgs,
  type BursaryServer,
} from '../support/server-bursary.js';

const NEW_TABLES = ['fee_structures', 'discounts', 'refunds', 'expenses', 'expense_approvals', 'cash_ups'] as const;
const INSERT_ONLY = ['discounts', 'refunds', 'expenses', 'expense_approvals', 'cash_ups'] as const;

describe.each(BACKENDS)('isolation of the bursary on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let h: BursaryServer;
  let b: TestSchool;
  let deviceB: EnrolResponse;
  let bursarB: string;
  let studentB: string;
  /** B's entries, by kind. */
  const ofB = { category: uuidv7(), structure: uuidv7(), charge: '', payment: '', discount: uuidv7(), refund: uuidv7(), expense: uuidv7(), approval: uuidv7(), cashUp: uuidv7() };
  const answers: MutationResult[] = [];
  let secretsOfB: string[];

  async function snapshotOf(tenantId: string): Promise<string> {
    const parts: unknown[] = [];
    for (const t of [...NEW_TABLES, 'charges', 'payments', 'voids', 'sync_changes']) {
      parts.push((await sql`select * from ${sql.table(t)} where tenant_id = ${tenantId} order by 1, 2`.execute(h.server.db)).rows);
    }
    return JSON.stringify(parts);
  }

  beforeAll(async () => {
    h = await openBursaryServer(kind, 'AAA');
    b = await makeSchool(h.server.db, 'BVA', 'Bamboo Valley Academy');
    studentB = (await addStudent(h.server.db, b.tenantId, { first_name: 'Zuberi', last_name: 'Quarshie', admission_no: 'BVA/2026/77777', class_name: 'Bvgrade 9' })).id;
    bursarB = (await addStaff(h.server.db, b.tenantId, b.roleIds.bursar!, { username: 'bvbursar', displayName: 'Wanjala Bvbursar' })).id;
    deviceB = await enrol(h.app, b.officeCode, 'Bamboo office');

    const structure = structureArgs({ id: ofB.structure, className: 'Bvgrade 9', term: 'Bvterm 2026', items: [item(ofB.category, [['2026-08-31', 777_700]])] });
    ofB.charge = structureChargeId(ofB.structure, studentB, ofB.category, '2026-08-31');
    const payment = paymentArgs(deviceB, studentB, { amountMinor: 800_000, allocations: [{ chargeId: ofB.charge, amountMinor: 777_700 }] });
    ofB.payment = payment.id;
    const byB = [
      as('fees.createCategory', { id: ofB.category, name: 'Bamboo Boarding' }, bursarB),
      as('fees.saveStructure', structure, bursarB),
      as('charges.post', chargeArgs(studentB, ofB.category, { id: ofB.charge, amountMinor: 777_700, term: 'Bvterm 2026', structureId: ofB.structure }), bursarB),
      as('payments.record', payment, bursarB),
      as('discounts.grant', discountArgs(studentB, { id: ofB.discount, categoryId: ofB.category, amountMinor: 700, reason: 'Bvreason sibling' }), bursarB),
      as('refunds.record', refundArgs(studentB, { id: ofB.refund, amountMinor: 5_000, reason: 'Bvreason refund' }), bursarB),
      as('expenses.record', expenseArgs({ id: ofB.expense, payee: 'Bvpayee Ltd', amountMinor: 333_300 }), bursarB),
      as('expenses.decide', decideArgs(ofB.expense, 'approved', { id: ofB.approval }), b.adminId),
      as('cashup.close', cashUpArgs('2026-03-10', { id: ofB.cashUp, staffName: 'Wanjala Bvbursar' }), bursarB),
    ];
    expect((await push(h, deviceB, byB)).map((r) => r.status)).toEqual(Array(byB.length).fill('applied'));
    // A keeps a bursary of its own, so every new table of A has rows for the checks below.
    const structureA = structureArgs({ items: [item(h.categories.tuition, [['2026-08-31', 1_000]])] });
    const chargeA = structureChargeId(structureA.id, h.students.amani, h.categories.tuition, '2026-08-31');
    const expenseA = uuidv7();
    const byA = [
      as('fees.saveStructure', structureA, h.staff.bursar),
      as('charges.post', chargeArgs(h.students.amani, h.categories.tuition, { id: chargeA, amountMinor: 1_000, structureId: structureA.id }), h.staff.bursar),
      as('payments.record', paymentArgs(h.office, h.students.amani, { amountMinor: 3_000 }), h.staff.bursar),
      as('discounts.grant', discountArgs(h.students.amani, { amountMinor: 500 }), h.staff.bursar),
      as('refunds.record', refundArgs(h.students.amani, { amountMinor: 100 }), h.staff.bursar),
      as('expenses.record', expenseArgs({ id: expenseA }), h.staff.bursar),
      as('expenses.decide', decideArgs(expenseA), h.staff.head),
      as('cashup.close', cashUpArgs('2026-03-10'), h.staff.bursar),
    ];
    expect((await push(h, h.office, byA)).map((r) => r.status)).toEqual(Array(byA.length).fill('applied'));
    secretsOfB = [b.tenantId, b.name, deviceB.deviceId, deviceB.receiptSeries, studentB, 'Quarshie', 'BVA/2026', bursarB, 'Wanjala', b.adminId, ...Object.values(ofB), 'Bamboo', 'Bvgrade', 'Bvterm', 'Bvreason', 'Bvpayee', '7,777.00', '777700', '3,333.00'];
  });

  afterAll(async () => {
    await closeBursaryServer(h);
  });

  describe("with A's device and staff, B's bursary is out of reach", () => {
    let before: string;
    beforeAll(async () => {
      before = await snapshotOf(b.tenantId);
    });

    async function refusedForA<K extends Parameters<typeof as>[0]>(name: K, args: MutationArgs<K>, reason: RegExp, authorId = h.staff.admin): Promise<void> {
      const [r] = await push(h, h.office, [as(name, args, authorId)]);
      answers.push(r!);
      expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason) });
    }

    it("a structure naming B's category, or a charge from B's structure, is refused as unknown", async () => {
      await refusedForA('fees.saveStructure', structureArgs({ className: 'Grade 9 A', items: [item(ofB.category, [['2026-08-31', 1_000]])] }), /names a fee category that does not exist in this school/);
      const id = structureChargeId(ofB.structure, h.students.amani, h.categories.tuition, '2026-08-31');
      await refusedForA('charges.post', chargeArgs(h.students.amani, h.categories.tuition, { id, structureId: ofB.structure }), /^The fee structure this charge to Amani Otieno \(AAA\/2026\/00001\) comes from does not exist in this school/);
    });

    it("a structure saved under B's structure id is A's own; B's is untouched", async () => {
      const args = structureArgs({ id: ofB.structure, className: 'Grade 9 A', items: [item(h.categories.tuition, [['2026-08-31', 1_000]])] });
      const [r] = await push(h, h.office, [as('fees.saveStructure', args, h.staff.admin)]);
      answers.push(r!);
      expect(r!.status).toBe('applied');
      const rows = await h.server.db.selectFrom('fee_structures').select(['tenant_id', 'class_name']).where('id', '=', ofB.structure).orderBy('class_name').execute();
      expect(rows).toEqual([
        { tenant_id: b.tenantId, class_name: 'Bvgrade 9' },
        { tenant_id: h.school.tenantId, class_name: 'Grade 9 A' },
      ]);
    });

    it("a payment set against B's charge is refused as not the student's", async () => {
      await refusedForA('payments.record', paymentArgs(h.office, h.students.amani, { amountMinor: 1_000, allocations: [{ chargeId: ofB.charge, amountMinor: 1_000 }] }), /^One of the charges this payment is set against is not a charge of Amani Otieno/);
    });

    it("a discount or refund for B's student, or a discount on B's category, is refused as unknown", async () => {
      await refusedForA('discounts.grant', discountArgs(studentB, {}), /^The student of this discount does not exist in this school/);
      await refusedForA('discounts.grant', discountArgs(h.students.amani, { categoryId: ofB.category }), /^The fee category of this discount for Amani Otieno .* does not exist in this school/);
      await refusedForA('refunds.record', refundArgs(studentB), /^The student of this refund does not exist in this school/);
    });

    it("deciding B's expense, or voiding B's discount, refund, expense or structure charge, is refused as unknown", async () => {
      await refusedForA('expenses.decide', decideArgs(ofB.expense), /^The expense to approve or reject does not exist in this school/);
      for (const [table, id] of [['discounts', ofB.discount], ['refunds', ofB.refund], ['expenses', ofB.expense], ['charges', ofB.charge], ['payments', ofB.payment]] as const) {
        await refusedForA('ledger.void', voidArgs(table, id), new RegExp(`^The ${table.slice(0, -1)} to void does not exist in this school`));
      }
    });

    it("B's bursar named as the author of a cash-up is not a staff member here", async () => {
      await refusedForA('cashup.close', cashUpArgs('2026-03-11'), /^The author of this change is not a staff member of this school/, bursarB);
    });

    it("A's office device receives A's bursary rows only", async () => {
      const messages = (await shape(h, h.office)).filter((m) => m.value);
      for (const t of NEW_TABLES) {
        const shaped = messages.filter((m) => m.value!.table === t).map((m) => m.value!.id);
        const ofA = (await sql<{ id: string }>`select id from ${sql.table(t)} where tenant_id = ${h.school.tenantId}`.execute(h.server.db)).rows.map((r) => r.id);
        expect(shaped.length, t).toBeGreaterThan(0);
        expect(shaped.sort(), t).toEqual(ofA.sort());
      }
      const body = JSON.stringify(messages.filter((m) => m.value!.table !== 'fee_structures'));
      for (const secret of secretsOfB) expect(body, secret).not.toContain(secret);
    });

    it("no answer to A names anything of B, and B's rows are exactly as before", async () => {
      expect(answers.length).toBeGreaterThan(10);
      for (const r of answers) {
        for (const secret of secretsOfB) expect(JSON.stringify(r), secret).not.toContain(secret);
      }
      expect(await snapshotOf(b.tenantId)).toBe(before);
    });
  });

  describe('row-level security and insert-only tables for the app role', () => {
    const app_ = () => h.server.app as Kysely<ServerDatabase>;

    it.each(NEW_TABLES)('%s: bound to A, no row of B; with no school set, no rows at all', async (table) => {
      const seen = await withTenant(app_(), h.school.tenantId, (trx) => sql<{ t: string }>`select tenant_id as t from ${sql.table(table)}`.execute(trx).then((r) => r.rows.map((x) => x.t)));
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((t) => t !== h.school.tenantId)).toEqual([]);
      expect((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(app_())).rows[0]!.n).toBe(0);
      expect((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where tenant_id = ${b.tenantId}`.execute(h.server.db)).rows[0]!.n).toBeGreaterThan(0);
    });

    it.each(INSERT_ONLY)('%s is insert-only for the app role: even its own school’s rows cannot be updated or deleted', async (table) => {
      await expect(withTenant(app_(), h.school.tenantId, (trx) => sql`update ${sql.table(table)} set tenant_id = tenant_id`.execute(trx))).rejects.toThrow(/permission denied/);
      await expect(withTenant(app_(), h.school.tenantId, (trx) => sql`delete from ${sql.table(table)}`.execute(trx))).rejects.toThrow(/permission denied/);
    });

    it("a row with B's tenant_id cannot be inserted while bound to A, and B's structure cannot be edited", async () => {
      await expect(
        withTenant(app_(), h.school.tenantId, (trx) =>
          trx
            .insertInto('cash_ups')
            .values({ tenant_id: b.tenantId, id: uuidv7(), business_date: '2026-03-12', device_id: deviceB.deviceId, staff_id: bursarB, staff_name: 'x', expected: '{}', counted: '{}', difference_minor: 0, note: '', closed_at: new Date().toISOString(), _seq: 999_999 })
            .execute(),
        ),
      ).rejects.toThrow(/row-level security/);
      const edited = await withTenant(app_(), h.school.tenantId, (trx) =>
        trx.updateTable('fee_structures').set({ active: false }).where('tenant_id', '=', b.tenantId).where('id', '=', ofB.structure).executeTakeFirst(),
      );
      expect(Number(edited.numUpdatedRows)).toBe(0);
      const structure = await h.server.db.selectFrom('fee_structures').select('active').where('tenant_id', '=', b.tenantId).where('id', '=', ofB.structure).executeTakeFirstOrThrow();
      expect(structure.active).toBe(true);
    });
  });

  it('B itself still works: its device records into its own school', async () => {
    await applied(h, as('expenses.record', expenseArgs({ payee: 'Bvpayee Two' }), bursarB), deviceB);
  });
});
