// The first of the three layers of permissions: the UI shows each role only what it may do.
// (Core and the server refuse the same actions: tests/unit/session-permissions.test.ts and
// tests/integration/server-roles.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { waitFor } from '../support/wait.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';

const skip = chromiumUnavailable();
const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
const STUDENTS = 40;
const ALL_TABS = ['students', 'roles', 'logins', 'devices', 'audit', 'staff'] as const;

describe.skipIf(skip)('what each role sees, in Chromium', () => {
  let server: RunningSyncServer;
  let core: Core;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    server = await startSyncServer({ seedDemo: { students: STUDENTS }, liveTimeoutMs: 1500 });
    dir = mkdtempSync(join(tmpdir(), 'schoolhouse-roles-ui-'));
    core = await openCore({
      dataDir: dir,
      enrol: { serverUrl: server.url, enrolmentCode: server.demoEnrolmentCode!, deviceName: 'Staff room' },
      sync: { minBackoffMs: 100, maxBackoffMs: 400, idlePushIntervalMs: 200 },
    });
    await waitFor('initial sync', async () => core.store.sqlite.prepare('select count(*) from students').pluck().get() === STUDENTS);
    host = await startBrowserHost({ dispatch: core.dispatch, staticDir: rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await core?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signInAs(who: { username: string; password: string }): Promise<void> {
    if (await page.getByTestId('signed-in-user').count()) {
      await page.getByRole('button', { name: 'Sign out' }).click();
    }
    await page.getByTestId('signin-form').waitFor();
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
  }

  async function visibleTabs(): Promise<string[]> {
    const tabs: string[] = [];
    for (const t of ALL_TABS) if (await page.getByTestId(`nav-${t}`).count()) tabs.push(t);
    return tabs;
  }

  async function openFirstStudent(): Promise<void> {
    await page.getByTestId('nav-students').click();
    await page.getByTestId('student-row').first().click();
    await page.getByRole('region', { name: 'Selected student' }).waitFor();
  }

  it('a teacher sees students but no payments and no administration', async () => {
    await signInAs(DEMO_STAFF.teacher);
    expect(await page.getByTestId('signed-in-user').textContent()).toContain('Teacher');
    expect(await visibleTabs()).toEqual(['students', 'roles']);
    await openFirstStudent();
    expect(await page.getByRole('button', { name: 'Record payment' }).count()).toBe(0);
    expect(await page.getByTestId('payments-list').count()).toBe(0);
  });

  it('a bursar records payments, sees the role matrix but cannot change it', async () => {
    await signInAs(DEMO_STAFF.bursar);
    expect(await visibleTabs()).toEqual(['students', 'roles']);
    await openFirstStudent();
    expect(await page.getByRole('button', { name: 'Record payment' }).count()).toBe(1);
    await page.getByTestId('nav-roles').click();
    const box = page.getByLabel('Teacher: Publish report cards', { exact: true });
    await box.waitFor();
    expect(await box.isDisabled()).toBe(true);
  });

  it('an auditor sees payments, login history and the audit trail, and records nothing', async () => {
    await signInAs(DEMO_STAFF.auditor);
    expect(await visibleTabs()).toEqual(['students', 'roles', 'logins', 'audit']);
    await openFirstStudent();
    expect(await page.getByRole('button', { name: 'Record payment' }).count()).toBe(0);
    expect(await page.getByTestId('payments-list').count() + (await page.getByText('No payments recorded').count())).toBeGreaterThan(0);
  });

  it('an administrator sees everything and edits a role; the change syncs', async () => {
    await signInAs(DEMO_STAFF.admin);
    expect(await visibleTabs()).toEqual([...ALL_TABS]);
    await page.getByTestId('nav-roles').click();
    const box = page.getByLabel('Teacher: Publish report cards', { exact: true });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await page.getByTestId('role-update-result').waitFor();
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 15_000 }).toBe('online · 0 pending');
    const role = await server.db.db.selectFrom('roles').select('permissions').where('tenant_id', '=', 'demo').where('key', '=', 'teacher').executeTakeFirstOrThrow();
    expect(role.permissions).toContain('reportcards.publish');
    expect(await page.getByLabel('Administrator: Publish report cards', { exact: true }).isDisabled()).toBe(true);
  });
});
