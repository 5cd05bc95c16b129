// The school office's students and classes in Chromium: create a class, add a student in it with
// a guardian, find them by the guardian's phone, move ticked students to the class in bulk.
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
const STUDENTS = 30;
const YEAR = String(new Date().getFullYear());

describe.skipIf(skip)('students and classes, in Chromium', () => {
  let server: RunningSyncServer;
  let core: Core;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    server = await startSyncServer({ seedDemo: { students: STUDENTS }, liveTimeoutMs: 1500 });
    dir = mkdtempSync(join(tmpdir(), 'schoolhouse-students-ui-'));
    core = await openCore({
      dataDir: dir,
      enrol: { serverUrl: server.url, enrolmentCode: server.demoEnrolmentCode!, deviceName: 'Office' },
      sync: { minBackoffMs: 100, maxBackoffMs: 400, idlePushIntervalMs: 200 },
    });
    await waitFor('initial sync', async () => (core.store.sqlite.prepare('select count(*) from students').pluck().get() as number) >= STUDENTS);
    host = await startBrowserHost({ dispatch: core.dispatch, staticDir: rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    await page.getByTestId('signin-form').waitFor();
    await page.getByLabel('Username').fill(DEMO_STAFF.admin.username);
    await page.getByLabel('Password').fill(DEMO_STAFF.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await core?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a class, adds a student to it with a guardian, and finds them by the guardian phone', async () => {
    await page.getByTestId('nav-classes').click();
    await page.getByTestId('class-new').click();
    await page.getByTestId('class-grade').fill('Grade 9');
    expect(await page.getByTestId('class-level').inputValue()).toBe('9');
    await page.getByTestId('class-stream').fill('Zeta');
    await page.getByTestId('class-academic_year').fill(YEAR);
    await page.getByTestId('class-save').click();
    await page.getByTestId('class-panel').getByText(`Grade 9 Zeta, ${YEAR}`).waitFor();

    await page.getByTestId('nav-students').click();
    await page.getByTestId('student-new').click();
    await page.getByTestId('student-admission_no').fill('E2E/0001');
    await page.getByTestId('student-first_name').fill('Zawadi');
    await page.getByTestId('student-last_name').fill('Omondi');
    await page.getByTestId('student-date_of_birth').fill('2012-05-04');
    await page.getByTestId('student-class').selectOption({ label: 'Grade 9 Zeta' });
    await page.getByTestId('student-save').click();
    await page.getByTestId('student-tab-profile').click();
    await page.getByTestId('student-profile').waitFor();

    // A future birth date is refused, naming the box, and nothing is saved.
    await page.getByTestId('student-date_of_birth').fill('2099-01-01');
    await page.getByTestId('student-save').click();
    await page.getByText(/in the future/).waitFor();

    await page.getByTestId('guardian-add').click();
    await page.getByTestId('guardian-name').fill('Rehema Omondi');
    await page.getByTestId('guardian-phone').fill('+254 701 998 877');
    await page.getByTestId('guardian-relationship').fill('Mother');
    await page.getByTestId('guardian-pays').check();
    await page.getByTestId('guardian-save').click();
    await page.getByTestId('guardian-list').getByText('Rehema Omondi').waitFor();

    await page.getByLabel('Search students').fill('701998877');
    await waitFor('search by guardian phone', async () => (await page.getByTestId('student-row').count()) === 1);
    expect(await page.getByTestId('student-row').first().textContent()).toContain('Omondi, Zawadi');
    const row = core.store.sqlite.prepare("select date_of_birth, class_name, guardian_phone from students where admission_no = 'E2E/0001'").get();
    expect(row).toEqual({ date_of_birth: '2012-05-04', class_name: 'Grade 9 Zeta', guardian_phone: '+254 701 998 877' });
  });

  it('moves ticked students to the class in one step and says how many moved', async () => {
    await page.getByLabel('Search students').fill('');
    await page.getByLabel('Filter by class').selectOption('');
    await waitFor('the whole list', async () => (await page.getByTestId('student-row').count()) > 3);
    const boxes = page.getByTestId('student-row').locator('input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId('bulk-bar').getByText('2 selected').waitFor();
    await page.getByLabel('Move to class').selectOption({ label: 'Grade 9 Zeta' });
    await page.getByTestId('bulk-move').click();
    await page.getByTestId('bulk-result').waitFor();
    expect(await page.getByTestId('bulk-result').textContent()).toMatch(/^Moved [12] students? to Grade 9 Zeta/);
    expect(core.store.sqlite.prepare("select count(*) from students where class_name = 'Grade 9 Zeta'").pluck().get()).toBeGreaterThanOrEqual(2);
    await page.getByLabel('Filter by class').selectOption({ label: 'Grade 9 Zeta' });
    await waitFor('the class filter', async () => /of \d+ students/.test((await page.getByTestId('students-count').textContent()) ?? ''));
  });

  it("promotes the class to next year's class, created in the same step", async () => {
    await page.getByTestId('nav-classes').click();
    await page.getByTestId('classes-table').getByRole('button', { name: 'Grade 9 Zeta' }).click();
    await page.getByTestId('class-promote').click();
    const dialog = page.getByTestId('promote-dialog');
    await dialog.getByText(`Grade 10 Zeta, ${Number(YEAR) + 1} (a new class, created now)`).waitFor();
    await dialog.getByTestId('promote-next').check();
    await dialog.getByTestId('promote-save').click();
    await page.getByTestId('promote-result').waitFor();
    expect(await page.getByTestId('promote-result').textContent()).toMatch(/^\d+ students moved to Grade 10 Zeta\.$/);
    const moved = core.store.sqlite.prepare("select count(*) from students where class_name = 'Grade 10 Zeta' and status = 'enrolled'").pluck().get() as number;
    expect(moved).toBeGreaterThanOrEqual(3);
    expect(core.store.sqlite.prepare("select count(*) from students where class_name = 'Grade 9 Zeta' and status = 'enrolled'").pluck().get()).toBe(0);
  });

  it('the sync server accepts every change made here', async () => {
    const one = (sql: string) => core.store.sqlite.prepare(sql).pluck().get() as number;
    await waitFor('the outbox to drain', async () => one('select count(*) from outbox') === 0);
    expect(core.store.sqlite.prepare('select name, reason from needs_attention').all()).toEqual([]);
    expect(one("select count(*) from classes where name = 'Grade 10 Zeta' and deleted = 0")).toBe(1);
  });
});
