import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceRow, StaffRow } from '../../shared/domain/staff.js';
import { uuidv7 } from '../../shared/ids.js';
import { sha256Hex } from '../../sync-server/src/auth/hash.js';
import {
  ADMIN_AUDIT_PATH,
  ADMIN_DEVICES_PATH,
  ADMIN_ENROLMENT_CODES_PATH,
  ADMIN_STAFF_PATH,
  AUTH_LOGIN_PATH,
  AUTH_PASSWORD_PATH,
  AuditPage,
  DeviceSummary,
  EnrolmentCode,
  LoginResponse,
  PUSH_PATH,
  SHAPE_PATH,
  STAFF_TOKEN_HEADER,
  type EnrolResponse,
  type MutationResult,
  type PushResponse,
} from '../../shared/sync/protocol.js';
import { buildServer } from '../../sync-server/src/app.js';
import { openServerDb, type ServerDb } from '../../sync-server/src/db/connect.js';
import { migrateToLatest } from '../../sync-server/src/db/migrate.js';
import { migrationProvider } from '../../sync-server/src/db/migrations/index.js';
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
  signIn,
  TEST_ADMIN_PASSWORD,
  type BackendConfig,
  type TestSchool,
} from '../support/sync-server.js';
import { readSnapshot } from '../support/shape-snapshot.js';

interface ShapeMessage {
  key?: string;
  value?: { table: string; id: string; row: string | null };
}

describe.each(BACKENDS)('staff, roles and devices on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: ServerDb;
  let app: FastifyInstance;
  let school: TestSchool;
  let office: EnrolResponse;
  let teacherRoom: EnrolResponse;
  let studentId: string;
  let bursar: { id: string; username: string; password: string };
  let teacher: { id: string; username: string; password: string };
  let auditor: { id: string; username: string; password: string };
  let adminJwt: string;
  let receipt = 0;

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    school = await makeSchool(server.db, 'KHS', 'Kilima Hills');
    studentId = (await addStudent(server.db, school.tenantId)).id;
    bursar = await addStaff(server.db, school.tenantId, school.roleIds.bursar!, { username: 'bursar', displayName: 'Peter Otieno' });
    teacher = await addStaff(server.db, school.tenantId, school.roleIds.teacher!, { username: 'teacher', displayName: 'Mary Achieng' });
    auditor = await addStaff(server.db, school.tenantId, school.roleIds.auditor!, { username: 'auditor', displayName: 'James Mwangi' });
    app = await buildServer({ db: server, liveTimeoutMs: 10_000, loginRateLimit: { max: 1000, timeWindowMs: 60_000 } });
    office = await enrol(app, school.officeCode, 'Bursary PC');
    teacherRoom = await enrol(app, school.teacherCode, 'Staff room PC');
    adminJwt = await signIn(app, office.token, 'head', TEST_ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    await backend?.drop();
  });

  const auth = (device: EnrolResponse, jwt?: string) => ({ authorization: `Bearer ${device.token}`, ...(jwt ? { [STAFF_TOKEN_HEADER]: jwt } : {}) });

  async function push(device: EnrolResponse, mutations: unknown[]): Promise<MutationResult[]> {
    const res = await app.inject({ method: 'POST', url: PUSH_PATH, headers: auth(device), payload: { mutations } });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as PushResponse).results;
  }
  const payment = (authorId: string) => mutation(paymentArgs(office.receiptSeries, ++receipt, studentId), { authorId });
  const rolesUpdate = (authorId: string, roleId: string, permissions: string[]) => mutation({ roleId, permissions }, { name: 'roles.update', authorId });

  async function snapshot(device: EnrolResponse): Promise<ShapeMessage[]> {
    return readSnapshot(app, auth(device));
  }

  describe('permission-bearing mutations are checked against the author\'s role when applied', () => {
    it('payments.record: refused for a teacher, applied for the bursar', async () => {
      const [refused] = await push(office, [payment(teacher.id)]);
      expect(refused).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^Mary Achieng may no longer record payments \(role Teacher\); ask an administrator/) });
      const [applied] = await push(office, [payment(bursar.id)]);
      expect(applied).toMatchObject({ status: 'applied' });
      const rows = await server.db.selectFrom('applied_mutations').select(['author_id', 'status']).where('mutation_id', '=', applied!.mutationId).execute();
      expect(rows).toEqual([{ author_id: bursar.id, status: 'applied' }]);
      const change = await server.db.selectFrom('sync_changes').select('author_id').where('mutation_id', '=', applied!.mutationId).executeTakeFirstOrThrow();
      expect(change.author_id).toBe(bursar.id);
    });

    it('a mutation with no author, or an author from nowhere, is refused', async () => {
      const [none, stranger] = await push(office, [payment(null as never), payment(uuidv7())]);
      expect(none).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/no signed-in author/) });
      expect(stranger).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/not a staff member of this school/) });
    });

    it('roles.update: refused for the bursar, applied for the administrator; the administrator role is fixed', async () => {
      const roleId = school.roleIds.registrar!;
      const [refused] = await push(office, [rolesUpdate(bursar.id, roleId, ['students.view'])]);
      expect(refused).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^Peter Otieno may no longer edit roles and permissions \(role Bursar\)/) });
      const [applied] = await push(office, [rolesUpdate(school.adminId, roleId, ['students.view', 'attendance.mark'])]);
      expect(applied).toMatchObject({ status: 'applied' });
      const role = await server.db.selectFrom('roles').select(['permissions', '_seq']).where('id', '=', roleId).executeTakeFirstOrThrow();
      expect(role.permissions).toEqual(['attendance.mark', 'students.view']);
      const change = await server.db.selectFrom('sync_changes').select(['row', 'table_name']).where('seq', '=', role._seq).where('tenant_id', '=', school.tenantId).executeTakeFirstOrThrow();
      expect(change).toMatchObject({ table_name: 'roles', row: { id: roleId, permissions: ['attendance.mark', 'students.view'] } });

      const [admin] = await push(office, [rolesUpdate(school.adminId, school.roleIds.administrator!, [])]);
      expect(admin).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/always holds every permission/) });
      const [unknown] = await push(office, [rolesUpdate(school.adminId, uuidv7(), [])]);
      expect(unknown).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/does not exist in this school/) });
    });

    it('logins.record: an offline sign-in is appended once, with the pushing device\'s id', async () => {
      const id = uuidv7();
      const m = mutation({ id, userId: teacher.id, username: 'teacher', at: new Date().toISOString(), success: true, reason: null }, { name: 'logins.record', authorId: null });
      expect(await push(teacherRoom, [m])).toEqual([{ mutationId: m.id, status: 'applied' }]);
      const again = mutation(m.args, { name: 'logins.record', authorId: null });
      expect((await push(teacherRoom, [m, again])).map((r) => r.status)).toEqual(['applied', 'applied']);
      const rows = await server.db.selectFrom('login_history').selectAll().where('id', '=', id).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ offline: true, device_id: teacherRoom.deviceId, success: true, user_id: teacher.id });
    });
  });

  describe('admin routes need the permission in the caller\'s current role', () => {
    const routes: [string, 'GET' | 'POST', () => string, unknown, string][] = [
      ['create enrolment code', 'POST', () => ADMIN_ENROLMENT_CODES_PATH, { profile: 'office' }, 'enrol and revoke devices'],
      ['list devices', 'GET', () => ADMIN_DEVICES_PATH, undefined, 'enrol and revoke devices'],
      ['revoke a device', 'POST', () => `${ADMIN_DEVICES_PATH}/${uuidv7()}/revoke`, undefined, 'enrol and revoke devices'],
      ['audit', 'GET', () => ADMIN_AUDIT_PATH, undefined, 'see and export the audit trail'],
    ];
    it.each(routes)('%s: 403 for a teacher, allowed for the administrator', async (_label, method, url, payload, phrase) => {
      const teacherJwt = await signIn(app, office.token, teacher.username, teacher.password);
      const before = await server.db.selectFrom('enrolment_codes').select('code_hash').execute();
      const refused = await app.inject({ method, url: url(), headers: auth(office, teacherJwt), ...(payload ? { payload: payload as object } : {}) });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'forbidden', message: `Mary Achieng may not ${phrase} (role Teacher); ask an administrator.` });
      expect(await server.db.selectFrom('enrolment_codes').select('code_hash').execute()).toHaveLength(before.length);
      const allowed = await app.inject({ method, url: url(), headers: auth(office, adminJwt), ...(payload ? { payload: payload as object } : {}) });
      // Revoking an id that is not in this school: past the permission check, then 404.
      expect(allowed.statusCode, allowed.body).toBe(url().endsWith('/revoke') ? 404 : 200);
    });

    it('the auditor may read the audit trail but not manage devices', async () => {
      const jwt = await signIn(app, office.token, auditor.username, auditor.password);
      expect((await app.inject({ method: 'GET', url: ADMIN_AUDIT_PATH, headers: auth(office, jwt) })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: ADMIN_DEVICES_PATH, headers: auth(office, jwt) })).statusCode).toBe(403);
    });

    it('refuses a missing, forged or other-device staff token with 401', async () => {
      const url = ADMIN_DEVICES_PATH;
      expect((await app.inject({ method: 'GET', url, headers: auth(office) })).statusCode).toBe(401);
      const [h, p] = adminJwt.split('.');
      const forged = `${h}.${p}.${'A'.repeat(43)}`;
      expect((await app.inject({ method: 'GET', url, headers: auth(office, forged) })).statusCode).toBe(401);
      const res = await app.inject({ method: 'GET', url, headers: auth(teacherRoom, adminJwt) });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ message: expect.stringMatching(/another device/) });
    });

    it('issues single-use codes that enrol a device with their profile; the audit lists changes newest first, also as CSV', async () => {
      const res = await app.inject({ method: 'POST', url: ADMIN_ENROLMENT_CODES_PATH, headers: auth(office, adminJwt), payload: { profile: 'teacher_room' } });
      const code = EnrolmentCode.parse(res.json());
      expect(code.code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
      expect(Date.parse(code.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
      const stored = await server.db.selectFrom('enrolment_codes').select('code_hash').execute();
      expect(JSON.stringify(stored)).not.toContain(code.code);
      const device = await enrol(app, code.code, 'Library PC');
      expect(device.profile).toBe('teacher_room');
      const second = await app.inject({ method: 'POST', url: '/v1/devices/enrol', payload: { enrolmentCode: code.code, deviceName: 'Again' } });
      expect(second.statusCode).toBe(401);
      expect(second.json()).toMatchObject({ message: expect.stringMatching(/already been used or has expired/) });

      const list = await app.inject({ method: 'GET', url: ADMIN_DEVICES_PATH, headers: auth(office, adminJwt) });
      const devices = (list.json() as { devices: unknown[] }).devices.map((d) => DeviceSummary.parse(d));
      expect(devices.find((d) => d.id === device.deviceId)).toMatchObject({ name: 'Library PC', profile: 'teacher_room', revokedAt: null });

      const audit = AuditPage.parse((await app.inject({ method: 'GET', url: `${ADMIN_AUDIT_PATH}?limit=3`, headers: auth(office, adminJwt) })).json());
      expect(audit.rows).toHaveLength(3);
      expect(audit.rows[0]!.seq).toBeGreaterThan(audit.rows[2]!.seq);
      const older = AuditPage.parse((await app.inject({ method: 'GET', url: `${ADMIN_AUDIT_PATH}?limit=3&before=${audit.next}`, headers: auth(office, adminJwt) })).json());
      expect(older.rows[0]!.seq).toBeLessThan(audit.rows[2]!.seq);
      const paymentEntry = (await app.inject({ method: 'GET', url: `${ADMIN_AUDIT_PATH}?limit=1000`, headers: auth(office, adminJwt) })).json() as AuditPage;
      expect(paymentEntry.rows.find((r) => r.table === 'payments')).toMatchObject({ userName: 'Peter Otieno', deviceName: 'Bursary PC', op: 'insert' });

      const csv = await app.inject({ method: 'GET', url: `${ADMIN_AUDIT_PATH}?format=csv&limit=1000`, headers: auth(office, adminJwt) });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.body.trim().split('\r\n');
      expect(lines[0]).toBe('seq,at,table,row_id,op,user,device');
      expect(lines.some((l) => l.endsWith(',Peter Otieno,Bursary PC'))).toBe(true);

      const bad = await app.inject({ method: 'GET', url: `${ADMIN_AUDIT_PATH}?limit=0`, headers: auth(office, adminJwt) });
      expect(bad.statusCode).toBe(400);
      const badCode = await app.inject({ method: 'POST', url: ADMIN_ENROLMENT_CODES_PATH, headers: auth(office, adminJwt), payload: { profile: 'kitchen' } });
      expect(badCode.statusCode).toBe(400);
    });
  });

  describe('sign-in', () => {
    it('returns an access token and the user with the role\'s permissions; every attempt is in the login history', async () => {
      const res = await app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: auth(office), payload: { username: 'BURSAR', password: bursar.password } });
      expect(res.statusCode, res.body).toBe(200);
      const body = LoginResponse.parse(res.json());
      expect(body.user).toMatchObject({ id: bursar.id, displayName: 'Peter Otieno', roleName: 'Bursar' });
      expect(body.user.permissions).toContain('payments.record');
      const history = await server.db.selectFrom('login_history').selectAll().where('user_id', '=', bursar.id).where('success', '=', true).execute();
      expect(history.at(-1)).toMatchObject({ offline: false, device_id: office.deviceId, username: 'bursar' });
    });

    it('locks an account for 15 minutes after 5 wrong passwords (423), counting each attempt', async () => {
      const user = await addStaff(server.db, school.tenantId, school.roleIds.registrar!, { username: 'registrar', displayName: 'Faith Njeri' });
      const attempt = (password: string) => app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: auth(office), payload: { username: 'registrar', password } });
      for (let i = 1; i <= 4; i++) {
        const res = await attempt('not the password');
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ code: 'unauthenticated', message: 'Wrong username or password.' });
      }
      const fifth = await attempt('not the password');
      expect(fifth.statusCode).toBe(423);
      expect(fifth.json()).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/locked after 5 wrong passwords until .+ \(Africa\/Nairobi\).*administrator/) });
      // Even the right password waits out the lock.
      expect((await attempt(user.password)).statusCode).toBe(423);
      const row = await server.db.selectFrom('staff').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow();
      const minutes = (row.locked_until!.getTime() - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(14);
      expect(minutes).toBeLessThanOrEqual(15);
      const history = await server.db.selectFrom('login_history').select(['success', 'reason']).where('user_id', '=', user.id).execute();
      expect(history).toHaveLength(6);
      expect(history.every((h) => !h.success)).toBe(true);
      // An administrator unlocks (here: directly), and the right password works again.
      await server.db.updateTable('staff').set({ locked_until: null }).where('id', '=', user.id).execute();
      expect((await attempt(user.password)).statusCode).toBe(200);
    });

    it('an unknown username gets the same answer as a wrong password; a deactivated account gets 403', async () => {
      const unknown = await app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: auth(office), payload: { username: 'nobody', password: 'whatever-it-is' } });
      expect(unknown.statusCode).toBe(401);
      expect(unknown.json()).toEqual({ code: 'unauthenticated', message: 'Wrong username or password.' });
      const gone = await addStaff(server.db, school.tenantId, school.roleIds.teacher!, { username: 'leaver', displayName: 'Ian Kamau' });
      await setStaff(server.db, school.tenantId, gone.id, { active: false });
      const res = await app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: auth(office), payload: { username: 'leaver', password: gone.password } });
      expect(res.statusCode).toBe(403);
      const bad = await app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: auth(office), payload: { username: 'x' } });
      expect(bad.statusCode).toBe(400);
      expect((await app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, payload: { username: 'head', password: TEST_ADMIN_PASSWORD } })).statusCode).toBe(401);
    });

    it('changes a password after checking the current one', async () => {
      const user = await addStaff(server.db, school.tenantId, school.roleIds.teacher!, { username: 'changer', displayName: 'Lucy Wekesa' });
      const jwt = await signIn(app, office.token, user.username, user.password);
      const change = (currentPassword: string, newPassword: string) =>
        app.inject({ method: 'POST', url: AUTH_PASSWORD_PATH, headers: auth(office, jwt), payload: { currentPassword, newPassword } });
      expect((await change('wrong-current', 'a brand new password')).statusCode).toBe(401);
      expect((await change(user.password, 'short')).statusCode).toBe(400);
      const changed = await change(user.password, 'a brand new password');
      expect(changed.statusCode).toBe(200);
      const { accessToken } = changed.json() as { accessToken: string };
      await signIn(app, office.token, user.username, 'a brand new password');
      // The new password revokes tokens issued before it (a leaked sign-in stops working); the
      // caller carries on with the token the answer gave.
      const stale = await change('a brand new password', 'a third new password');
      expect(stale.statusCode).toBe(401);
      expect(stale.json()).toEqual({ code: 'unauthenticated', message: "Lucy Wekesa's password was changed after this sign-in; sign in again with the new password." });
      const fresh = await app.inject({
        method: 'POST',
        url: AUTH_PASSWORD_PATH,
        headers: auth(office, accessToken),
        payload: { currentPassword: 'a brand new password', newPassword: 'a third new password' },
      });
      expect(fresh.statusCode, fresh.body).toBe(200);
    });

    it("an administrator's password reset revokes the person's existing sign-ins at once", async () => {
      const user = await addStaff(server.db, school.tenantId, school.roleIds.auditor!, { username: 'revokedsignin', displayName: 'Peter Otieno' });
      const jwt = await signIn(app, office.token, user.username, user.password);
      const audit = () => app.inject({ method: 'GET', url: ADMIN_AUDIT_PATH, headers: auth(office, jwt) });
      expect((await audit()).statusCode).toBe(200);
      const reset = await app.inject({ method: 'POST', url: `${ADMIN_STAFF_PATH}/${user.id}/password`, headers: auth(office, adminJwt), payload: { newPassword: 'set by the office 1' } });
      expect(reset.statusCode, reset.body).toBe(200);
      const refused = await audit();
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ message: "Peter Otieno's password was changed after this sign-in; sign in again with the new password." });
      const again = await signIn(app, office.token, user.username, 'set by the office 1');
      expect((await app.inject({ method: 'GET', url: ADMIN_AUDIT_PATH, headers: auth(office, again) })).statusCode).toBe(200);
    });
  });

  describe('changes made offline by someone demoted or deactivated meanwhile go to needs attention', () => {
    it('a demoted bursar\'s queued payments are rejected with the reason, recorded, and a replay answers the same', async () => {
      const clerk = await addStaff(server.db, school.tenantId, school.roleIds.bursar!, { username: 'clerk', displayName: 'Salim Juma' });
      const queued = [payment(clerk.id), payment(clerk.id)];
      // Made offline while still bursar; the administrator demotes them before the device syncs.
      await setStaff(server.db, school.tenantId, clerk.id, { role_id: school.roleIds.teacher! });
      const results = await push(office, queued);
      for (const r of results) {
        expect(r).toMatchObject({ status: 'rejected', reason: 'Salim Juma may no longer record payments (role Teacher); ask an administrator, then resend from Needs attention.' });
      }
      const recorded = await server.db.selectFrom('applied_mutations').select(['status', 'author_id']).where('mutation_id', 'in', queued.map((m) => m.id)).execute();
      expect(recorded).toEqual([
        { status: 'rejected', author_id: clerk.id },
        { status: 'rejected', author_id: clerk.id },
      ]);
      // Restored later: the replay still gets the recorded answer (a resend is a new mutation).
      await setStaff(server.db, school.tenantId, clerk.id, { role_id: school.roleIds.bursar! });
      expect(await push(office, queued)).toEqual(results);
      expect(await server.db.selectFrom('payments').select('id').where('id', 'in', queued.map((m) => (m.args as { id: string }).id)).execute()).toEqual([]);
    });

    it('a deactivated user\'s queued payment is rejected likewise', async () => {
      const clerk = await addStaff(server.db, school.tenantId, school.roleIds.bursar!, { username: 'clerk2', displayName: 'Zawadi Ali' });
      const m = payment(clerk.id);
      await setStaff(server.db, school.tenantId, clerk.id, { active: false });
      const [r] = await push(office, [m]);
      expect(r).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^Zawadi Ali's account has been deactivated.*Needs attention\.$/) });
      expect(await push(office, [m])).toEqual([r]);
    });
  });

  describe('shape by enrolment profile', () => {
    it('a teacher-room device receives no payments and no login history; an office device does', async () => {
      const teacherMessages = await snapshot(teacherRoom);
      const teacherTables = new Set(teacherMessages.filter((m) => m.value).map((m) => m.value!.table));
      expect([...teacherTables].sort()).toEqual(['roles', 'staff', 'students']);
      const officeTables = new Set((await snapshot(office)).filter((m) => m.value).map((m) => m.value!.table));
      expect([...officeTables].sort()).toEqual(['devices', 'login_history', 'payments', 'roles', 'staff', 'students']);
      const h1 = (await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: auth(teacherRoom) })).headers['electric-handle'];
      const h2 = (await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: auth(office) })).headers['electric-handle'];
      expect(h1).not.toBe(h2);
    });

    it('staff rows carry no password fields, in the shape or the change log', async () => {
      const staff = (await snapshot(office)).filter((m) => m.value?.table === 'staff');
      expect(staff.length).toBeGreaterThan(3);
      for (const m of staff) expect(Object.keys(JSON.parse(m.value!.row!)).sort()).toEqual(['active', 'display_name', 'id', 'role_id', 'username']);
      const changes = await server.db.selectFrom('sync_changes').select('row').where('table_name', '=', 'staff').execute();
      for (const c of changes) expect(JSON.stringify(c.row)).not.toMatch(/password|failed_attempts|locked_until|scrypt/);
    });
  });

  describe('revocation stops sync at once', () => {
    it('a revoked device gets 401 on push, shape, sign-in and admin routes', async () => {
      const lost = await enrol(app, school.officeCode, 'Lost laptop');
      const lostJwt = await signIn(app, lost.token, 'head', TEST_ADMIN_PASSWORD);
      const res = await app.inject({ method: 'POST', url: `${ADMIN_DEVICES_PATH}/${lost.deviceId}/revoke`, headers: auth(office, adminJwt) });
      expect(res.statusCode, res.body).toBe(200);
      expect(DeviceSummary.parse(res.json()).revokedAt).not.toBeNull();
      const statuses = await Promise.all([
        app.inject({ method: 'POST', url: PUSH_PATH, headers: auth(lost), payload: { mutations: [payment(bursar.id)] } }),
        app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: auth(lost) }),
        app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: auth(lost), payload: { username: 'head', password: TEST_ADMIN_PASSWORD } }),
        app.inject({ method: 'GET', url: ADMIN_DEVICES_PATH, headers: auth(lost, lostJwt) }),
      ]);
      expect(statuses.map((r) => r.statusCode)).toEqual([401, 401, 401, 401]);
    });

    it('a long-poll waiting when its device is revoked is answered 401', async () => {
      const device = await enrol(app, school.officeCode, 'Waiting PC');
      const first = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: auth(device) });
      const handle = first.headers['electric-handle'] as string;
      let offset = first.headers['electric-offset'] as string;
      // Page to the end of the log so the live request waits.
      for (let more = first.headers['electric-up-to-date'] !== 'true'; more; ) {
        const next = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=${offset}&handle=${handle}`, headers: auth(device) });
        offset = next.headers['electric-offset'] as string;
        more = next.headers['electric-up-to-date'] !== 'true';
      }
      const started = Date.now();
      const live = app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=${offset}&handle=${handle}&live=true`, headers: auth(device) });
      let answered = false;
      void live.then(() => (answered = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      const revoke = await app.inject({ method: 'POST', url: `${ADMIN_DEVICES_PATH}/${device.deviceId}/revoke`, headers: auth(office, adminJwt) });
      expect(revoke.statusCode).toBe(200);
      const res = await live;
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ message: expect.stringMatching(/removed from the school/) });
      expect(Date.now() - started).toBeLessThan(8000);
    });
  });

  describe('staff accounts: online creation, unlock and password reset', () => {
    const post = (url: string, payload: object | undefined, jwt = adminJwt) =>
      app.inject({ method: 'POST', url, headers: auth(office, jwt), ...(payload ? { payload } : {}) });
    const staffCount = async () => (await server.db.selectFrom('staff').select('id').where('tenant_id', '=', school.tenantId).execute()).length;
    const login = (username: string, password: string) =>
      app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: auth(office), payload: { username, password } });

    it('creates an account that can sign in at once; the synced row carries no password', async () => {
      const res = await post(ADMIN_STAFF_PATH, { username: ' Nurse.Wambui ', displayName: 'Esther Wambui', roleId: school.roleIds.teacher, password: 'first password 2026' });
      expect(res.statusCode, res.body).toBe(200);
      const row = StaffRow.parse(res.json());
      expect(row).toMatchObject({ username: 'nurse.wambui', display_name: 'Esther Wambui', role_id: school.roleIds.teacher, active: true });
      expect(Object.keys(res.json() as object).sort()).toEqual(['active', 'display_name', 'id', 'role_id', 'username']);
      const stored = await server.db.selectFrom('staff').select(['password_hash', '_seq']).where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      const change = await server.db
        .selectFrom('sync_changes')
        .select(['row', 'op', 'author_id', 'device_id'])
        .where('tenant_id', '=', school.tenantId)
        .where('seq', '=', stored._seq)
        .executeTakeFirstOrThrow();
      expect(change).toEqual({ row, op: 'insert', author_id: school.adminId, device_id: office.deviceId });
      expect(JSON.stringify(change.row)).not.toMatch(/password|scrypt/);
      const shapeRow = (await snapshot(office)).find((m) => m.value?.table === 'staff' && m.value.id === row.id);
      expect(JSON.parse(shapeRow!.value!.row!)).toEqual(row);
      const signedIn = await login('nurse.wambui', 'first password 2026');
      expect(signedIn.statusCode, signedIn.body).toBe(200);
      expect(LoginResponse.parse(signedIn.json()).user).toMatchObject({ id: row.id, roleName: 'Teacher' });
    });

    it('a username already in the school is 409 (whatever its case), and nothing is created', async () => {
      const before = await staffCount();
      for (const username of ['bursar', 'BURSAR']) {
        const res = await post(ADMIN_STAFF_PATH, { username, displayName: 'Someone Else', roleId: school.roleIds.bursar, password: 'another password 1' });
        expect(res.statusCode).toBe(409);
        expect(res.json()).toEqual({ code: 'conflict', message: 'The username "bursar" is already taken in this school; choose another.' });
      }
      // Two administrators creating the same username at once: exactly one account.
      const racing = await Promise.all(
        [1, 2].map(() => post(ADMIN_STAFF_PATH, { username: 'twin', displayName: 'Twin', roleId: school.roleIds.teacher, password: 'twin password 123' })),
      );
      expect(racing.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(await staffCount()).toBe(before + 1);
    });

    it('bad input is 400 with the field at fault; a role of no school is 404; nothing changes', async () => {
      const before = await staffCount();
      const last = (await server.db.selectFrom('tenants').select('last_seq').where('id', '=', school.tenantId).executeTakeFirstOrThrow()).last_seq;
      const valid = { username: 'newbie', displayName: 'New Person', roleId: school.roleIds.teacher!, password: 'a long password' };
      const cases: [object, RegExp][] = [
        [{ ...valid, password: 'short' }, /^Invalid new staff account: password: A password needs at least 10 characters\.$/],
        [{ ...valid, username: 'no spaces allowed' }, /username: A username is 2 to 32 letters/],
        [{ ...valid, displayName: '   ' }, /displayName: Enter the person’s name\./],
        [{ ...valid, roleId: 'teacher' }, /roleId:/],
        [{ username: 'newbie' }, /displayName.*roleId.*password|password/],
      ];
      for (const [payload, message] of cases) {
        const res = await post(ADMIN_STAFF_PATH, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json()).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(message) });
      }
      const noRole = await post(ADMIN_STAFF_PATH, { ...valid, roleId: uuidv7() });
      expect(noRole.statusCode).toBe(404);
      expect(noRole.json()).toMatchObject({ code: 'not_found', message: expect.stringMatching(/^That role does not exist in this school/) });
      expect(await staffCount()).toBe(before);
      const after = (await server.db.selectFrom('tenants').select('last_seq').where('id', '=', school.tenantId).executeTakeFirstOrThrow()).last_seq;
      expect(after).toBe(last);
    });

    it('unlock: a locked-out person can sign in again at once', async () => {
      const user = await addStaff(server.db, school.tenantId, school.roleIds.registrar!, { username: 'forgetful', displayName: 'Joseph Kiprono' });
      for (let i = 0; i < 5; i++) await login('forgetful', 'not the password');
      expect((await login('forgetful', user.password)).statusCode).toBe(423);
      const res = await post(`${ADMIN_STAFF_PATH}/${user.id}/unlock`, undefined);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ unlocked: true });
      expect(await server.db.selectFrom('staff').select(['failed_attempts', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow()).toEqual({
        failed_attempts: 0,
        locked_until: null,
      });
      expect((await login('forgetful', user.password)).statusCode).toBe(200);

      const unknown = await post(`${ADMIN_STAFF_PATH}/${uuidv7()}/unlock`, undefined);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual({ code: 'not_found', message: 'No such staff member in this school.' });
      const bad = await post(`${ADMIN_STAFF_PATH}/not-a-uuid/unlock`, undefined);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ message: expect.stringMatching(/The staff id in the path must be a UUID/) });
    });

    it('password reset: the new password works (and unlocks), the old one no longer does', async () => {
      const user = await addStaff(server.db, school.tenantId, school.roleIds.teacher!, { username: 'resetme', displayName: 'Agnes Chebet' });
      for (let i = 0; i < 5; i++) await login('resetme', 'not the password');
      const hashBefore = (await server.db.selectFrom('staff').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()).password_hash;
      const short = await post(`${ADMIN_STAFF_PATH}/${user.id}/password`, { newPassword: 'short' });
      expect(short.statusCode).toBe(400);
      expect(short.json()).toMatchObject({ message: expect.stringMatching(/^Invalid password reset: newPassword: A password needs at least 10 characters/) });
      const unchanged = await server.db.selectFrom('staff').select(['password_hash', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(unchanged.password_hash).toBe(hashBefore);
      expect(unchanged.locked_until).not.toBeNull();

      const res = await post(`${ADMIN_STAFF_PATH}/${user.id}/password`, { newPassword: 'a fresh start 2026' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ changed: true });
      expect((await login('resetme', user.password)).statusCode).toBe(401);
      expect((await login('resetme', 'a fresh start 2026')).statusCode).toBe(200);
      // Nothing about passwords reaches the change log.
      const changes = await server.db.selectFrom('sync_changes').select('row').where('row_id', '=', user.id).execute();
      for (const c of changes) expect(JSON.stringify(c.row)).not.toMatch(/password|scrypt|fresh start/);

      const unknown = await post(`${ADMIN_STAFF_PATH}/${uuidv7()}/password`, { newPassword: 'a fresh start 2026' });
      expect(unknown.statusCode).toBe(404);
    });

    it('a role without staff.manage is refused (403) on every staff route, and nothing changes', async () => {
      const victim = await addStaff(server.db, school.tenantId, school.roleIds.teacher!, { username: 'victim', displayName: 'Ruth Auma' });
      await server.db.updateTable('staff').set({ failed_attempts: 3 }).where('id', '=', victim.id).execute();
      const before = await server.db.selectFrom('staff').selectAll().where('tenant_id', '=', school.tenantId).orderBy('id').execute();
      const bursarJwt = await signIn(app, office.token, bursar.username, bursar.password);
      const attempts = [
        post(ADMIN_STAFF_PATH, { username: 'sneaky', displayName: 'Sneaky', roleId: school.roleIds.administrator, password: 'sneaky password 1' }, bursarJwt),
        post(`${ADMIN_STAFF_PATH}/${victim.id}/unlock`, undefined, bursarJwt),
        post(`${ADMIN_STAFF_PATH}/${victim.id}/password`, { newPassword: 'taken over 12345' }, bursarJwt),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({ code: 'forbidden', message: 'Peter Otieno may not manage staff accounts (role Bursar); ask an administrator.' });
      }
      // Without a staff token at all: 401.
      expect((await app.inject({ method: 'POST', url: `${ADMIN_STAFF_PATH}/${victim.id}/unlock`, headers: auth(office) })).statusCode).toBe(401);
      const after = await server.db.selectFrom('staff').selectAll().where('tenant_id', '=', school.tenantId).orderBy('id').execute();
      expect(after).toEqual(before);
    });
  });

  describe('staff.update (offline-capable): role, name and enabled state', () => {
    const staffUpdate = (authorId: string, args: { staffId: string; roleId?: string; displayName?: string; active?: boolean }) =>
      mutation(args, { name: 'staff.update', authorId });
    const staffRowOf = (id: string) =>
      server.db.selectFrom('staff').select(['id', 'username', 'display_name', 'role_id', 'active', '_seq']).where('id', '=', id).executeTakeFirstOrThrow();

    it('changes a role and a name as a synced change authored by the administrator', async () => {
      const person = await addStaff(server.db, school.tenantId, school.roleIds.teacher!, { username: 'promoted', displayName: 'Daniel Mutua' });
      const m = staffUpdate(school.adminId, { staffId: person.id, roleId: school.roleIds.bursar!, displayName: 'Daniel K. Mutua' });
      expect(await push(office, [m])).toEqual([{ mutationId: m.id, status: 'applied' }]);
      const row = await staffRowOf(person.id);
      expect(row).toMatchObject({ role_id: school.roleIds.bursar, display_name: 'Daniel K. Mutua', active: true });
      const change = await server.db
        .selectFrom('sync_changes')
        .select(['row', 'op', 'author_id', 'mutation_id'])
        .where('tenant_id', '=', school.tenantId)
        .where('seq', '=', row._seq)
        .executeTakeFirstOrThrow();
      expect(change).toEqual({
        op: 'update',
        author_id: school.adminId,
        mutation_id: m.id,
        row: { id: person.id, username: 'promoted', display_name: 'Daniel K. Mutua', role_id: school.roleIds.bursar, active: true },
      });
      // The new role counts at once: the promoted person may now record payments.
      expect((await push(office, [payment(person.id)]))[0]).toMatchObject({ status: 'applied' });
      // The same change again (e.g. from a second device): applied, nothing more logged.
      const again = staffUpdate(school.adminId, { staffId: person.id, roleId: school.roleIds.bursar! });
      expect((await push(office, [again]))[0]).toMatchObject({ status: 'applied' });
      expect((await staffRowOf(person.id))._seq).toBe(row._seq);
    });

    it('disabling: sign-in is 403, and their queued changes are refused', async () => {
      const clerk = await addStaff(server.db, school.tenantId, school.roleIds.bursar!, { username: 'leaving', displayName: 'Hassan Omar' });
      const queued = payment(clerk.id);
      const [r] = await push(office, [staffUpdate(school.adminId, { staffId: clerk.id, active: false })]);
      expect(r).toMatchObject({ status: 'applied' });
      expect((await staffRowOf(clerk.id)).active).toBe(false);
      const res = await app.inject({ method: 'POST', url: AUTH_LOGIN_PATH, headers: auth(office), payload: { username: 'leaving', password: clerk.password } });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/deactivated/) });
      const [refused] = await push(office, [queued]);
      expect(refused).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^Hassan Omar's account has been deactivated/) });
      // Enabled again: they can sign in.
      expect((await push(office, [staffUpdate(school.adminId, { staffId: clerk.id, active: true })]))[0]).toMatchObject({ status: 'applied' });
      await signIn(app, office.token, 'leaving', clerk.password);
    });

    it('an unknown person or role is refused with the reason, and nothing changes', async () => {
      const seqBefore = (await staffRowOf(teacher.id))._seq;
      const [noOne, noRole, nothing] = await push(office, [
        staffUpdate(school.adminId, { staffId: uuidv7(), active: false }),
        staffUpdate(school.adminId, { staffId: teacher.id, roleId: uuidv7() }),
        staffUpdate(school.adminId, { staffId: teacher.id }),
      ]);
      expect(noOne).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^That staff member does not exist in this school/) });
      expect(noRole).toMatchObject({ status: 'rejected', reason: 'The new role for Mary Achieng does not exist in this school (it may have been removed); nothing was changed.' });
      expect(nothing).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/Nothing to change/) });
      expect((await staffRowOf(teacher.id))._seq).toBe(seqBefore);
    });

    it('refused for a role without staff.manage, checked when applied', async () => {
      const [r] = await push(office, [staffUpdate(bursar.id, { staffId: teacher.id, roleId: school.roleIds.administrator! })]);
      expect(r).toMatchObject({ status: 'rejected', reason: 'Peter Otieno may no longer manage staff accounts (role Bursar); ask an administrator, then resend from Needs attention.' });
      expect((await staffRowOf(teacher.id)).role_id).toBe(school.roleIds.teacher);
    });

    it('the last active administrator cannot be demoted or disabled, and nobody disables their own account', async () => {
      const reasons = (await push(office, [
        staffUpdate(school.adminId, { staffId: school.adminId, roleId: school.roleIds.teacher! }),
        staffUpdate(school.adminId, { staffId: school.adminId, active: false }),
      ])).map((r) => (r.status === 'rejected' ? r.reason : r.status));
      expect(reasons).toEqual([
        `Head of KHS is the school's only active administrator; changing the role of this account would leave nobody able to manage the school. Make someone else an administrator first, then resend from Needs attention.`,
        'You cannot disable your own account; ask another administrator to do it. Nothing was changed.',
      ]);

      // With a second administrator, the first may step down; then the second is the last.
      const deputy = await addStaff(server.db, school.tenantId, school.roleIds.administrator!, { username: 'deputy', displayName: 'Beatrice Nyambura' });
      const [stepDown] = await push(office, [staffUpdate(school.adminId, { staffId: school.adminId, roleId: school.roleIds.registrar! })]);
      expect(stepDown).toMatchObject({ status: 'applied' });
      const [last, self] = await push(office, [
        staffUpdate(deputy.id, { staffId: deputy.id, roleId: school.roleIds.bursar! }),
        staffUpdate(deputy.id, { staffId: deputy.id, active: false }),
      ]);
      expect(last).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^Beatrice Nyambura is the school's only active administrator/) });
      expect(self).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^You cannot disable your own account/) });
      // A disabled administrator does not count: disabling the only other one is refused too.
      const [restore] = await push(office, [staffUpdate(deputy.id, { staffId: school.adminId, roleId: school.roleIds.administrator! })]);
      expect(restore).toMatchObject({ status: 'applied' });
      expect((await push(office, [staffUpdate(school.adminId, { staffId: deputy.id, active: false })]))[0]).toMatchObject({ status: 'applied' });
      const [lastOne] = await push(office, [staffUpdate(school.adminId, { staffId: school.adminId, roleId: school.roleIds.teacher! })]);
      expect(lastOne).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^Head of KHS is the school's only active administrator/) });
      expect(await staffRowOf(school.adminId)).toMatchObject({ role_id: school.roleIds.administrator, active: true });
    });

    it('two administrators stepping down at the same moment from two devices: exactly one succeeds', async () => {
      const second = await addStaff(server.db, school.tenantId, school.roleIds.administrator!, { username: 'second', displayName: 'Caroline Wafula' });
      const otherPc = await enrol(app, school.officeCode, 'Head office PC');
      const [a, b] = await Promise.all([
        push(office, [staffUpdate(school.adminId, { staffId: school.adminId, roleId: school.roleIds.registrar! })]),
        push(otherPc, [staffUpdate(second.id, { staffId: second.id, roleId: school.roleIds.registrar! })]),
      ]);
      const statuses = [a[0]!.status, b[0]!.status].sort();
      expect(statuses).toEqual(['applied', 'rejected']);
      const admins = await server.db
        .selectFrom('staff')
        .innerJoin('roles', 'roles.id', 'staff.role_id')
        .select('staff.id')
        .where('staff.tenant_id', '=', school.tenantId)
        .where('roles.key', '=', 'administrator')
        .where('staff.active', '=', true)
        .execute();
      expect(admins).toHaveLength(1);
      // Put the head back in charge for the tests that follow.
      if (a[0]!.status === 'applied') {
        expect((await push(otherPc, [staffUpdate(second.id, { staffId: school.adminId, roleId: school.roleIds.administrator! })]))[0]).toMatchObject({ status: 'applied' });
      }
      expect((await push(office, [staffUpdate(school.adminId, { staffId: second.id, active: false })]))[0]).toMatchObject({ status: 'applied' });
    });
  });

  describe('devices are synced to office devices (never their tokens)', () => {
    async function pageToEnd(device: EnrolResponse): Promise<{ handle: string; offset: string }> {
      let res = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: auth(device) });
      const handle = res.headers['electric-handle'] as string;
      while (res.headers['electric-up-to-date'] !== 'true') {
        res = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=${res.headers['electric-offset']}&handle=${handle}`, headers: auth(device) });
      }
      return { handle, offset: res.headers['electric-offset'] as string };
    }

    it('enrolment and revocation are changes with the DeviceRow fields, authored by who issued the code and who revoked', async () => {
      const from = await pageToEnd(office);
      const codeRes = await app.inject({ method: 'POST', url: ADMIN_ENROLMENT_CODES_PATH, headers: auth(office, adminJwt), payload: { profile: 'teacher_room' } });
      const pc = await enrol(app, (codeRes.json() as { code: string }).code, 'Science lab PC');
      const enrolled = await server.db.selectFrom('devices').select(['_seq', 'token_hash']).where('id', '=', pc.deviceId).executeTakeFirstOrThrow();
      expect(enrolled.token_hash).toBe(sha256Hex(pc.token));
      const insert = await server.db
        .selectFrom('sync_changes')
        .select(['row', 'op', 'table_name', 'author_id', 'device_id'])
        .where('tenant_id', '=', school.tenantId)
        .where('seq', '=', enrolled._seq)
        .executeTakeFirstOrThrow();
      expect(insert).toMatchObject({ table_name: 'devices', op: 'insert', author_id: school.adminId, device_id: pc.deviceId });
      const insertedRow = DeviceRow.parse(insert.row);
      expect(Object.keys(insert.row as object).sort()).toEqual(['enrolled_at', 'id', 'name', 'profile', 'receipt_series', 'revoked_at']);
      expect(insertedRow).toMatchObject({ id: pc.deviceId, name: 'Science lab PC', profile: 'teacher_room', receipt_series: pc.receiptSeries, revoked_at: null });
      expect(Math.abs(Date.parse(insertedRow.enrolled_at) - Date.now())).toBeLessThan(60_000);

      const revoke = await app.inject({ method: 'POST', url: `${ADMIN_DEVICES_PATH}/${pc.deviceId}/revoke`, headers: auth(office, adminJwt) });
      expect(revoke.statusCode).toBe(200);
      const revoked = await server.db.selectFrom('devices').select('_seq').where('id', '=', pc.deviceId).executeTakeFirstOrThrow();
      const update = await server.db
        .selectFrom('sync_changes')
        .select(['row', 'op', 'author_id', 'device_id'])
        .where('tenant_id', '=', school.tenantId)
        .where('seq', '=', revoked._seq)
        .executeTakeFirstOrThrow();
      expect(update).toMatchObject({ op: 'update', author_id: school.adminId, device_id: office.deviceId });
      const revokedRow = DeviceRow.parse(update.row);
      expect(revokedRow.revoked_at).toBe(DeviceSummary.parse(revoke.json()).revokedAt);
      // Revoking again changes nothing and logs nothing.
      expect((await app.inject({ method: 'POST', url: `${ADMIN_DEVICES_PATH}/${pc.deviceId}/revoke`, headers: auth(office, adminJwt) })).statusCode).toBe(200);
      expect((await server.db.selectFrom('devices').select('_seq').where('id', '=', pc.deviceId).executeTakeFirstOrThrow())._seq).toBe(revoked._seq);

      // The office device's next shape request brings the device's newest state, exactly as logged.
      const next = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=${from.offset}&handle=${from.handle}`, headers: auth(office) });
      const messages = (next.json() as ShapeMessage[]).filter((m) => m.value?.table === 'devices' && m.value.id === pc.deviceId);
      expect(messages).toHaveLength(1);
      expect(JSON.parse(messages[0]!.value!.row!)).toEqual(update.row);
      expect(next.body).not.toContain(enrolled.token_hash);
      expect(next.body).not.toContain(pc.token);
    });

    it('the office snapshot lists every device of the school with exactly the DeviceRow fields; teacher rooms get no devices', async () => {
      const rows = (await snapshot(office)).filter((m) => m.value?.table === 'devices').map((m) => JSON.parse(m.value!.row!) as Record<string, unknown>);
      const ids = (await server.db.selectFrom('devices').select('id').where('tenant_id', '=', school.tenantId).execute()).map((d) => d.id);
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      for (const r of rows) {
        DeviceRow.parse(r);
        expect(Object.keys(r).sort()).toEqual(['enrolled_at', 'id', 'name', 'profile', 'receipt_series', 'revoked_at']);
      }
      expect(rows.find((r) => r.id === office.deviceId)).toMatchObject({ name: 'Bursary PC', profile: 'office', revoked_at: null });
      expect((await snapshot(teacherRoom)).some((m) => m.value?.table === 'devices')).toBe(false);
      const hashes = await server.db.selectFrom('devices').select('token_hash').execute();
      const log = JSON.stringify(await server.db.selectFrom('sync_changes').select('row').where('table_name', '=', 'devices').execute());
      for (const h of hashes) expect(log).not.toContain(h.token_hash);
      expect(log).not.toMatch(/token/);
    });
  });
});

describe.each(BACKENDS)('migration 0003 on %s: devices enrolled before it become synced rows', (kind) => {
  if (backendSkipped(kind)) return;

  it("backfills each school's devices after its log, as DeviceRow changes the office shape serves", async () => {
    const backend = await freshBackend(kind);
    const server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    let app: FastifyInstance | undefined;
    try {
      const one = await makeSchool(server.db, 'ONE');
      const two = await makeSchool(server.db, 'TWO');
      await addStudent(server.db, one.tenantId);
      const migrator = new Migrator({ db: server.db, provider: migrationProvider });
      const down = await migrator.migrateTo('0002_staff_roles');
      expect(down.error).toBeUndefined();
      const lastSeq = async (tenantId: string) => (await server.db.selectFrom('tenants').select('last_seq').where('id', '=', tenantId).executeTakeFirstOrThrow()).last_seq;
      const [oneBefore, twoBefore] = [await lastSeq(one.tenantId), await lastSeq(two.tenantId)];
      const [d1, d2, d3] = [uuidv7(), uuidv7(), uuidv7()];
      // As 0002 enrolled them: no _seq, no change, microsecond timestamps.
      await sql`insert into devices (tenant_id, id, name, token_hash, receipt_series, profile, enrolled_at, revoked_at) values
        (${one.tenantId}, ${d1}, 'Old office PC', ${sha256Hex('token-one')}, 'ONE-D1', 'office', '2026-01-05 08:30:00.123456+00', null),
        (${one.tenantId}, ${d2}, 'Old lab PC', ${sha256Hex('token-two')}, 'ONE-D2', 'teacher_room', '2026-01-06 09:00:00+00', '2026-02-01 10:15:30.999999+00'),
        (${two.tenantId}, ${d3}, 'Two office', ${sha256Hex('token-three')}, 'TWO-D1', 'office', '2026-01-04 07:00:00+00', null)`.execute(server.db);
      await sql`update tenants set next_device_no = case when id = ${one.tenantId} then 3 else 2 end`.execute(server.db);

      expect((await migrator.migrateTo('0003_devices_sync')).error).toBeUndefined();

      const devices = await server.db.selectFrom('devices').select(['id', '_seq', 'tenant_id']).orderBy('_seq').execute();
      expect(devices.filter((d) => d.tenant_id === one.tenantId).map((d) => [d.id, d._seq])).toEqual([
        [d1, oneBefore + 1],
        [d2, oneBefore + 2],
      ]);
      expect(devices.filter((d) => d.tenant_id === two.tenantId).map((d) => [d.id, d._seq])).toEqual([[d3, twoBefore + 1]]);
      expect(await lastSeq(one.tenantId)).toBe(oneBefore + 2);
      expect(await lastSeq(two.tenantId)).toBe(twoBefore + 1);
      const changes = await server.db.selectFrom('sync_changes').select(['tenant_id', 'seq', 'row_id', 'op', 'row']).where('table_name', '=', 'devices').orderBy('seq').execute();
      expect(changes.find((c) => c.row_id === d2)).toEqual({
        tenant_id: one.tenantId,
        seq: oneBefore + 2,
        row_id: d2,
        op: 'insert',
        row: { id: d2, name: 'Old lab PC', profile: 'teacher_room', receipt_series: 'ONE-D2', enrolled_at: '2026-01-06T09:00:00.000Z', revoked_at: '2026-02-01T10:15:30.999Z' },
      });
      expect(JSON.stringify(changes)).not.toMatch(/token/);

      // The office device of school one syncs both of its school's devices (and nothing of two's),
      // exactly as logged; new enrolments continue the log without gaps.
      await migrateToLatest(server.db);
      const migratedSeq = await lastSeq(one.tenantId);
      app = await buildServer({ db: server });
      const res = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: { authorization: 'Bearer token-one' } });
      expect(res.statusCode, res.body).toBe(200);
      const rows = (res.json() as ShapeMessage[]).filter((m) => m.value?.table === 'devices').map((m) => JSON.parse(m.value!.row!) as DeviceRow);
      expect(rows.map((r) => r.id).sort()).toEqual([d1, d2].sort());
      expect(rows.find((r) => r.id === d1)).toEqual(changes.find((c) => c.row_id === d1)!.row);
      expect(rows.find((r) => r.id === d1)!.enrolled_at).toBe('2026-01-05T08:30:00.123Z');
      const fresh = await enrol(app, one.officeCode, 'New PC');
      const freshSeq = (await server.db.selectFrom('devices').select('_seq').where('id', '=', fresh.deviceId).executeTakeFirstOrThrow())._seq;
      expect(freshSeq).toBe(migratedSeq + 1);
    } finally {
      await app?.close();
      await server.close();
      await backend.drop();
    }
  });
});
