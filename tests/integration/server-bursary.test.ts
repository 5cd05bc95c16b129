// The complete bursary on the sync server (issue 4): fee structures and the charges applied from
// them, payment allocations, discounts, refunds and voids of the new entries. Every rule is
// pushed both ways, accepted and refused; a refusal changes nothing and a replay gets the same
// answer. Both backends.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChargeRow, DiscountRow, FeeStructureRow, VoidRow } from '../../shared/domain/fees.js';
import { PaymentRow, RefundRow } from '../../shared/domain/payments.js';
import { uuidv7 } from '../../shared/ids.js';
import { formatMinor } from '../../shared/money.js';
import { discountRowFromArgs, paymentRowFromArgs, refundRowFromArgs, structureChargeId, structureRowFromArgs, voidRowFromArgs, type MutationArgs } from '../../shared/sync/mutations.js';
import { rowSchemas, type SyncedTable } from '../../shared/sync/protocol.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { allocateSeqs } from '../../sync-server/src/changes/append.js';
import { loadStudentLedger } from '../../sync-server/src/ledger/student-ledger.js';
import { BACKENDS, backendSkipped, mutation } from '../support/sync-server.js';
import {
  applied,
  as,
  chargeArgs,
  changesOf,
  closeBursaryServer,
  count,
  data,
  discountArgs,
  expenseArgs,
  item,
  openBursaryServer,
  paymentArgs,
  push,
  refundArgs,
  refused,
  shape,
  shapedRow,
  structureArgs,
  voidArgs,
  type BursaryServer,
} from '../support/server-bursary.js';

const KES = (minor: number) => formatMinor(minor, 'KES').replace(/\s/g, '\\s');

describe.each(BACKENDS)('the bursary on the server (%s)', (kind) => {
  if (backendSkipped(kind)) return;

  let h: BursaryServer;
  beforeAll(async () => {
    h = await openBursaryServer(kind);
  });
  afterAll(async () => {
    await closeBursaryServer(h);
  });

  const ledger = (studentId: string) => withTenant(h.server.db, h.school.tenantId, (trx) => loadStudentLedger(trx, h.school.tenantId, studentId));
  const bursar = <K extends Parameters<typeof as>[0]>(name: K, args: MutationArgs<K>) => as(name, args, h.staff.bursar);
  /** Posts a charge to a student and returns its id. */
  async function charged(studentId: string, o: Partial<MutationArgs<'charges.post'>> = {}, device = h.office): Promise<string> {
    const args = chargeArgs(studentId, h.categories.tuition, o);
    await applied(h, bursar('charges.post', args), device);
    return args.id;
  }

  describe('fees.saveStructure', () => {
    let grade4: MutationArgs<'fees.saveStructure'>;

    it('saves a class\'s structure for a term as a synced change, exactly as structureRowFromArgs writes it', async () => {
      grade4 = structureArgs({ items: [item(h.categories.tuition, [['2026-08-31', 70_000], ['2026-10-01', 50_000]]), item(h.categories.lunch, [['2026-08-31', 30_000]])] });
      const m = bursar('fees.saveStructure', grade4);
      await applied(h, m);
      const expected = structureRowFromArgs(grade4);
      expect(await changesOf(h, 'fee_structures', grade4.id)).toEqual([{ op: 'insert', row: expected, author_id: h.staff.bursar, device_id: h.office.deviceId, mutation_id: m.id }]);
      expect(FeeStructureRow.parse(await shapedRow(h, h.office, 'fee_structures', grade4.id))).toEqual(expected);
    });

    it('refuses a second active structure for the same class and term (whatever the case), naming the first', async () => {
      const second = structureArgs({ className: 'grade 4 a', term: 'TERM 3 2026', items: [item(h.categories.tuition, [['2026-08-31', 99_000]])] });
      const reason = await refused(h, bursar('fees.saveStructure', second), /^Grade 4 A already has an active fee structure for Term 3 2026 \(Tuition .*1,200\.00, Lunch .*300\.00\); edit that one, or make it inactive first\. This one was not saved\.$/);
      expect(reason).not.toContain(grade4.id);
    });

    it('an inactive one may sit beside it; once the first is made inactive, another may be active', async () => {
      const spare = structureArgs({ active: false, items: [item(h.categories.tuition, [['2026-08-31', 99_000]])] });
      await applied(h, bursar('fees.saveStructure', spare));
      await refused(h, bursar('fees.saveStructure', { ...spare, active: true }), /^Grade 4 A already has an active fee structure for Term 3 2026/);
      await applied(h, bursar('fees.saveStructure', { ...grade4, active: false }));
      await applied(h, bursar('fees.saveStructure', { ...spare, active: true }));
      // Back as it was, for the tests below: the spare one inactive, Grade 4's active.
      await applied(h, bursar('fees.saveStructure', { ...spare, active: false }));
      await applied(h, bursar('fees.saveStructure', grade4));
      expect(await h.server.db.selectFrom('fee_structures').select(['id', 'active']).where('id', 'in', [grade4.id, spare.id]).orderBy('active').execute()).toEqual([
        { id: spare.id, active: false },
        { id: grade4.id, active: true },
      ]);
    });

    it('saving under the same id replaces it (the latest save wins, logged as an update); saving it unchanged logs nothing', async () => {
      const edited = { ...grade4, items: [grade4.items[0]!, item(h.categories.lunch, [['2026-08-31', 35_000]])] };
      const m = bursar('fees.saveStructure', edited);
      await applied(h, m);
      const [last] = (await changesOf(h, 'fee_structures', grade4.id)).slice(-1);
      expect(last).toMatchObject({ op: 'update', row: structureRowFromArgs(edited), mutation_id: m.id });
      const before = await data(h);
      await applied(h, bursar('fees.saveStructure', edited), h.otherOffice);
      expect(await data(h)).toBe(before);
      await applied(h, bursar('fees.saveStructure', grade4));
    });

    it('refuses a category that does not exist here (not repeating its id) or is inactive', async () => {
      const guessed = uuidv7();
      const reason = await refused(h, bursar('fees.saveStructure', structureArgs({ className: 'Grade 6 A', items: [item(guessed, [['2026-08-31', 1_000]])] })), /^A fee in the Grade 6 A fee structure for Term 3 2026 names a fee category that does not exist in this school/);
      expect(reason).not.toContain(guessed);
      const swimming = uuidv7();
      await applied(h, bursar('fees.createCategory', { id: swimming, name: 'Swimming' }));
      await withTenant(h.server.db, h.school.tenantId, async (trx) => {
        const seq = await allocateSeqs(trx, h.school.tenantId, 1);
        await trx.updateTable('fee_categories').set({ active: false, _seq: seq }).where('id', '=', swimming).execute();
      });
      await refused(h, bursar('fees.saveStructure', structureArgs({ className: 'Grade 6 A', items: [item(swimming, [['2026-08-31', 1_000]])] })), /^The fee category "Swimming" is inactive, so the Grade 6 A fee structure for Term 3 2026 cannot use it/);
      // Switching a structure off stays possible after its category went out of use.
      await applied(h, bursar('fees.saveStructure', { ...structureArgs({ className: 'Grade 6 A', items: [item(swimming, [['2026-08-31', 1_000]])] }), active: false }));
    });

    it('refuses instalments that do not add up to the fee, or a category twice, as invalid arguments', async () => {
      const bad = { ...item(h.categories.tuition, [['2026-08-31', 1_000]]), amountMinor: 2_000 };
      await refused(h, bursar('fees.saveStructure', structureArgs({ className: 'Grade 6 A', items: [bad] })), /^Invalid arguments for fees.saveStructure: items.0.instalments: The instalments must add up to the fee\.$/);
      const twice = item(h.categories.tuition, [['2026-08-31', 1_000]]);
      await refused(h, bursar('fees.saveStructure', structureArgs({ className: 'Grade 6 A', items: [twice, twice] })), /Each fee category may appear once in a structure/);
    });

    it('a teacher may not save a structure', async () => {
      await refused(h, as('fees.saveStructure', structureArgs({ className: 'Grade 6 A', items: [item(h.categories.tuition, [['2026-08-31', 1_000]])] }), h.staff.teacher), /^Mary Achieng may no longer manage fees/);
    });

    it('the database holds one active structure per class and term too', async () => {
      await expect(
        withTenant(h.server.db, h.school.tenantId, async (trx) => {
          const seq = await allocateSeqs(trx, h.school.tenantId, 1);
          await trx.insertInto('fee_structures').values({ tenant_id: h.school.tenantId, id: uuidv7(), class_name: 'GRADE 4 A', term: 'term 3 2026', items: '[]', active: true, _seq: seq }).execute();
        }),
      ).rejects.toThrow(/fee_structures_active_uq|duplicate key/);
    });

    describe('charges applied from it (charges.post with structureId)', () => {
      /** One charges.post per instalment per fee, as a device applies the structure to a student. */
      const applyTo = (studentId: string) =>
        grade4.items.flatMap((i) =>
          i.instalments.map((x) =>
            chargeArgs(studentId, i.categoryId, { id: structureChargeId(grade4.id, studentId, i.categoryId, x.dueOn), amountMinor: x.amountMinor, dueOn: x.dueOn, structureId: grade4.id }),
          ),
        );

      it('posts each instalment under its derived id with the structure named', async () => {
        for (const args of applyTo(h.students.amani)) await applied(h, bursar('charges.post', args));
        const rows = await h.server.db.selectFrom('charges').select(['id', 'structure_id', 'amount_minor']).where('structure_id', '=', grade4.id).where('student_id', '=', h.students.amani).orderBy('amount_minor').execute();
        expect(rows).toHaveLength(3);
        expect(rows.map((r) => r.amount_minor)).toEqual([30_000, 50_000, 70_000]);
        const [first] = applyTo(h.students.amani);
        expect(ChargeRow.parse(await shapedRow(h, h.office, 'charges', first!.id))).toMatchObject({ structure_id: grade4.id, description: '', term: 'Term 3 2026' });
      });

      it('two offices applying the same structure at the same moment charge each student once, and both are told "applied"', async () => {
        const before = await count(h, 'charges');
        const lines = applyTo(h.students.chebet);
        const [a, b] = await Promise.all([
          push(h, h.office, lines.map((l) => bursar('charges.post', l))),
          push(h, h.otherOffice, lines.map((l) => as('charges.post', { ...l, postedAt: new Date().toISOString() }, h.staff.admin))),
        ]);
        expect([...a, ...b].map((r) => r.status)).toEqual(Array(6).fill('applied'));
        expect(await count(h, 'charges')).toBe(before + 3);
        for (const l of lines) expect(await changesOf(h, 'charges', l.id)).toHaveLength(1);
        // Applied again later (e.g. after a restore): still nothing new.
        const again = await data(h);
        for (const l of lines) await applied(h, bursar('charges.post', l));
        expect(await data(h)).toBe(again);
      });

      it('refuses an id that is not the structure\'s, an unknown structure, and the same id for another student', async () => {
        const [line] = applyTo(h.students.dennis);
        await refused(h, bursar('charges.post', { ...line!, id: uuidv7() }), /^This charge to Dennis Mwangi \(KHS\/2026\/00004\) says it comes from the Grade 4 A fee structure for Term 3 2026, but its id is not that structure's/);
        const guessed = uuidv7();
        const reason = await refused(h, bursar('charges.post', { ...line!, structureId: guessed }), /^The fee structure this charge to Dennis Mwangi \(KHS\/2026\/00004\) comes from does not exist in this school/);
        expect(reason).not.toContain(guessed);
        const [amanis] = applyTo(h.students.amani);
        await refused(h, bursar('charges.post', { ...amanis!, studentId: h.students.dennis }), /^A charge with this id was already posted by another change/);
        await refused(h, bursar('charges.post', { ...amanis!, structureId: null }), /^A charge with this id was already posted by another change/);
      });

      it('never charges a student who is not enrolled', async () => {
        const [line] = applyTo(h.students.baraka);
        await refused(h, bursar('charges.post', line!), /^Baraka Kamau \(KHS\/2026\/00002\) is withdrawn, not enrolled; charges can only be posted to enrolled students\.$/);
      });
    });
  });

  describe('payments.record with allocations', () => {
    let older: string;
    let newer: string;
    beforeAll(async () => {
      older = await charged(h.students.dennis, { amountMinor: 40_000, dueOn: '2026-05-31', term: 'Term 2 2026' });
      newer = await charged(h.students.dennis, { amountMinor: 60_000, dueOn: '2026-08-31' });
    });

    it('stores the allocations as sent and the author as recorded_by_id; the charges settle accordingly', async () => {
      const args = paymentArgs(h.office, h.students.dennis, { amountMinor: 70_000, allocations: [{ chargeId: newer, amountMinor: 60_000 }, { chargeId: older, amountMinor: 5_000 }] });
      const m = bursar('payments.record', args);
      await applied(h, m);
      const row = paymentRowFromArgs(args, h.office.deviceId, h.staff.bursar);
      expect(row.recorded_by_id).toBe(h.staff.bursar);
      expect(await changesOf(h, 'payments', args.id)).toEqual([{ op: 'insert', row, author_id: h.staff.bursar, device_id: h.office.deviceId, mutation_id: m.id }]);
      expect(PaymentRow.parse(await shapedRow(h, h.office, 'payments', args.id))).toEqual(row);
      const l = await ledger(h.students.dennis);
      // 5,000 unallocated goes to the oldest charge: 40,000 - 5,000 - 5,000.
      expect(Object.fromEntries(l.outstanding)).toEqual({ [older]: 30_000, [newer]: 0 });
      expect(l.balanceMinor).toBe(30_000);
    });

    it('a payment without allocations is stored with none (all of it settles oldest first)', async () => {
      const args = paymentArgs(h.office, h.students.dennis, { amountMinor: 10_000 });
      await applied(h, bursar('payments.record', args));
      expect(PaymentRow.parse(await shapedRow(h, h.office, 'payments', args.id)).allocations).toEqual([]);
      expect((await ledger(h.students.dennis)).outstanding.get(older)).toBe(20_000);
    });

    it('refuses allocations adding up to more than the payment', async () => {
      const args = paymentArgs(h.office, h.students.dennis, { amountMinor: 1_000, allocations: [{ chargeId: older, amountMinor: 1_001 }] });
      await refused(h, bursar('payments.record', args), new RegExp(`^The amounts set against charges \\(${KES(1_001)}\\) add up to more than the payment of ${KES(1_000)}; set at most the payment against charges\\. The payment was not recorded\\.$`));
    });

    it('refuses more than a charge still owes, naming the charge', async () => {
      const args = paymentArgs(h.office, h.students.dennis, { amountMinor: 25_000, allocations: [{ chargeId: older, amountMinor: 25_000 }] });
      await refused(h, bursar('payments.record', args), new RegExp(`^This payment sets ${KES(25_000)} against the Tuition charge due 2026-05-31 of Dennis Mwangi \\(KHS/2026/00004\\), which still owes only ${KES(20_000)}; set no more than the charge owes against it \\(the rest is kept as credit\\)\\. The payment was not recorded\\.$`));
      const paid = paymentArgs(h.office, h.students.dennis, { amountMinor: 1_000, allocations: [{ chargeId: newer, amountMinor: 1_000 }] });
      await refused(h, bursar('payments.record', paid), /against the Tuition charge due 2026-08-31 of Dennis Mwangi \(KHS\/2026\/00004\), which is already paid; set no more than the charge owes against it \(the rest is kept as credit\)\. The payment was not recorded\.$/);
    });

    it("refuses another student's charge, or an unknown one, without repeating its id", async () => {
      const amanis = await charged(h.students.amani, { amountMinor: 5_000 });
      for (const chargeId of [amanis, uuidv7()]) {
        const args = paymentArgs(h.office, h.students.dennis, { amountMinor: 1_000, allocations: [{ chargeId, amountMinor: 1_000 }] });
        const reason = await refused(h, bursar('payments.record', args), /^One of the charges this payment is set against is not a charge of Dennis Mwangi \(KHS\/2026\/00004\); set it against that student's own charges\. The payment was not recorded\.$/);
        expect(reason).not.toContain(chargeId);
      }
    });

    it('refuses a charge this office voided', async () => {
      const c = await charged(h.students.dennis, { amountMinor: 8_000 });
      await applied(h, bursar('ledger.void', voidArgs('charges', c, 'posted twice')));
      const args = paymentArgs(h.office, h.students.dennis, { amountMinor: 8_000, allocations: [{ chargeId: c, amountMinor: 8_000 }] });
      await refused(h, bursar('payments.record', args), /^This payment is set against the Tuition charge due 2026-08-31, which was voided; set it against Dennis Mwangi \(KHS\/2026\/00004\)'s open charges and record it again\.$/);
    });

    it('two offices settling the same charge offline: both payments are kept (the money was received) and the excess is credit', async () => {
      const c = await charged(h.students.chebet, { amountMinor: 12_000, dueOn: '2026-01-31', term: 'Term 1 2026' });
      const before = await ledger(h.students.chebet);
      const front = paymentArgs(h.office, h.students.chebet, { amountMinor: 12_000, allocations: [{ chargeId: c, amountMinor: 12_000 }] });
      const back = paymentArgs(h.otherOffice, h.students.chebet, { amountMinor: 12_000, allocations: [{ chargeId: c, amountMinor: 12_000 }] });
      await applied(h, bursar('payments.record', front));
      await applied(h, as('payments.record', back, h.staff.secondBursar), h.otherOffice);
      const after = await ledger(h.students.chebet);
      expect(after.outstanding.get(c)).toBe(0);
      expect(after.balanceMinor).toBe(before.balanceMinor - 24_000);
      // The same office cannot: it knew its own first payment.
      const again = paymentArgs(h.office, h.students.chebet, { amountMinor: 12_000, allocations: [{ chargeId: c, amountMinor: 12_000 }] });
      await refused(h, bursar('payments.record', again), /which is already paid; set no more than the charge owes against it \(the rest is kept as credit\)\. The payment was not recorded\.$/);
    });

    it('a reference already used by another payment is accepted (flagged on the devices, never refused)', async () => {
      const first = paymentArgs(h.office, h.students.dennis, { amountMinor: 1_000, method: 'mobile_money', reference: 'QK7H2M9P1X' });
      const second = paymentArgs(h.otherOffice, h.students.dennis, { amountMinor: 1_000, method: 'mobile_money', reference: 'QK7H2M9P1X' });
      await applied(h, bursar('payments.record', first));
      await applied(h, as('payments.record', second, h.staff.secondBursar), h.otherOffice);
      expect(await h.server.db.selectFrom('payments').select('id').where('reference', '=', 'QK7H2M9P1X').execute()).toHaveLength(2);
    });

    it('refuses a student who is not enrolled or not of this school', async () => {
      await refused(h, bursar('payments.record', paymentArgs(h.office, h.students.baraka)), /^Baraka Kamau \(KHS\/2026\/00002\) is withdrawn, not enrolled; payments can only be recorded for enrolled students\.$/);
      await refused(h, bursar('payments.record', paymentArgs(h.office, uuidv7())), /^The student of this payment does not exist in this school/);
    });
  });

  describe('discounts.grant', () => {
    let lunch: string;
    beforeAll(async () => {
      // Amani: Tuition 70,000 + 50,000 + 5,000 (Term 3), Lunch 30,000 (Term 3), Lunch 10,001 (Term 2).
      lunch = h.categories.lunch;
      await applied(h, bursar('charges.post', chargeArgs(h.students.amani, lunch, { amountMinor: 10_001, term: 'Term 2 2026', dueOn: '2026-05-31' })));
    });

    it('a percentage is that share of the category\'s live charges of the term, rounded half up', async () => {
      // 25% of Lunch in Term 2 (10,001) = 2,500.25 -> 2,500; 12.5% of 10,001 = 1,250.125 -> 1,250.
      const args = discountArgs(h.students.amani, { categoryId: lunch, basis: 'percent', percentBp: 2_500, amountMinor: 2_500, term: 'Term 2 2026', kind: 'scholarship', reason: 'Lunch bursary' });
      const m = bursar('discounts.grant', args);
      await applied(h, m);
      const row = discountRowFromArgs(args, h.office.deviceId);
      expect(await changesOf(h, 'discounts', args.id)).toEqual([{ op: 'insert', row, author_id: h.staff.bursar, device_id: h.office.deviceId, mutation_id: m.id }]);
      expect(DiscountRow.parse(await shapedRow(h, h.office, 'discounts', args.id))).toEqual(row);
      // 50% of 10,001 = 5,000.5 -> 5,001 (half up).
      await applied(h, bursar('discounts.grant', discountArgs(h.students.amani, { categoryId: lunch, basis: 'percent', percentBp: 5_000, amountMinor: 5_001, term: 'Term 2 2026' })));
    });

    it('refuses a percentage whose amount is not the server\'s figure, saying it', async () => {
      const args = discountArgs(h.students.amani, { categoryId: lunch, basis: 'percent', percentBp: 1_250, amountMinor: 1_251, term: 'Term 2 2026' });
      await refused(h, bursar('discounts.grant', args), new RegExp(`^12\\.5% of Amani Otieno's Lunch charges for Term 2 2026 \\(${KES(10_001)}\\) is ${KES(1_250)}, not ${KES(1_251)}: the charges changed after the discount was worked out\\. Grant it again\\.`));
    });

    it('voided charges are not discounted: the base leaves them out', async () => {
      const c = await charged(h.students.amani, { amountMinor: 90_000, term: 'Term 1 2026', dueOn: '2026-01-31' });
      await applied(h, bursar('ledger.void', voidArgs('charges', c)));
      await refused(h, bursar('discounts.grant', discountArgs(h.students.amani, { categoryId: h.categories.tuition, term: 'Term 1 2026', amountMinor: 1 })), /^Amani Otieno \(KHS\/2026\/00001\) has no Tuition charges for Term 1 2026 to reduce; post the charges first, then grant the discount\.$/);
    });

    it('refuses when there is nothing to discount', async () => {
      await refused(h, bursar('discounts.grant', discountArgs(h.students.amani, { term: 'Term 9 2031', basis: 'percent', percentBp: 1_000, amountMinor: 1 })), /^Amani Otieno \(KHS\/2026\/00001\) has no charges for Term 9 2031 to reduce/);
    });

    it('a fixed discount may not exceed what it applies to; the whole bill of a term is the base when no category is named', async () => {
      // Amani's Term 2 charges: Lunch 10,001.
      await refused(h, bursar('discounts.grant', discountArgs(h.students.amani, { term: 'Term 2 2026', amountMinor: 10_002 })), new RegExp(`^A discount of ${KES(10_002)} is more than Amani Otieno's charges for Term 2 2026 \\(${KES(10_001)}\\); a discount cannot exceed what it reduces, so grant at most ${KES(10_001)}\\.`));
      await applied(h, bursar('discounts.grant', discountArgs(h.students.amani, { term: 'Term 2 2026', amountMinor: 10_001 })));
    });

    it('refuses an unknown category (not repeating its id), a student who is not enrolled, and a teacher', async () => {
      const guessed = uuidv7();
      const reason = await refused(h, bursar('discounts.grant', discountArgs(h.students.amani, { categoryId: guessed })), /^The fee category of this discount for Amani Otieno \(KHS\/2026\/00001\) does not exist in this school/);
      expect(reason).not.toContain(guessed);
      await refused(h, bursar('discounts.grant', discountArgs(h.students.baraka, { kind: 'scholarship' })), /^Baraka Kamau \(KHS\/2026\/00002\) is withdrawn, not enrolled; discounts and scholarships can only be granted to enrolled students\.$/);
      await refused(h, as('discounts.grant', discountArgs(h.students.amani, {}), h.staff.teacher), /^Mary Achieng may no longer manage fees, post charges and grant discounts \(role Teacher\)/);
    });

    it('refuses a percentage without its figure, or a zero amount, as invalid arguments', async () => {
      await refused(h, bursar('discounts.grant', discountArgs(h.students.amani, { basis: 'percent', percentBp: null })), /^Invalid arguments for discounts.grant: percentBp: A percentage discount names its percentage/);
      await refused(h, bursar('discounts.grant', discountArgs(h.students.amani, { amountMinor: 0 })), /^Invalid arguments for discounts.grant: amountMinor: Amount must be greater than zero\.$/);
    });
  });

  describe('refunds.record', () => {
    beforeAll(async () => {
      // Chebet pays 20,000 more than she owes: that is her credit.
      const { balanceMinor } = await ledger(h.students.chebet);
      await applied(h, bursar('payments.record', paymentArgs(h.office, h.students.chebet, { amountMinor: balanceMinor + 20_000 })));
      expect((await ledger(h.students.chebet)).creditMinor).toBe(20_000);
    });

    it('refuses a refund above the student\'s credit, stating the credit', async () => {
      const { creditMinor } = await ledger(h.students.chebet);
      expect(creditMinor).toBeGreaterThan(0);
      await refused(h, bursar('refunds.record', refundArgs(h.students.chebet, { amountMinor: creditMinor + 1 })), new RegExp(`^Chebet Wafula \\(KHS/2026/00003\\) has a credit of only ${KES(creditMinor)}, so a refund of ${KES(creditMinor + 1)} cannot be paid; a refund can only pay back credit\\. Nothing was refunded\\.$`));
      await refused(h, bursar('refunds.record', refundArgs(h.students.amani)), /^Amani Otieno \(KHS\/2026\/00001\) has no credit, so a refund of .* cannot be paid/);
    });

    it('pays back up to the credit, with the author as refunded_by_id; the credit is then used up', async () => {
      const before = await ledger(h.students.chebet);
      const args = refundArgs(h.students.chebet, { amountMinor: 2_000, method: 'mobile_money', reference: 'RF12345' });
      const m = bursar('refunds.record', args);
      await applied(h, m);
      const row = refundRowFromArgs(args, h.office.deviceId, h.staff.bursar);
      expect(await changesOf(h, 'refunds', args.id)).toEqual([{ op: 'insert', row, author_id: h.staff.bursar, device_id: h.office.deviceId, mutation_id: m.id }]);
      expect(RefundRow.parse(await shapedRow(h, h.office, 'refunds', args.id))).toEqual(row);
      const after = await ledger(h.students.chebet);
      expect(after.creditMinor).toBe(before.creditMinor - 2_000);
      expect(after.balanceMinor).toBe(before.balanceMinor + 2_000);
    });

    it('two offices refunding the same credit at once: one is paid, the other refused', async () => {
      const { creditMinor } = await ledger(h.students.chebet);
      const [a, b] = await Promise.all([
        push(h, h.office, [bursar('refunds.record', refundArgs(h.students.chebet, { amountMinor: creditMinor }))]),
        push(h, h.otherOffice, [as('refunds.record', refundArgs(h.students.chebet, { amountMinor: creditMinor }), h.staff.admin)]),
      ]);
      expect([a[0]!.status, b[0]!.status].sort()).toEqual(['applied', 'rejected']);
      expect([a[0], b[0]].find((r) => r!.status === 'rejected')).toMatchObject({ reason: expect.stringMatching(/^Chebet Wafula \(KHS\/2026\/00003\) has no credit, so a refund of/) });
      expect((await ledger(h.students.chebet)).creditMinor).toBe(0);
    });

    it('refuses a teacher, a student who is not enrolled, another currency', async () => {
      await refused(h, as('refunds.record', refundArgs(h.students.chebet), h.staff.teacher), /^Mary Achieng may no longer void ledger entries and refund overpayments \(role Teacher\)/);
      await refused(h, bursar('refunds.record', refundArgs(h.students.baraka)), /^Baraka Kamau \(KHS\/2026\/00002\) is withdrawn, not enrolled; refunds can only be recorded for enrolled students\.$/);
      await refused(h, bursar('refunds.record', refundArgs(h.students.chebet, { currency: 'USD' })), /^The refund is in USD but this school's currency is KES; nothing was refunded\.$/);
    });
  });

  describe('ledger.void of discounts, refunds and expenses', () => {
    it('voids each once; a second void is refused, naming the entry; the entry is unchanged', async () => {
      const pay = paymentArgs(h.office, h.students.dennis, { amountMinor: 30_000 });
      await applied(h, bursar('payments.record', pay));
      const refund = refundArgs(h.students.dennis, { amountMinor: 3_000 });
      await applied(h, bursar('refunds.record', refund));
      const discount = discountArgs(h.students.dennis, { categoryId: h.categories.tuition, kind: 'scholarship', amountMinor: 4_000 });
      await applied(h, bursar('discounts.grant', discount));
      const expense = uuidv7();
      await applied(h, bursar('expenses.record', expenseArgs({ id: expense, category: 'Repairs', payee: 'Juma Fundi', amountMinor: 12_800 })));

      const cases = [
        ['refunds', refund.id, new RegExp(`^The refund \\(${KES(3_000)} to Dennis Mwangi\\) was already voided on \\d{4}-\\d{2}-\\d{2} by Peter Otieno: wrong amount$`)],
        ['discounts', discount.id, new RegExp(`^The Tuition scholarship \\(${KES(4_000)} for Dennis Mwangi\\) was already voided on .* by Peter Otieno: wrong amount$`)],
        ['expenses', expense, new RegExp(`^The Repairs expense \\(${KES(12_800)} to Juma Fundi\\) was already voided on .* by Peter Otieno: wrong amount$`)],
      ] as const;
      for (const [table, id, second] of cases) {
        const before = (await sql`select * from ${sql.table(table)} where id = ${id}`.execute(h.server.db)).rows;
        const args = voidArgs(table, id, 'wrong amount');
        const m = bursar('ledger.void', args);
        await applied(h, m);
        expect(await changesOf(h, 'voids', args.id)).toEqual([{ op: 'insert', row: voidRowFromArgs(args, h.office.deviceId), author_id: h.staff.bursar, device_id: h.office.deviceId, mutation_id: m.id }]);
        expect(VoidRow.parse(await shapedRow(h, h.office, 'voids', args.id))).toMatchObject({ target_table: table, target_id: id });
        expect((await sql`select * from ${sql.table(table)} where id = ${id}`.execute(h.server.db)).rows).toEqual(before);
        await refused(h, as('ledger.void', voidArgs(table, id, 'again'), h.staff.admin), second);
      }
    });

    it('a voided discount no longer reduces the bill; a voided refund gives the credit back', async () => {
      const before = await ledger(h.students.dennis);
      const discount = discountArgs(h.students.dennis, { amountMinor: 1_500 });
      await applied(h, bursar('discounts.grant', discount));
      expect((await ledger(h.students.dennis)).balanceMinor).toBe(before.balanceMinor - 1_500);
      await applied(h, bursar('ledger.void', voidArgs('discounts', discount.id)));
      expect((await ledger(h.students.dennis)).balanceMinor).toBe(before.balanceMinor);

      expect(before.creditMinor).toBeGreaterThan(1_000);
      const refund = refundArgs(h.students.dennis, { amountMinor: 1_000 });
      await applied(h, bursar('refunds.record', refund));
      expect((await ledger(h.students.dennis)).creditMinor).toBe(before.creditMinor - 1_000);
      await applied(h, bursar('ledger.void', voidArgs('refunds', refund.id)));
      expect((await ledger(h.students.dennis)).creditMinor).toBe(before.creditMinor);
    });

    it('refuses an entry named with the wrong table, or unknown, without repeating the id', async () => {
      const discount = await h.server.db.selectFrom('discounts').select('id').where('tenant_id', '=', h.school.tenantId).limit(1).executeTakeFirstOrThrow();
      await refused(h, bursar('ledger.void', voidArgs('refunds', discount.id)), /^The refund to void does not exist in this school/);
      const guessed = uuidv7();
      for (const table of ['discounts', 'expenses'] as const) {
        const reason = await refused(h, bursar('ledger.void', voidArgs(table, guessed)), new RegExp(`^The ${table.slice(0, -1)} to void does not exist in this school`));
        expect(reason).not.toContain(guessed);
      }
    });
  });

  describe('what devices receive', () => {
    it('a teacher-room device gets the terms but no bursary table; an office device gets every row as stored and logged', async () => {
      const bursaryTables: SyncedTable[] = ['fee_categories', 'fee_structures', 'charges', 'payments', 'discounts', 'refunds', 'expenses', 'expense_approvals', 'voids', 'cash_ups'];
      const room = await shape(h, h.teacherRoom);
      expect(room.length).toBeGreaterThan(0);
      for (const t of bursaryTables) expect(room.some((m) => m.value?.table === t), t).toBe(false);

      const office = await shape(h, h.office);
      for (const t of ['fee_structures', 'discounts', 'refunds', 'expenses', 'voids', 'payments', 'charges'] as const) {
        const shaped = office.filter((m) => m.value?.table === t && m.value.row);
        const ids = (await sql<{ id: string }>`select id from ${sql.table(t)} where tenant_id = ${h.school.tenantId}`.execute(h.server.db)).rows.map((r) => r.id);
        expect(ids.length, t).toBeGreaterThan(0);
        expect(shaped.map((m) => m.value!.id).sort(), t).toEqual(ids.sort());
        for (const m of shaped) {
          const row = JSON.parse(m.value!.row!) as Record<string, unknown>;
          expect(rowSchemas[t].parse(row), t).toEqual(row);
          expect(row).toEqual((await changesOf(h, t, m.value!.id)).at(-1)!.row);
        }
      }
    });

    it('the new ledger tables were only ever inserted: one insert change per row, at the row\'s own seq', async () => {
      for (const t of ['discounts', 'refunds', 'expenses', 'payments', 'charges', 'voids'] as const) {
        const rows = (await sql<{ id: string; _seq: number }>`select id, _seq from ${sql.table(t)} where tenant_id = ${h.school.tenantId}`.execute(h.server.db)).rows;
        const changes = await h.server.db.selectFrom('sync_changes').select(['row_id', 'op', 'seq']).where('tenant_id', '=', h.school.tenantId).where('table_name', '=', t).execute();
        expect(changes.every((c) => c.op === 'insert'), t).toBe(true);
        expect(changes.map((c) => [c.row_id, Number(c.seq)]).sort(), t).toEqual(rows.map((r) => [r.id, Number(r._seq)]).sort());
      }
    });

    it('an applied mutation replayed is answered "applied" again and changes nothing', async () => {
      const m = mutation(discountArgs(h.students.dennis, { amountMinor: 100 }), { name: 'discounts.grant', authorId: h.staff.bursar });
      await applied(h, m);
      const before = await data(h);
      await applied(h, m);
      expect(await data(h)).toBe(before);
    });
  });
});
