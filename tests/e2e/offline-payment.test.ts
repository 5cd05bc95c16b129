// The walking skeleton's story, in real Chromium against the real app: a bursar records a cash
// payment while the sync server is down; it shows at once with a receipt number and
// "offline · 1 pending"; when the server returns it is pushed exactly once into PostgreSQL and a
// second device shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../support/postgres.js';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { waitFor } from '../support/wait.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';

const skip = (await postgresUnavailable()) ?? chromiumUnavailable();
const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
const screenshots = resolve(import.meta.dirname, '../../test-results');
const STUDENTS = 3000;

const fastSync = { minBackoffMs: 200, maxBackoffMs: 1000, idlePushIntervalMs: 500 };

describe.skipIf(skip)('offline payment, end to end in Chromium', () => {
  let database: TestDatabase;
  let server: RunningSyncServer;
  let browser: Browser;
  let enrolmentCode: string;
  const cleanups: (() => Promise<unknown>)[] = [];
  const dirs: string[] = [];

  async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
  }

  async function device(name: string, who: { username: string; password: string }): Promise<{ core: Core; host: BrowserHost; page: Page }> {
    const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-e2e-'));
    dirs.push(dir);
    const core = await openCore({
      dataDir: dir,
      enrol: { serverUrl: server.url, enrolmentCode, deviceName: name },
      sync: fastSync,
    });
    cleanups.push(() => core.close());
    await waitFor('initial sync of the demo school', async () => core.store.sqlite.prepare('select count(*) from students').pluck().get() === STUDENTS);
    const host = await startBrowserHost({ dispatch: core.dispatch, staticDir: rendererDir });
    cleanups.push(() => host.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => console.error(`[${name}] page error`, e));
    await page.goto(host.url);
    await signIn(page, who);
    return { core, host, page };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startSyncServer({ databaseUrl: database.url, seedDemo: { students: STUDENTS }, liveTimeoutMs: 2000 });
    enrolmentCode = server.demoEnrolmentCode!;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await browser?.close();
    await server?.close();
    await database?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('records a payment offline and delivers it exactly once when the server returns', async () => {
    const office = await device('Bursar office', DEMO_STAFF.bursar);
    const { page } = office;
    await expect.poll(() => page.getByTestId('student-row').count()).toBeGreaterThan(10);
    await expect.poll(() => page.getByTestId('sync-status').textContent()).toBe('online · 0 pending');

    // The server goes down.
    const port = server.port;
    await server.close();

    const student = (await office.core.dispatch('students.list', { search: 'KHS/2026/00042', limit: 1 })) as {
      ok: true;
      value: { rows: { admissionNo: string; lastName: string }[] };
    };
    const admissionNo = student.value.rows[0]!.admissionNo;
    await page.getByLabel('Search students').fill(admissionNo);
    await expect.poll(() => page.getByTestId('student-row').count()).toBe(1);
    await page.getByLabel('Search students').press('Enter');
    const amount = page.getByLabel('Amount');
    await expect.poll(() => amount.evaluate((el) => el === document.activeElement)).toBe(true);
    await amount.fill('1,500.00');
    await amount.press('Enter');

    const receipt = page.getByTestId('last-receipt');
    await expect.poll(() => receipt.textContent()).toMatch(/DEMO-D\d+-000001/);
    const receiptNo = /DEMO-D\d+-\d{6}/.exec((await receipt.textContent())!)![0];
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 15_000 }).toBe('offline · 1 pending');
    await expect.poll(() => page.getByTestId('pending-badge').count()).toBe(1);
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'offline-payment.png') });
    // The whole school again, with the student still open: the README's picture.
    await page.getByLabel('Search students').fill('');
    await expect.poll(() => page.getByTestId('student-row').count()).toBeGreaterThan(10);
    await page.screenshot({ path: join(screenshots, 'app.png') });

    // The server comes back on the same address and database.
    server = await startSyncServer({ databaseUrl: database.url, port, liveTimeoutMs: 2000 });
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 20_000 }).toBe('online · 0 pending');
    await expect.poll(() => page.getByTestId('pending-badge').count(), { timeout: 10_000 }).toBe(0);
    await page.screenshot({ path: join(screenshots, 'after-sync.png') });

    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const { rows } = await sql.query('select amount_minor::int as amount, receipt_no from payments where receipt_no = $1', [receiptNo]);
    const { rows: all } = await sql.query('select count(*)::int as n from payments');
    await sql.end();
    expect(rows).toEqual([{ amount: 150_000, receipt_no: receiptNo }]);
    expect(all[0].n).toBe(1);

    // A second device, enrolled now, pulls the school and shows the payment.
    const head = await device('Head teacher', DEMO_STAFF.admin);
    await head.page.getByLabel('Search students').fill(admissionNo);
    await expect.poll(() => head.page.getByTestId('student-row').count()).toBe(1);
    await head.page.getByLabel('Search students').press('Enter');
    // Payments come with the history, after the students: on a busy machine that takes a while.
    await expect.poll(() => head.page.getByTestId('payment-row').first().textContent(), { timeout: 45_000 }).toContain(receiptNo);
    await expect.poll(() => head.page.getByTestId('last-sync').textContent()).toMatch(/^last sync \d/);
    await head.page.screenshot({ path: join(screenshots, 'second-device.png') });
  }, 90_000);
});
