import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import {
  ADMIN_AUDIT_PATH,
  ADMIN_DEVICES_PATH,
  ADMIN_ENROLMENT_CODES_PATH,
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

interface ShapeMessage {
  key?: string;
  value?: { table: string; row: string | null };
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
    const res = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: auth(device) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ShapeMessage[];
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
      expect((await change(user.password, 'a brand new password')).statusCode).toBe(200);
      await signIn(app, office.token, user.username, 'a brand new password');
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
      expect([...officeTables].sort()).toEqual(['login_history', 'payments', 'roles', 'staff', 'students']);
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
});
