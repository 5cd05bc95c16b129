// A new computer in Chromium: the enrolment screen, a wrong code refused in words, then the
// right code, then sign-in and the school's students.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { openApp, type AppHost } from '../../electron/core/open-app.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';

const skip = chromiumUnavailable();
const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');

describe.skipIf(skip)('enrolling a new computer, in Chromium', () => {
  let server: RunningSyncServer;
  let app: AppHost;
  let host: BrowserHost;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    server = await startSyncServer({ seedDemo: { students: 20 }, liveTimeoutMs: 1000 });
    dir = mkdtempSync(join(tmpdir(), 'schoolhouse-enrol-ui-'));
    app = await openApp({ dataDir: dir, sync: { minBackoffMs: 100, maxBackoffMs: 400 } });
    host = await startBrowserHost({ dispatch: app.dispatch, staticDir: rendererDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await app?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enrols with the administrator’s code and signs in', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await page.getByTestId('enrol-form').waitFor();
    expect(await page.getByTestId('signin-form').count()).toBe(0);

    await page.getByLabel('School server address').fill(server.url);
    await page.getByLabel('Enrolment code').fill('NOT-A-REAL-CODE');
    await page.getByLabel('Name of this computer').fill('Bursar office');
    await page.getByRole('button', { name: 'Enrol this computer' }).click();
    await expect.poll(() => page.getByTestId('enrol-error').textContent()).toMatch(/not valid/);
    expect(app.core).toBeNull();

    await page.getByLabel('Enrolment code').fill(server.demoEnrolmentCode!);
    await page.getByRole('button', { name: 'Enrol this computer' }).click();
    await expect.poll(() => page.getByTestId('enrolled-note').textContent(), { timeout: 15_000 }).toContain('Kilima Hills School');

    await page.getByLabel('Username').fill(DEMO_STAFF.bursar.username);
    await page.getByLabel('Password').fill(DEMO_STAFF.bursar.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('student-row').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    expect(app.core?.device.device_name).toBe('Bursar office');
  });
});
