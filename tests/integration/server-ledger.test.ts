// The bursary's ledger on the sync server: fee categories, charges and voids, their rules,
// the permission checked when applied, one void per entry even under concurrent pushes, the
// shapes that carry them, migration 0004 and the demo school's fees (both backends).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChargeRow, FeeCategoryRow, VoidRow } from '../../shared/domain/fees.js';
import { RoleRow } from '../../shared/domain/staff.js';
import { uuidv7 } from '../../shared/ids.js';
import { formatMinor } from '../../shared/money.js';
import { chargeRowFromArgs, structureChargeId, voidRowFromArgs, type MutationArgs } from '../../shared/sync/mutations.js';
import { PUSH_PATH, SHAPE_PATH, type EnrolResponse, type MutationResult, type PushResponse } from '../../shared/sync/protocol.js';
import { buildServer } from '../../sync-server/src/app.js';
import { allocateSeqs, appendChanges } from '../../sync-server/src/changes/append.js';
import { openServerDb, type ServerDb } from '../../sync-server/src/db/connect.js';
import { migrateToLatest } from '../../sync-server/src/db/migrate.js';
import { migrationProvider } from '../../sync-server/src/db/migrations/index.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { DEMO_FEE_CATEGORY_IDS, DEMO_SCHOOL, seedDemoBursary, seedDemoSchool } from '../../sync-server/src/demo/seed-demo.js';
import { demoStructure } from '../../sync-server/src/demo/seed-bursary.js';
import {
  addStaff,
  addStudent,
  BACKENDS,
  backendSkipped,
  enrol,
  freshBackend,
  makeSchool,
  mutation,
  paymentArgs,
  setStaff,
  type BackendConfig,
  type TestSchool,
} from '../support/sync-server.js';
import { readSnapshot } from '../support/shape-snapshot.js';

interface ShapeMessage {
  key?: string;
  value?: { table: string; id: string; row: string | null };
}

const LEDGER_TABLES = ['fee_categories', 'charges', 'voids'] as const;

describe.each(BACKENDS)('the bursary ledger on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: ServerDb;
  let app: FastifyInstance;
  let school: TestSchool;
  let office: EnrolResponse;
  let otherOffice: EnrolResponse;
  let teacherRoom: EnrolResponse;
  let studentId: string;
  let withdrawnId: string;
  let bursar: { id: string };
  let teacher: { id: string };
  let tuitionId: string;
  let receipt = 0;
  let otherReceipt = 0;

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    school = await makeSchool(server.db, 'KHS', 'Kilima Hills');
    studentId = (await addStudent(server.db, school.tenantId, { first_name: 'Amani', last_name: 'Otieno', admission_no: 'KHS/2026/00001' })).id;
    withdrawnId = (await addStudent(server.db, school.tenantId, { first_name: 'Baraka', last_name: 'Kamau', admission_no: 'KHS/2026/00002', status: 'withdrawn' })).id;
    bursar = await addStaff(server.db, school.tenantId, school.roleIds.bursar!, { username: 'bursar', displayName: 'Peter Otieno' });
    teacher = await addStaff(server.db, school.tenantId, school.roleIds.teacher!, { username: 'teacher', displayName: 'Mary Achieng' });
    app = await buildServer({ db: server, liveTimeoutMs: 10_000 });
    office = await enrol(app, school.officeCode, 'Bursary PC');
    otherOffice = await enrol(app, school.officeCode, 'Head office PC');
    teacherRoom = await enrol(app, school.teacherCode, 'Staff room PC');
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    await backend?.drop();
  });

  async function push(device: EnrolResponse, mutations: unknown[]): Promise<MutationResult[]> {
    const res = await app.inject({ method: 'POST', url: PUSH_PATH, headers: { authorization: `Bearer ${device.token}` }, payload: { mutations } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as PushResponse).results;
  }
  async function pushOne(m: unknown, device = office): Promise<MutationResult> {
    return (await push(device, [m]))[0]!;
  }
  async function snapshot(device: EnrolResponse): Promise<ShapeMessage[]> {
    return readSnapshot(app, { authorization: `Bearer ${device.token}` });
  }
  /** Every synced row and change of the school (not applied_mutations: a refusal is recorded there). */
  async function data(): Promise<string> {
    const parts: unknown[] = [await server.db.selectFrom('tenants').select('last_seq').where('id', '=', school.tenantId).execute()];
    for (const t of ['fee_categories', 'charges', 'voids', 'payments', 'students', 'roles', 'sync_changes']) {
      parts.push((await sql`select * from ${sql.table(t)} where tenant_id = ${school.tenantId} order by 1, 2`.execute(server.db)).rows);
    }
    return JSON.stringify(parts);
  }
  /** Pushes one mutation that must be refused, checks the reason and that no data changed. */
  async function refused(m: unknown, reason: RegExp, device = office): Promise<string> {
    const before = await data();
    const r = await pushOne(m, device);
    expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(reason) });
    expect(await data()).toBe(before);
    return (r as { reason: string }).reason;
  }

  const createCategory = (name: string, authorId = bursar.id) => mutation({ id: uuidv7(), name }, { name: 'fees.createCategory', authorId });
  const chargeArgs = (overrides: Partial<MutationArgs<'charges.post'>> = {}): MutationArgs<'charges.post'> => ({
    id: uuidv7(),
    studentId,
    categoryId: tuitionId,
    description: 'Tuition, Term 3 2026',
    amountMinor: 120_000,
    currency: 'KES',
    term: 'Term 3 2026',
    dueOn: '2026-08-31',
    postedAt: new Date().toISOString(),
    postedBy: 'Peter Otieno',
    structureId: null,
    ...overrides,
  });
  const charge = (args: MutationArgs<'charges.post'>, authorId = bursar.id) => mutation(args, { name: 'charges.post', authorId });
  const voidArgs = (targetTable: 'payments' | 'charges', targetId: string, reason = 'wrong amount entered'): MutationArgs<'ledger.void'> => ({
    id: uuidv7(),
    targetTable,
    targetId,
    reason,
    voidedAt: new Date().toISOString(),
    voidedBy: 'Peter Otieno',
  });
  const voidOf = (args: MutationArgs<'ledger.void'>, authorId = bursar.id) => mutation(args, { name: 'ledger.void', authorId });
  async function recordPayment(device = office): Promise<{ id: string; receiptNo: string }> {
    const n = device === office ? ++receipt : ++otherReceipt;
    const args = paymentArgs(device.receiptSeries, n, studentId);
    expect(await pushOne(mutation(args, { authorId: bursar.id }), device)).toMatchObject({ status: 'applied' });
    return { id: args.id, receiptNo: args.receiptNo };
  }
  async function changeOf(table: string, rowId: string) {
    return server.db
      .selectFrom('sync_changes')
      .select(['op', 'row', 'author_id', 'device_id', 'mutation_id'])
      .where('tenant_id', '=', school.tenantId)
      .where('table_name', '=', table)
      .where('row_id', '=', rowId)
      .execute();
  }

  describe('fees.createCategory', () => {
    it('creates an active category as a synced change authored by the bursar', async () => {
      const m = createCategory('Tuition');
      expect(await pushOne(m)).toMatchObject({ status: 'applied' });
      tuitionId = (m.args as { id: string }).id;
      const row = await server.db.selectFrom('fee_categories').select(['name', 'active', 'deleted']).where('id', '=', tuitionId).executeTakeFirstOrThrow();
      expect(row).toEqual({ name: 'Tuition', active: true, deleted: false });
      const changes = await changeOf('fee_categories', tuitionId);
      expect(changes).toEqual([{ op: 'insert', row: { id: tuitionId, name: 'Tuition', active: true }, author_id: bursar.id, device_id: office.deviceId, mutation_id: m.id }]);
      FeeCategoryRow.parse(changes[0]!.row);
    });

    it('refuses a name already used in the school, whatever its case or spacing, naming the existing category', async () => {
      const reason = await refused(createCategory('  TUITION '), /^A fee category named "Tuition" already exists in this school/);
      expect(reason).toMatch(/ignoring case/);
      await refused(createCategory('tuition'), /^A fee category named "Tuition" already exists/);
    });

    it('refuses an empty or too long name as invalid arguments', async () => {
      await refused(createCategory('   '), /^Invalid arguments for fees.createCategory: name:/);
      await refused(createCategory('x'.repeat(61)), /^Invalid arguments for fees.createCategory: name:/);
    });

    it('the database holds the rule too: a second category with the same name in another case cannot be inserted', async () => {
      await expect(
        withTenant(server.db, school.tenantId, async (trx) => {
          const seq = await allocateSeqs(trx, school.tenantId, 1);
          await trx.insertInto('fee_categories').values({ tenant_id: school.tenantId, id: uuidv7(), name: 'TUITION', _seq: seq }).execute();
        }),
      ).rejects.toThrow(/fee_categories_name_uq|duplicate key/);
    });
  });

  describe('charges.post', () => {
    it('posts a charge to the ledger exactly as chargeRowFromArgs writes it, authored by the bursar', async () => {
      const args = chargeArgs();
      const m = charge(args);
      expect(await pushOne(m)).toMatchObject({ status: 'applied' });
      const expected = chargeRowFromArgs(args, office.deviceId);
      const changes = await changeOf('charges', args.id);
      expect(changes).toEqual([{ op: 'insert', row: expected, author_id: bursar.id, device_id: office.deviceId, mutation_id: m.id }]);
      ChargeRow.parse(changes[0]!.row);
      const shaped = (await snapshot(office)).find((s) => s.value?.table === 'charges' && s.value.id === args.id)!;
      expect(JSON.parse(shaped.value!.row!)).toEqual(expected);
    });

    it('refuses a student who does not exist here, without repeating the id', async () => {
      const guessed = uuidv7();
      const reason = await refused(charge(chargeArgs({ studentId: guessed })), /^The student of this charge does not exist in this school/);
      expect(reason).not.toContain(guessed);
    });

    it('refuses a student who is not enrolled, naming them', async () => {
      await refused(charge(chargeArgs({ studentId: withdrawnId })), /^Baraka Kamau \(KHS\/2026\/00002\) is withdrawn, not enrolled; charges can only be posted to enrolled students/);
    });

    it('refuses a category that does not exist, or is inactive', async () => {
      const guessed = uuidv7();
      const reason = await refused(charge(chargeArgs({ categoryId: guessed })), /^The fee category of this charge to Amani Otieno \(KHS\/2026\/00001\) does not exist in this school/);
      expect(reason).not.toContain(guessed);
      const m = createCategory('Swimming');
      expect(await pushOne(m)).toMatchObject({ status: 'applied' });
      const swimming = (m.args as { id: string }).id;
      await withTenant(server.db, school.tenantId, async (trx) => {
        const seq = await allocateSeqs(trx, school.tenantId, 1);
        await trx.updateTable('fee_categories').set({ active: false, _seq: seq }).where('tenant_id', '=', school.tenantId).where('id', '=', swimming).execute();
        await appendChanges(trx, school.tenantId, [{ seq, table: 'fee_categories', rowId: swimming, op: 'update', row: { id: swimming, name: 'Swimming', active: false } }], { mutationId: null, deviceId: null });
      });
      await refused(charge(chargeArgs({ categoryId: swimming })), /^The fee category "Swimming" is inactive; charges can only be posted to active categories/);
    });

    it("refuses a currency other than the school's", async () => {
      await refused(charge(chargeArgs({ currency: 'USD' })), /^The charge of .*1,200\.00 to Amani Otieno \(KHS\/2026\/00001\) is in USD but this school's currency is KES/);
    });

    it.each([
      ['zero', 0, /greater than zero/],
      ['negative', -500, /greater than zero/],
      ['a fraction of a cent', 100.5, /whole number of minor units/],
      ['beyond the largest accepted amount', 1_000_000_001, /larger than any single fee payment/],
    ])('refuses an amount that is %s', async (_label, amountMinor, message) => {
      const reason = await refused(charge(chargeArgs({ amountMinor })), /^Invalid arguments for charges.post: amountMinor: /);
      expect(reason).toMatch(message);
    });

    it('refuses a second charge under the same id (the first stays as it is)', async () => {
      const args = chargeArgs({ amountMinor: 30_000 });
      expect(await pushOne(charge(args))).toMatchObject({ status: 'applied' });
      await refused(charge({ ...args, amountMinor: 999 }), /^A charge with this id was already posted/);
    });
  });

  describe('ledger.void', () => {
    it('voids a payment once: the payment is unchanged, a second void is refused with when, who and why', async () => {
      const payment = await recordPayment();
      const before = await server.db.selectFrom('payments').selectAll().where('id', '=', payment.id).executeTakeFirstOrThrow();
      const args = voidArgs('payments', payment.id, 'entered against the wrong student');
      const m = voidOf(args);
      expect(await pushOne(m)).toMatchObject({ status: 'applied' });
      const changes = await changeOf('voids', args.id);
      expect(changes).toEqual([{ op: 'insert', row: voidRowFromArgs(args, office.deviceId), author_id: bursar.id, device_id: office.deviceId, mutation_id: m.id }]);
      VoidRow.parse(changes[0]!.row);
      expect(await server.db.selectFrom('payments').selectAll().where('id', '=', payment.id).executeTakeFirstOrThrow()).toEqual(before);

      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Nairobi', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(args.voidedAt));
      const reason = await refused(voidOf(voidArgs('payments', payment.id, 'duplicate'), school.adminId), /already voided/);
      expect(reason).toBe(`Payment ${payment.receiptNo} (${formatMinor(150_000, 'KES')} from Amani Otieno) was already voided on ${today} by Peter Otieno: entered against the wrong student`);
    });

    it('voids a charge once; a second void is refused', async () => {
      const args = chargeArgs({ amountMinor: 45_000 });
      expect(await pushOne(charge(args))).toMatchObject({ status: 'applied' });
      expect(await pushOne(voidOf(voidArgs('charges', args.id, 'posted twice')))).toMatchObject({ status: 'applied' });
      const reason = await refused(voidOf(voidArgs('charges', args.id, 'again')), /^The Tuition charge \(KES\s450\.00 to Amani Otieno\) was already voided on \d{4}-\d{2}-\d{2} by Peter Otieno: posted twice$/);
      expect(reason).not.toContain(args.id);
      expect(await server.db.selectFrom('voids').select('id').where('target_id', '=', args.id).execute()).toHaveLength(1);
    });

    it('two devices voiding the same payment at the same moment: exactly one void is applied', async () => {
      const payment = await recordPayment();
      const [a, b] = await Promise.all([
        push(office, [voidOf(voidArgs('payments', payment.id, 'first device'))]),
        push(otherOffice, [voidOf(voidArgs('payments', payment.id, 'second device'), school.adminId)]),
      ]);
      expect([a[0]!.status, b[0]!.status].sort()).toEqual(['applied', 'rejected']);
      expect([a[0], b[0]].find((r) => r!.status === 'rejected')).toMatchObject({ reason: expect.stringMatching(/was already voided on .* by (Peter Otieno|Head of KHS): (first|second) device$/) });
      expect(await server.db.selectFrom('voids').select('id').where('target_id', '=', payment.id).execute()).toHaveLength(1);
      expect(await changeOf('voids', (await server.db.selectFrom('voids').select('id').where('target_id', '=', payment.id).executeTakeFirstOrThrow()).id)).toHaveLength(1);
    });

    it('the database refuses a second void of one entry even from a writer that skipped the check', async () => {
      const voided = await server.db.selectFrom('voids').select(['target_table', 'target_id']).where('tenant_id', '=', school.tenantId).limit(1).executeTakeFirstOrThrow();
      await expect(
        withTenant(server.db, school.tenantId, async (trx) => {
          const seq = await allocateSeqs(trx, school.tenantId, 1);
          await trx
            .insertInto('voids')
            .values({ tenant_id: school.tenantId, id: uuidv7(), target_table: voided.target_table, target_id: voided.target_id, reason: 'sneaky', voided_at: new Date().toISOString(), voided_by: null, device_id: office.deviceId, _seq: seq })
            .execute();
        }),
      ).rejects.toThrow(/voids_target_uq|duplicate key/);
    });

    it('a void is never a target: neither by its id nor as a table', async () => {
      const v = await server.db.selectFrom('voids').select('id').where('tenant_id', '=', school.tenantId).limit(1).executeTakeFirstOrThrow();
      await refused(voidOf(voidArgs('payments', v.id)), /^The entry to void is itself a void; a void cannot be voided/);
      await refused(voidOf(voidArgs('charges', v.id)), /^The entry to void is itself a void/);
      await refused(voidOf({ ...voidArgs('payments', v.id), targetTable: 'voids' as never }), /^Invalid arguments for ledger.void: targetTable: /);
    });

    it('refuses an entry that does not exist here (without repeating the id), a charge id given as a payment, and a reason too short', async () => {
      const guessed = uuidv7();
      const reason = await refused(voidOf(voidArgs('payments', guessed)), /^The payment to void does not exist in this school/);
      expect(reason).not.toContain(guessed);
      await refused(voidOf(voidArgs('charges', guessed)), /^The charge to void does not exist in this school/);
      const c = chargeArgs({ amountMinor: 10_000 });
      expect(await pushOne(charge(c))).toMatchObject({ status: 'applied' });
      await refused(voidOf(voidArgs('payments', c.id)), /^The payment to void does not exist in this school/);
      await refused(voidOf(voidArgs('charges', c.id, 'no')), /^Invalid arguments for ledger.void: reason: Give the reason for the void/);
    });
  });

  describe('the permission is checked against the author\'s role when applied', () => {
    it('a teacher may not create categories, post charges or void', async () => {
      const payment = await recordPayment();
      await refused(createCategory('Trips', teacher.id), /^Mary Achieng may no longer manage fees, post charges and grant discounts \(role Teacher\)/);
      await refused(charge(chargeArgs(), teacher.id), /^Mary Achieng may no longer manage fees, post charges and grant discounts \(role Teacher\)/);
      await refused(voidOf(voidArgs('payments', payment.id), teacher.id), /^Mary Achieng may no longer void ledger entries and refund overpayments \(role Teacher\)/);
    });

    it("a charge and a void queued offline by the bursar are refused once the bursar's role lost the permission, and apply after it is given back", async () => {
      const payment = await recordPayment();
      const queuedCharge = charge(chargeArgs());
      const queuedVoid = voidOf(voidArgs('payments', payment.id));
      const rolesUpdate = (permissions: string[]) => mutation({ roleId: school.roleIds.bursar, permissions }, { name: 'roles.update', authorId: school.adminId });
      expect(await pushOne(rolesUpdate(['students.view', 'payments.view', 'payments.record']))).toMatchObject({ status: 'applied' });
      await refused(queuedCharge, /^Peter Otieno may no longer manage fees, post charges and grant discounts \(role Bursar\)/);
      await refused(queuedVoid, /^Peter Otieno may no longer void ledger entries and refund overpayments \(role Bursar\)/);
      expect(await pushOne(rolesUpdate(['students.view', 'payments.view', 'payments.record', 'payments.void', 'fees.manage']))).toMatchObject({ status: 'applied' });
      // Resent from Needs attention: new mutation ids, same arguments.
      expect(await pushOne({ ...queuedCharge, id: uuidv7() })).toMatchObject({ status: 'applied' });
      expect(await pushOne({ ...queuedVoid, id: uuidv7() })).toMatchObject({ status: 'applied' });
    });

    it('a bursar moved to the registrar role may no longer void', async () => {
      const payment = await recordPayment();
      await setStaff(server.db, school.tenantId, bursar.id, { role_id: school.roleIds.registrar! });
      try {
        await refused(voidOf(voidArgs('payments', payment.id)), /^Peter Otieno may no longer void ledger entries and refund overpayments \(role Registrar\)/);
      } finally {
        await setStaff(server.db, school.tenantId, bursar.id, { role_id: school.roleIds.bursar! });
      }
    });
  });

  describe('shapes and the insert-only ledger', () => {
    it('a teacher-room device receives no fee categories, charges or voids; an office device receives them all, as stored', async () => {
      const room = await snapshot(teacherRoom);
      expect(room.length).toBeGreaterThan(0);
      for (const t of LEDGER_TABLES) expect(room.some((m) => m.value?.table === t), t).toBe(false);
      expect(JSON.stringify(room)).not.toMatch(/fee_categories|charges|voids|Tuition/);

      const officeShape = await snapshot(office);
      for (const t of LEDGER_TABLES) {
        const shaped = officeShape.filter((m) => m.value?.table === t && m.value.row);
        const ids = (await sql<{ id: string }>`select id from ${sql.table(t)} where tenant_id = ${school.tenantId}`.execute(server.db)).rows.map((r) => r.id);
        expect(shaped.map((m) => m.value!.id).sort(), t).toEqual(ids.sort());
        for (const m of shaped) {
          const row = JSON.parse(m.value!.row!) as Record<string, unknown>;
          ({ fee_categories: FeeCategoryRow, charges: ChargeRow, voids: VoidRow })[t].parse(row);
          const [last] = (await changeOf(t, m.value!.id)).slice(-1);
          expect(row).toEqual(last!.row);
        }
      }
    });

    it('charges and voids were only ever inserted: one insert change each, at the row\'s own seq', async () => {
      for (const t of ['charges', 'voids', 'payments'] as const) {
        const rows = (await sql<{ id: string; _seq: number }>`select id, _seq from ${sql.table(t)} where tenant_id = ${school.tenantId}`.execute(server.db)).rows;
        expect(rows.length, t).toBeGreaterThan(0);
        const changes = await server.db.selectFrom('sync_changes').select(['row_id', 'op', 'seq']).where('tenant_id', '=', school.tenantId).where('table_name', '=', t).execute();
        expect(changes.every((c) => c.op === 'insert'), t).toBe(true);
        expect(changes.map((c) => [c.row_id, Number(c.seq)]).sort()).toEqual(rows.map((r) => [r.id, Number(r._seq)]).sort());
      }
    });
  });
});

describe.each(BACKENDS)('migration 0004 on %s', (kind) => {
  if (backendSkipped(kind)) return;

  it("gives every school's administrator and bursar roles fees.manage, as role changes the office shape serves", async () => {
    const backend = await freshBackend(kind);
    const server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    let app: FastifyInstance | undefined;
    try {
      const one = await makeSchool(server.db, 'ONE');
      const two = await makeSchool(server.db, 'TWO');
      app = await buildServer({ db: server });
      const deviceOne = await enrol(app, one.officeCode);
      await app.close();
      app = undefined;
      const migrator = new Migrator({ db: server.db, provider: migrationProvider });
      expect((await migrator.migrateTo('0003_devices_sync')).error).toBeUndefined();
      // As schools were before 0004: nobody had fees.manage; school two had customised its bursar.
      await sql`update roles set permissions = permissions - 'fees.manage'`.execute(server.db);
      await sql`update roles set permissions = '["payments.view"]'::jsonb where tenant_id = ${two.tenantId} and key = 'bursar'`.execute(server.db);
      const lastSeq = async (tenantId: string) => (await server.db.selectFrom('tenants').select('last_seq').where('id', '=', tenantId).executeTakeFirstOrThrow()).last_seq;
      const [oneBefore, twoBefore] = [await lastSeq(one.tenantId), await lastSeq(two.tenantId)];
      const untouched = await server.db.selectFrom('roles').select(['id', 'permissions', '_seq']).where('key', 'not in', ['administrator', 'bursar']).orderBy('id').execute();

      // Up to 0005 only: 0006 adds permissions of its own (tested in server-bursary).
      expect((await migrator.migrateTo('0005_ledger_insert_only')).error).toBeUndefined();

      for (const [s, before] of [[one, oneBefore], [two, twoBefore]] as const) {
        expect(await lastSeq(s.tenantId)).toBe(before + 2);
        const roles = await server.db.selectFrom('roles').select(['id', 'key', 'name', 'permissions', '_seq']).where('tenant_id', '=', s.tenantId).where('key', 'in', ['administrator', 'bursar']).orderBy('key').execute();
        expect(roles.map((r) => r._seq)).toEqual([before + 1, before + 2]);
        for (const r of roles) {
          expect(r.permissions).toContain('fees.manage');
          const [change] = await server.db.selectFrom('sync_changes').select(['op', 'row', 'table_name', 'author_id']).where('tenant_id', '=', s.tenantId).where('seq', '=', r._seq).execute();
          expect(change).toEqual({ op: 'update', table_name: 'roles', author_id: null, row: { id: r.id, key: r.key, name: r.name, permissions: r.permissions } });
          RoleRow.parse(change!.row);
        }
      }
      const bursarTwo = await server.db.selectFrom('roles').select('permissions').where('tenant_id', '=', two.tenantId).where('key', '=', 'bursar').executeTakeFirstOrThrow();
      expect(bursarTwo.permissions).toEqual(['payments.view', 'fees.manage']);
      expect(await server.db.selectFrom('roles').select(['id', 'permissions', '_seq']).where('key', 'not in', ['administrator', 'bursar']).orderBy('id').execute()).toEqual(untouched);

      // Running it again (e.g. another process) changes nothing more; the shape serves the new roles.
      expect((await migrator.migrateTo('0005_ledger_insert_only')).error).toBeUndefined();
      expect(await lastSeq(one.tenantId)).toBe(oneBefore + 2);
      await migrateToLatest(server.db);
      app = await buildServer({ db: server });
      const res = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: { authorization: `Bearer ${deviceOne.token}` } });
      const roles = (res.json() as ShapeMessage[]).filter((m) => m.value?.table === 'roles').map((m) => JSON.parse(m.value!.row!) as RoleRow);
      expect(roles.find((r) => r.key === 'bursar')!.permissions).toContain('fees.manage');
      expect(roles.find((r) => r.key === 'teacher')!.permissions).not.toContain('fees.manage');
    } finally {
      await app?.close();
      await server.close();
      await backend.drop();
    }
  });
});

describe.each(BACKENDS)('the demo school\'s fees on %s', (kind) => {
  if (backendSkipped(kind)) return;

  it('seeds Tuition, Lunch and Transport and charges each enrolled student its class\'s Term 3 2026 structure, deterministically and once', async () => {
    const backend = await freshBackend(kind);
    const server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    try {
      await seedDemoSchool(server.db, { students: 60 });
      const categories = await server.db.selectFrom('fee_categories').select(['id', 'name', 'active']).orderBy('name').execute();
      expect(categories).toEqual(
        (['Lunch', 'Transport', 'Tuition'] as const).map((name) => ({ id: DEMO_FEE_CATEGORY_IDS[name], name, active: true })),
      );
      const students = await server.db.selectFrom('students').select(['id', 'class_name', 'status']).orderBy('admission_no').execute();
      const enrolled = students.filter((s) => s.status === 'enrolled');
      expect(enrolled.length).toBeGreaterThan(40);
      const charges = (
        await sql<ChargeRow & { _seq: number }>`select id, student_id, category_id, description, amount_minor, currency, term,
          to_char(due_on, 'YYYY-MM-DD') as due_on, posted_at, posted_by, device_id, structure_id, _seq from charges order by _seq`.execute(server.db)
      ).rows;
      // Exactly the instalments of each enrolled student's class structure, under derived ids.
      const expected = enrolled.flatMap((s) => {
        const structure = demoStructure(s.class_name!);
        return structure.items.flatMap((item) =>
          item.instalments.map((i) => ({ id: structureChargeId(structure.id, s.id, item.categoryId, i.dueOn), student_id: s.id, amount_minor: i.amountMinor, structure_id: structure.id })),
        );
      });
      expect(charges.map((c) => ({ id: c.id, student_id: c.student_id, amount_minor: c.amount_minor, structure_id: c.structure_id })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        expected.sort((a, b) => a.id.localeCompare(b.id)),
      );
      const notEnrolled = new Set(students.filter((s) => s.status !== 'enrolled').map((s) => s.id));
      expect(notEnrolled.size).toBeGreaterThan(0);
      expect(charges.some((c) => notEnrolled.has(c.student_id))).toBe(false);
      for (const c of charges) {
        const { _seq, ...row } = c;
        expect(ChargeRow.parse(row)).toEqual(row);
        expect(row).toMatchObject({ currency: 'KES', term: 'Term 3 2026', description: '' });
        const [change] = await server.db.selectFrom('sync_changes').select(['row', 'op']).where('seq', '=', _seq).where('tenant_id', '=', DEMO_SCHOOL.id).execute();
        expect(change).toEqual({ op: 'insert', row });
      }

      // Seeding again adds nothing.
      const last = await server.db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow();
      await seedDemoSchool(server.db, { students: 60 });
      expect(await withTenant(server.db, DEMO_SCHOOL.id, (trx) => seedDemoBursary(trx))).toBe(false);
      expect(await server.db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow()).toEqual(last);
      expect(Number((await sql<{ n: number }>`select count(*) as n from charges`.execute(server.db)).rows[0]!.n)).toBe(charges.length);
    } finally {
      await server.close();
      await backend.drop();
    }
  });
});
