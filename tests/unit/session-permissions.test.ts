// Signing in on the device (offline, through the real path: the server is unreachable) and the
// permissions core enforces on every call.
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDevice, staffFor, TEST_PASSWORD, TEST_ROLES, type TestDevice } from '../support/local-device.js';
import { applyChanges, validateChange } from '../../electron/core/sync/apply-changes.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';
import type { SyncedTable } from '../../shared/sync/protocol.js';

let device: TestDevice;
afterEach(() => device.dispose());

const count = (sql: string) => device.core.store.sqlite.prepare(sql).pluck().get() as number;

async function pull(table: SyncedTable, row: { id: string } & Record<string, unknown>, deleted = false) {
  await withSqlite(device.core.store, (sqlite) =>
    sqlite.transaction(() => applyChanges(sqlite, [validateChange({ table, id: row.id, seq: 1000, deleted, row: deleted ? null : row })]))(),
  );
}

describe('signing in on this computer', () => {
  it('nothing but the public methods answer before anyone signs in', async () => {
    device = await openTestDevice({ students: 5, signInAs: null });
    expect(await device.core.dispatch('students.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await device.core.dispatch('sync.status', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await device.core.dispatch('auth.session', {})).toEqual({ ok: true, value: { user: null, offline: false } });
    expect((await device.core.dispatch('app.info', {})).ok).toBe(true);
  });

  it('signs in offline a person who signed in here before, and records it in the login history', async () => {
    device = await openTestDevice({ students: 5, signInAs: null });
    const reply = await device.core.dispatch('auth.login', { username: 'bursar', password: TEST_PASSWORD });
    expect(reply).toMatchObject({ ok: true, value: { offline: true, user: { username: 'bursar', roleName: 'Bursar' } } });
    expect(count("select count(*) from login_history where success = 1 and offline = 1 and username = 'bursar'")).toBe(1);
    expect(count("select count(*) from outbox where name = 'logins.record'")).toBe(1);
    const logins = await device.core.dispatch('logins.list', { limit: 10 });
    expect(logins).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a wrong password, and locks this computer after five', async () => {
    device = await openTestDevice({ signInAs: null });
    for (let i = 0; i < 5; i++) {
      const wrong = await device.core.dispatch('auth.login', { username: 'bursar', password: 'not the password' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: 'Wrong username or password.' } });
    }
    const locked = await device.core.dispatch('auth.login', { username: 'bursar', password: TEST_PASSWORD });
    expect(locked).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/Too many wrong passwords/) } });
    expect(count("select count(*) from login_history where success = 0 and username = 'bursar'")).toBe(6);
    expect(await device.core.dispatch('auth.session', {})).toMatchObject({ ok: true, value: { user: null } });
  });

  it('explains that a person new to this computer must sign in online first', async () => {
    device = await openTestDevice({ signInAs: null });
    const reply = await device.core.dispatch('auth.login', { username: 'someone.new', password: TEST_PASSWORD });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/has not signed in on this computer before/) } });
  });

  it('rejects malformed sign-in input', async () => {
    device = await openTestDevice({ signInAs: null });
    expect(await device.core.dispatch('auth.login', { username: 'Robert; drop table', password: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await device.core.dispatch('auth.login', { username: 'bursar' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('signing out ends the session', async () => {
    device = await openTestDevice({ students: 3 });
    expect((await device.core.dispatch('students.list', {})).ok).toBe(true);
    expect(await device.core.dispatch('auth.logout', {})).toEqual({ ok: true, value: { user: null, offline: false } });
    expect(await device.core.dispatch('students.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
  });
});

describe('permissions in core', () => {
  it('a teacher cannot record a payment, and nothing is saved', async () => {
    device = await openTestDevice({ students: 5, signInAs: 'teacher' });
    const student = device.students[0]!;
    const reply = await device.core.dispatch('payments.record', { studentId: student.id, amountMinor: 1000 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/Teacher.*Record payments/) } });
    expect(count('select count(*) from payments')).toBe(0);
    expect(count("select count(*) from outbox where name = 'payments.record'")).toBe(0);
    expect((await device.core.dispatch('students.list', {})).ok).toBe(true);
    expect(await device.core.dispatch('payments.listForStudent', { studentId: student.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('each method answers only roles that hold its permission', async () => {
    device = await openTestDevice({ students: 2, signInAs: 'auditor' });
    expect((await device.core.dispatch('payments.listForStudent', { studentId: device.students[0]!.id })).ok).toBe(true);
    expect((await device.core.dispatch('logins.list', { limit: 5 })).ok).toBe(true);
    expect(await device.core.dispatch('roles.update', { roleId: TEST_ROLES[2]!.id, permissions: [] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await device.core.dispatch('devices.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await device.core.dispatch('payments.record', { studentId: device.students[0]!.id, amountMinor: 5 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('an administrator edits a role offline; the change is queued with its author; the administrator role stays whole', async () => {
    device = await openTestDevice({ signInAs: 'administrator' });
    const teacher = TEST_ROLES.find((r) => r.key === 'teacher')!;
    const reply = await device.core.dispatch('roles.update', { roleId: teacher.id, permissions: ['students.view', 'attendance.mark', 'reportcards.publish'] });
    expect(reply).toMatchObject({ ok: true, value: { id: teacher.id, permissions: ['students.view', 'attendance.mark', 'reportcards.publish'], editable: true } });
    const queued = device.core.store.sqlite.prepare("select args, author_id from outbox where name = 'roles.update'").get() as { args: string; author_id: string };
    expect(queued.author_id).toBe(staffFor('administrator').id);
    // The server's copy is kept, to undo the edit on screen if the server refuses it.
    const shadow = device.core.store.sqlite.prepare("select row from shadow_rows where table_name = 'roles' and row_id = ?").pluck().get(teacher.id) as string;
    expect(JSON.parse(shadow).permissions).toEqual(teacher.permissions);

    const admin = TEST_ROLES.find((r) => r.key === 'administrator')!;
    const refused = await device.core.dispatch('roles.update', { roleId: admin.id, permissions: [] });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/always keeps every permission/) } });
    expect(await device.core.dispatch('roles.update', { roleId: teacher.id, permissions: ['fly'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('a demotion that syncs in takes effect at once, even in a session that is already open', async () => {
    device = await openTestDevice({ students: 3, signInAs: 'bursar' });
    const bursar = TEST_ROLES.find((r) => r.key === 'bursar')!;
    await pull('roles', { ...bursar, permissions: ['students.view', 'payments.view'] });
    const reply = await device.core.dispatch('payments.record', { studentId: device.students[0]!.id, amountMinor: 100 });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('an account disabled at the school ends the session and loses offline sign-in here', async () => {
    device = await openTestDevice({ students: 3, signInAs: 'bursar' });
    await pull('staff', { ...staffFor('bursar'), active: false });
    expect(await device.core.dispatch('students.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(count(`select count(*) from local_credentials where username = 'bursar'`)).toBe(0);
    const again = await device.core.dispatch('auth.login', { username: 'bursar', password: TEST_PASSWORD });
    expect(again).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('online-only administration says it needs a sign-in checked by the server', async () => {
    device = await openTestDevice({ signInAs: 'administrator' });
    const reply = await device.core.dispatch('devices.list', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/sign in again while connected/) } });
  });
});

describe('staff management in core', () => {
  it('an administrator changes a role and disables an account offline; both queue for the server', async () => {
    device = await openTestDevice({ signInAs: 'administrator' });
    const bursar = staffFor('bursar');
    const teacherRole = TEST_ROLES.find((r) => r.key === 'teacher')!;
    const moved = await device.core.dispatch('staff.update', { staffId: bursar.id, roleId: teacherRole.id });
    expect(moved).toMatchObject({ ok: true, value: { id: bursar.id, roleName: 'Teacher', active: true } });
    const disabled = await device.core.dispatch('staff.update', { staffId: bursar.id, active: false });
    expect(disabled).toMatchObject({ ok: true, value: { active: false } });
    expect(count("select count(*) from outbox where name = 'staff.update'")).toBe(2);
    // Disabled here: the account can no longer sign in on this computer.
    expect(count("select count(*) from local_credentials where username = 'bursar'")).toBe(0);
    const list = await device.core.dispatch('staff.list', {});
    expect(list.ok && (list.value as { staff: unknown[] }).staff).toHaveLength(TEST_ROLES.length);
  });

  it('refuses disabling yourself and leaving the school without an active administrator, saving nothing', async () => {
    device = await openTestDevice({ signInAs: 'administrator' });
    const me = staffFor('administrator');
    const self = await device.core.dispatch('staff.update', { staffId: me.id, active: false });
    expect(self).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/your own account/) } });
    const demote = await device.core.dispatch('staff.update', { staffId: me.id, roleId: TEST_ROLES.find((r) => r.key === 'bursar')!.id });
    expect(demote).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/at least one active administrator/) } });
    expect(count("select count(*) from outbox where name = 'staff.update'")).toBe(0);
    expect(await device.core.dispatch('staff.update', { staffId: me.id })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/Nothing to change/) } });
  });

  it('only staff managers see or change staff', async () => {
    device = await openTestDevice({ signInAs: 'head_teacher' });
    expect(await device.core.dispatch('staff.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await device.core.dispatch('staff.update', { staffId: staffFor('bursar').id, active: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await device.core.dispatch('staff.create', { username: 'new.person', displayName: 'New Person', roleId: TEST_ROLES[0]!.id, password: 'a long password' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
