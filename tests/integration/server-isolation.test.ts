// Tenant isolation: with school A's device token and A's administrator, nothing of school B can
// be read or changed through any route; and underneath the code, PostgreSQL's row-level
// security keeps the request-serving role inside one school.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import {
  ADMIN_AUDIT_PATH,
  ADMIN_DEVICES_PATH,
  ADMIN_ENROLMENT_CODES_PATH,
  ADMIN_STAFF_PATH,
  AUTH_LOGIN_PATH,
  AUTH_PASSWORD_PATH,
  PUSH_PATH,
  SHAPE_PATH,
  STAFF_TOKEN_HEADER,
  type EnrolResponse,
  type PushResponse,
} from '../../shared/sync/protocol.js';
import { buildServer } from '../../sync-server/src/app.js';
import { openServerDb, type ServerDb } from '../../sync-server/src/db/connect.js';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
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
  signIn,
  TEST_ADMIN_PASSWORD,
  type BackendConfig,
  type TestSchool,
} from '../support/sync-server.js';
import { readSnapshot } from '../support/shape-snapshot.js';

const TENANT_TABLES = [
  'devices',
  'students',
  'payments',
  'sync_changes',
  'applied_mutations',
  'terms',
  'roles',
  'staff',
  'login_history',
  'enrolment_codes',
  'fee_categories',
  'charges',
  'voids',
] as const;

describe.each(BACKENDS)('tenant isolation on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: ServerDb;
  let app: FastifyInstance;
  let a: TestSchool;
  let b: TestSchool;
  let deviceA: EnrolResponse;
  let deviceB: EnrolResponse;
  let adminA: string;
  let studentA: string;
  let studentB: string;
  let staffB: { id: string; username: string; password: string };
  /** B's ledger: a fee category, a charge, a payment and a void (of the payment). */
  let ledgerB: { categoryId: string; chargeId: string; paymentId: string; voidId: string };
  /** A's own category, for charges A tries to post to B's student. */
  let categoryA: string;
  /** Every id and name of school B: none may appear in any answer given to A. */
  let secretsOfB: string[];
  const answers: LightMyRequestResponse[] = [];

  async function snapshotOf(tenantId: string): Promise<string> {
    const parts: unknown[] = [await server.db.selectFrom('tenants').selectAll().where('id', '=', tenantId).execute()];
    for (const t of TENANT_TABLES) {
      parts.push(await sql`select * from ${sql.table(t)} where tenant_id = ${tenantId} order by 1, 2`.execute(server.db).then((r) => r.rows));
    }
    return JSON.stringify(parts);
  }

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    a = await makeSchool(server.db, 'AAA', 'Acacia Primary');
    b = await makeSchool(server.db, 'BVA', 'Bamboo Valley Academy');
    studentA = (await addStudent(server.db, a.tenantId)).id;
    studentB = (await addStudent(server.db, b.tenantId, { first_name: 'Zuberi', last_name: 'Quarshie', admission_no: 'BVA/2026/77777' })).id;
    staffB = await addStaff(server.db, b.tenantId, b.roleIds.bursar!, { username: 'bvbursar', displayName: 'Wanjala Bvbursar' });
    app = await buildServer({ db: server, loginRateLimit: { max: 1000, timeWindowMs: 60_000 }, liveTimeoutMs: 1000 });
    deviceA = await enrol(app, a.officeCode, 'Acacia office');
    deviceB = await enrol(app, b.officeCode, 'Bamboo office');
    adminA = await signIn(app, deviceA.token, 'head', TEST_ADMIN_PASSWORD);
    // B does some work of its own, so its log has payments, logins and changes to leak.
    const jwtB = await signIn(app, deviceB.token, staffB.username, staffB.password);
    expect(jwtB).toBeTruthy();
    // One wrong attempt on B: an unlock leaking across schools would reset this counter.
    const wrong = await app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: { authorization: `Bearer ${deviceB.token}` }, payload: { username: staffB.username, password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    const paymentB = paymentArgs(deviceB.receiptSeries, 1, studentB);
    ledgerB = { categoryId: uuidv7(), chargeId: uuidv7(), paymentId: paymentB.id, voidId: uuidv7() };
    const now = new Date().toISOString();
    const pushB = await app.inject({
      method: 'POST',
      url: PUSH_PATH,
      headers: { authorization: `Bearer ${deviceB.token}` },
      payload: {
        mutations: [
          mutation(paymentB, { authorId: staffB.id }),
          mutation({ id: ledgerB.categoryId, name: 'Bamboo Boarding' }, { name: 'fees.createCategory', authorId: staffB.id }),
          mutation(
            { id: ledgerB.chargeId, studentId: studentB, categoryId: ledgerB.categoryId, description: 'Boarding Bvterm', amountMinor: 777_700, currency: 'KES', term: 'Bvterm', dueOn: '2026-08-31', postedAt: now, postedBy: 'Wanjala Bvbursar' },
            { name: 'charges.post', authorId: staffB.id },
          ),
          mutation({ id: ledgerB.voidId, targetTable: 'payments', targetId: paymentB.id, reason: 'Bvreason duplicate', voidedAt: now, voidedBy: 'Wanjala Bvbursar' }, { name: 'ledger.void', authorId: staffB.id }),
        ],
      },
    });
    expect((pushB.json() as PushResponse).results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    // A keeps a ledger of its own (every tenant table of A has rows for the RLS checks below).
    const paymentA = paymentArgs(deviceA.receiptSeries, 100, studentA);
    categoryA = uuidv7();
    const chargeA = uuidv7();
    const pushA = await app.inject({
      method: 'POST',
      url: PUSH_PATH,
      headers: { authorization: `Bearer ${deviceA.token}` },
      payload: {
        mutations: [
          mutation(paymentA, { authorId: a.adminId }),
          mutation({ id: categoryA, name: 'Acacia Tuition' }, { name: 'fees.createCategory', authorId: a.adminId }),
          mutation(
            { id: chargeA, studentId: studentA, categoryId: categoryA, description: '', amountMinor: 100_000, currency: 'KES', term: null, dueOn: '2026-08-31', postedAt: now, postedBy: null },
            { name: 'charges.post', authorId: a.adminId },
          ),
          mutation({ id: uuidv7(), targetTable: 'charges', targetId: chargeA, reason: 'posted by mistake', voidedAt: now, voidedBy: null }, { name: 'ledger.void', authorId: a.adminId }),
        ],
      },
    });
    expect((pushA.json() as PushResponse).results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    // (B's username is not in the list: A types it below, so A's own login history holds it.)
    secretsOfB = [b.tenantId, b.name, deviceB.deviceId, deviceB.receiptSeries, 'Bamboo office', studentB, 'Quarshie', 'BVA/2026', staffB.id, 'Wanjala', b.adminId, ...Object.values(b.roleIds), ...Object.values(ledgerB), 'Bamboo Boarding', 'Bvterm', 'Bvreason', '7,777.00', '777700'];
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    await backend?.drop();
  });

  describe("with A's device and administrator, B's data is out of reach", () => {
    let before: string;
    beforeAll(async () => {
      before = await snapshotOf(b.tenantId);
    });

    const asA = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${deviceA.token}`, [STAFF_TOKEN_HEADER]: adminA, ...extra });
    async function call(method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse> {
      const res = await app.inject({ method, url, headers: asA(), ...(payload ? { payload } : {}) });
      answers.push(res);
      return res;
    }
    async function pushAsA(args: unknown, overrides: Parameters<typeof mutation>[1] = {}) {
      const res = await call('POST', PUSH_PATH, { mutations: [mutation(args, { authorId: a.adminId, ...overrides })] });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as PushResponse).results[0]!;
    }

    it("push: a payment for B's student is rejected as unknown", async () => {
      const r = await pushAsA(paymentArgs(deviceA.receiptSeries, 1, studentB));
      expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/does not exist in this school/) });
    });

    it("push: B's staff member as author is not a staff member here", async () => {
      const r = await pushAsA(paymentArgs(deviceA.receiptSeries, 2, studentA), { authorId: staffB.id });
      expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/not a staff member of this school/) });
    });

    it("push: roles.update on B's role id is rejected as unknown", async () => {
      const r = await pushAsA({ roleId: b.roleIds.bursar, permissions: [] }, { name: 'roles.update' });
      expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/does not exist in this school/) });
    });

    it('push: a forged tenantId in the arguments is ignored; the payment lands in A', async () => {
      const args = { ...paymentArgs(deviceA.receiptSeries, 3, studentA), tenantId: b.tenantId, tenant_id: b.tenantId };
      const res = await call('POST', PUSH_PATH, { tenantId: b.tenantId, mutations: [mutation(args, { authorId: a.adminId })] });
      expect((res.json() as PushResponse).results[0]!.status).toBe('applied');
      const row = await server.db.selectFrom('payments').select('tenant_id').where('id', '=', args.id).executeTakeFirstOrThrow();
      expect(row.tenant_id).toBe(a.tenantId);
    });

    it("admin: revoking B's device is 404; listing devices shows only A's", async () => {
      const revoke = await call('POST', `${ADMIN_DEVICES_PATH}/${deviceB.deviceId}/revoke`);
      expect(revoke.statusCode).toBe(404);
      const list = await call('GET', ADMIN_DEVICES_PATH);
      expect(list.statusCode).toBe(200);
      expect((list.json() as { devices: { id: string }[] }).devices.map((d) => d.id)).toEqual([deviceA.deviceId]);
    });

    it("admin: the audit trail (JSON and CSV, every page) holds only A's changes", async () => {
      const json = await call('GET', `${ADMIN_AUDIT_PATH}?limit=1000`);
      expect(json.statusCode).toBe(200);
      const csv = await call('GET', `${ADMIN_AUDIT_PATH}?limit=1000&format=csv&tenantId=${b.tenantId}`);
      expect(csv.statusCode).toBe(200);
      const seqs = (json.json() as { rows: { seq: number }[] }).rows.map((r) => r.seq);
      const lastA = await server.db.selectFrom('tenants').select('last_seq').where('id', '=', a.tenantId).executeTakeFirstOrThrow();
      expect(seqs.length).toBe(lastA.last_seq);
    });

    it('admin: an enrolment code with a forged tenantId is issued for A', async () => {
      const res = await call('POST', ADMIN_ENROLMENT_CODES_PATH, { profile: 'office', tenantId: b.tenantId });
      expect(res.statusCode).toBe(200);
      const device = await enrol(app, (res.json() as { code: string }).code, 'New Acacia PC');
      expect(device.school.id).toBe(a.tenantId);
    });

    it("sign-in: B's username on A's device is unknown, and B's account is not touched", async () => {
      const res = await call('POST', AUTH_LOGIN_PATH, { username: staffB.username, password: staffB.password, tenantId: b.tenantId });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'unauthenticated', message: 'Wrong username or password.' });
      const pw = await call('POST', AUTH_PASSWORD_PATH, { currentPassword: staffB.password, newPassword: 'hijacked-password-123', userId: staffB.id });
      expect(pw.statusCode).toBe(401);
    });

    it("shape: where is refused, table and B's handle are no way in", async () => {
      const where = await call('GET', `${SHAPE_PATH}?offset=-1&where=${encodeURIComponent(`tenant_id='${b.tenantId}'`)}`);
      expect(where.statusCode).toBe(400);
      const table = await call('GET', `${SHAPE_PATH}?offset=-1&table=payments&tenant_id=${b.tenantId}`);
      expect(table.statusCode).toBe(200);
      const ids = (table.json() as { value?: { id: string } }[]).filter((m) => m.value).map((m) => m.value!.id);
      expect(ids).toContain(studentA);
      const handleB = (await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: { authorization: `Bearer ${deviceB.token}` } })).headers['electric-handle'];
      const withB = await call('GET', `${SHAPE_PATH}?offset=0_0&handle=${handleB}`);
      expect(withB.statusCode).toBe(409);
    });

    it("admin: creating staff with B's role id is 404, and B's usernames are free in A (unique per school)", async () => {
      const withRoleB = await call('POST', ADMIN_STAFF_PATH, { username: 'intruder', displayName: 'In Truder', roleId: b.roleIds.administrator, password: 'intruder password 1' });
      expect(withRoleB.statusCode).toBe(404);
      expect(withRoleB.json()).toEqual({ code: 'not_found', message: 'That role does not exist in this school; choose one of the school’s roles.' });
      const forged = await call('POST', ADMIN_STAFF_PATH, { username: staffB.username, displayName: 'Acacia Namesake', roleId: a.roleIds.teacher, password: 'namesake password 1', tenantId: b.tenantId });
      expect(forged.statusCode, forged.body).toBe(200);
      const created = await server.db.selectFrom('staff').select('tenant_id').where('id', '=', (forged.json() as { id: string }).id).executeTakeFirstOrThrow();
      expect(created.tenant_id).toBe(a.tenantId);
    });

    it("admin: unlocking or resetting the password of B's staff (ids guessed) is 404", async () => {
      for (const id of [staffB.id, b.adminId]) {
        const unlock = await call('POST', `${ADMIN_STAFF_PATH}/${id}/unlock`);
        expect(unlock.statusCode).toBe(404);
        expect(unlock.json()).toEqual({ code: 'not_found', message: 'No such staff member in this school.' });
        const reset = await call('POST', `${ADMIN_STAFF_PATH}/${id}/password`, { newPassword: 'hijacked-password-123' });
        expect(reset.statusCode).toBe(404);
      }
      // B's password still works on B's device (checked after the snapshot comparison below).
    });

    it("push: staff.update of B's staff, or to B's role, is rejected as unknown", async () => {
      const disable = await pushAsA({ staffId: b.adminId, active: false }, { name: 'staff.update' });
      expect(disable).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^That staff member does not exist in this school/) });
      const promote = await pushAsA({ staffId: staffB.id, roleId: b.roleIds.administrator }, { name: 'staff.update' });
      expect(promote).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^That staff member does not exist in this school/) });
      const roleB = await pushAsA({ staffId: a.adminId, roleId: b.roleIds.teacher }, { name: 'staff.update' });
      expect(roleB).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^The new role for Head of AAA does not exist in this school/) });
    });

    it("push: voiding B's payment or charge (ids guessed) is rejected as unknown, naming no id", async () => {
      for (const [targetTable, targetId] of [['payments', ledgerB.paymentId], ['charges', ledgerB.chargeId], ['payments', ledgerB.voidId]] as const) {
        const r = await pushAsA({ id: uuidv7(), targetTable, targetId, reason: 'not ours', voidedAt: new Date().toISOString(), voidedBy: null }, { name: 'ledger.void' });
        expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^The (payment|charge) to void does not exist in this school/) });
      }
    });

    it("push: a charge to B's student, or to B's fee category, is rejected as unknown; B's category name is free in A", async () => {
      const charge = (studentId: string, categoryId: string) => ({
        id: uuidv7(),
        studentId,
        categoryId,
        description: '',
        amountMinor: 5_000,
        currency: 'KES',
        term: null,
        dueOn: '2026-09-30',
        postedAt: new Date().toISOString(),
        postedBy: null,
      });
      const toStudentB = await pushAsA(charge(studentB, categoryA), { name: 'charges.post' });
      expect(toStudentB).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^The student of this charge does not exist in this school/) });
      const toCategoryB = await pushAsA(charge(studentA, ledgerB.categoryId), { name: 'charges.post' });
      expect(toCategoryB).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^The fee category of this charge to .* does not exist in this school/) });
      const namesake = await pushAsA({ id: uuidv7(), name: 'bamboo boarding' }, { name: 'fees.createCategory' });
      expect(namesake).toMatchObject({ status: 'applied' });
    });

    it("shape: A's office device gets A's fee categories, charges and voids only", async () => {
      const messages = (await readSnapshot(app, asA(), (res) => answers.push(res))).filter((m) => m.value);
      for (const table of ['fee_categories', 'charges', 'voids'] as const) {
        const shaped = messages.filter((m) => m.value!.table === table).map((m) => m.value!.id);
        const ofA = (await sql<{ id: string }>`select id from ${sql.table(table)} where tenant_id = ${a.tenantId}`.execute(server.db)).rows.map((r) => r.id);
        expect(shaped.length, table).toBeGreaterThan(0);
        expect(shaped.sort(), table).toEqual(ofA.sort());
      }
    });

    it("shape: A's office device syncs A's devices only; a teacher-room device syncs none", async () => {
      const devices = (await readSnapshot(app, asA(), (res) => answers.push(res))).filter((m) => m.value?.table === 'devices').map((m) => m.value!.id);
      const ofA = (await server.db.selectFrom('devices').select('id').where('tenant_id', '=', a.tenantId).execute()).map((d) => d.id);
      expect(devices.sort()).toEqual(ofA.sort());
      expect(devices).not.toContain(deviceB.deviceId);
      const room = await enrol(app, a.teacherCode, 'Acacia staff room');
      const roomShape = await readSnapshot(app, { authorization: `Bearer ${room.token}` }, (res) => answers.push(res));
      expect(roomShape.some((m) => m.value?.table === 'devices')).toBe(false);
    });

    it("no answer to A names anything of B, and B's rows are exactly as before", async () => {
      expect(answers.length).toBeGreaterThan(10);
      for (const res of answers) {
        for (const secret of secretsOfB) expect(res.body, `${res.raw.req.url} leaked ${secret}`).not.toContain(secret);
      }
      expect(await snapshotOf(b.tenantId)).toBe(before);
      await signIn(app, deviceB.token, staffB.username, staffB.password);
    });
  });

  describe('row-level security on the schoolhouse_app connection', () => {
    const app_ = () => server.app as Kysely<ServerDatabase>;

    it('runs as a role that is neither superuser nor exempt from row-level security', async () => {
      const r = await sql<{ user: string; rolsuper: boolean; rolbypassrls: boolean }>`
        select current_user as user, rolsuper, rolbypassrls from pg_roles where rolname = current_user`.execute(app_());
      expect(r.rows).toEqual([{ user: 'schoolhouse_app', rolsuper: false, rolbypassrls: false }]);
    });

    it.each([...TENANT_TABLES, 'tenants'])('%s: with app.tenant_id = A, no row of B; with none set, no rows at all', async (table) => {
      const column = table === 'tenants' ? 'id' : 'tenant_id';
      const seen = await withTenant(app_(), a.tenantId, (trx) =>
        sql<{ t: string }>`select ${sql.ref(column)} as t from ${sql.table(table)}`.execute(trx).then((r) => r.rows.map((x) => x.t)),
      );
      expect(seen.filter((t) => t !== a.tenantId)).toEqual([]);
      if (table !== 'terms') expect(seen.length).toBeGreaterThan(0);
      const unset = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(app_());
      expect(unset.rows[0]!.n).toBe(0);
      // Even with the owner's view, B has rows there to hide (terms aside: none were created).
      const all = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(column)} = ${b.tenantId}`.execute(server.db);
      if (table !== 'terms') expect(all.rows[0]!.n).toBeGreaterThan(0);
    });

    it("an insert or update with B's tenant_id is refused while bound to A", async () => {
      await expect(
        withTenant(app_(), a.tenantId, (trx) =>
          trx
            .insertInto('students')
            .values({ tenant_id: b.tenantId, id: uuidv7(), admission_no: 'X/1', first_name: 'In', last_name: 'Truder', class_name: null, status: 'enrolled', guardian_phone: null, _seq: 999 })
            .execute(),
        ),
      ).rejects.toThrow(/row-level security/);
      await expect(
        withTenant(app_(), a.tenantId, (trx) => trx.updateTable('students').set({ tenant_id: b.tenantId }).where('id', '=', studentA).execute()),
      ).rejects.toThrow(/row-level security/);
      const updated = await withTenant(app_(), a.tenantId, (trx) => trx.updateTable('students').set({ first_name: 'Hacked' }).where('id', '=', studentB).executeTakeFirst());
      expect(Number(updated.numUpdatedRows)).toBe(0);
      const untouched = await server.db.selectFrom('students').select(['first_name', 'tenant_id']).where('id', '=', studentB).executeTakeFirstOrThrow();
      expect(untouched).toEqual({ first_name: 'Zuberi', tenant_id: b.tenantId });
    });

    it.each(['payments', 'charges', 'voids', 'login_history', 'sync_changes', 'applied_mutations'])(
      '%s is insert-only for the app role: even its own school’s rows cannot be updated or deleted',
      async (table) => {
        await expect(withTenant(app_(), a.tenantId, (trx) => sql`update ${sql.table(table)} set tenant_id = tenant_id`.execute(trx))).rejects.toThrow(/permission denied/);
        await expect(withTenant(app_(), a.tenantId, (trx) => sql`delete from ${sql.table(table)}`.execute(trx))).rejects.toThrow(/permission denied/);
      },
    );

    it('cannot read the server secrets or create tables', async () => {
      await expect(sql`select * from server_secrets`.execute(app_())).rejects.toThrow(/permission denied/);
      await expect(sql`create table evil (x int)`.execute(app_())).rejects.toThrow(/permission denied/);
    });
  });
});
