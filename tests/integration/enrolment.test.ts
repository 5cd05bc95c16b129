// A new computer: it answers only enrolment until someone enters a code from the administrator,
// then it is a full device of the school (issue 3: "an administrator enrols a device").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from '../../electron/core/open-app.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { waitFor } from '../support/wait.js';

let server: RunningSyncServer;
let dir: string;

beforeAll(async () => {
  server = await startSyncServer({ seedDemo: { students: 25 }, liveTimeoutMs: 1000 });
  dir = mkdtempSync(join(tmpdir(), 'schoolhouse-enrol-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('enrolling a new computer', () => {
  it('answers only enrolment before, refuses bad details clearly, and becomes a device of the school', async () => {
    const app = await openApp({ dataDir: dir, sync: { minBackoffMs: 100, maxBackoffMs: 400 } });
    expect(app.core).toBeNull();
    expect(await app.dispatch('device.state', {})).toEqual({ ok: true, value: { enrolled: false } });
    expect(await app.dispatch('students.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/not enrolled/) } });
    expect(await app.dispatch('app.info', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    const bad = await app.dispatch('device.enrol', { serverUrl: 'not a url', enrolmentCode: 'x', deviceName: '' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!bad.ok && bad.error.issues?.map((i) => i.path).sort()).toEqual(['deviceName', 'enrolmentCode', 'serverUrl']);

    const wrongCode = await app.dispatch('device.enrol', { serverUrl: server.url, enrolmentCode: 'WRONG-CODE-1', deviceName: 'Bursar office' });
    expect(wrongCode).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringMatching(/^Enrolment failed: .*not valid/) } });

    const unreachable = await app.dispatch('device.enrol', { serverUrl: 'http://127.0.0.1:9', enrolmentCode: server.demoEnrolmentCode!, deviceName: 'Bursar office' });
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/Cannot reach the sync server/) } });
    expect(app.core).toBeNull();

    const enrolled = await app.dispatch('device.enrol', { serverUrl: server.url, enrolmentCode: server.demoEnrolmentCode!, deviceName: 'Bursar office' });
    expect(enrolled).toMatchObject({ ok: true, value: { schoolName: 'Kilima Hills School', deviceName: 'Bursar office', profile: 'office' } });
    expect(await app.dispatch('device.state', {})).toEqual({ ok: true, value: { enrolled: true } });
    expect(await app.dispatch('device.enrol', { serverUrl: server.url, enrolmentCode: server.demoEnrolmentCode!, deviceName: 'Again' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await app.dispatch('auth.login', { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password })).toMatchObject({ ok: true });
    await waitFor('the school to sync', async () => {
      const r = await app.dispatch('students.count', {});
      return r.ok && (r.value as { count: number }).count === 25;
    });
    await app.close();

    const again = await openApp({ dataDir: dir, startSync: false });
    expect(again.core?.device.device_name).toBe('Bursar office');
    await again.close();
  });
});
