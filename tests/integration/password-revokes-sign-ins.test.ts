// A password change is how staff shut out someone who learnt their password: sign-ins made with
// the old one stop working on every computer at once, while the person who changed it carries on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { Fleet } from '../support/fleet.js';

let server: RunningSyncServer;
let fleet: Fleet;

beforeAll(async () => {
  server = await startSyncServer({ seedDemo: { students: 5 }, liveTimeoutMs: 1000 });
  fleet = new Fleet(() => server);
});
afterAll(async () => {
  await fleet.closeAll();
  await server.close();
});

describe('changing a password revokes sign-ins made before it', () => {
  it('the other computer must sign in again; the computer that changed it keeps working', async () => {
    const office = await fleet.enrol('Office', { startSync: false });
    const lab = await fleet.enrol('Lab', { startSync: false });
    const { username, password } = DEMO_STAFF.admin;
    for (const core of [office, lab]) expect(await core.dispatch('auth.login', { username, password })).toMatchObject({ ok: true, value: { offline: false } });
    for (const core of [office, lab]) expect(await core.dispatch('devices.list', {})).toMatchObject({ ok: true });

    const newPassword = 'a new office password 2026';
    expect(await office.dispatch('auth.changePassword', { currentPassword: password, newPassword })).toEqual({ ok: true, value: { changed: true } });

    expect(await office.dispatch('devices.list', {})).toMatchObject({ ok: true });
    expect(await lab.dispatch('devices.list', {})).toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: expect.stringMatching(/password was changed after this sign-in; sign in again with the new password\.$/) },
    });
    expect(await lab.dispatch('auth.login', { username, password: newPassword })).toMatchObject({ ok: true, value: { offline: false } });
    expect(await lab.dispatch('devices.list', {})).toMatchObject({ ok: true });
  });
});
