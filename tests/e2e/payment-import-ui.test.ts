// Importing a statement, in real Chromium against the real app on a real device store: a file with
// mistakes is listed line by line and nothing is saved; the fixed file is summarised, recorded in
// pieces with progress, and shows in the payments list; choosing it again records nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { openTestDevice, staffFor, storeCounts, TEST_PASSWORD, type TestDevice } from '../support/local-device.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';

const skip = chromiumUnavailable();
const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
const screenshots = resolve(import.meta.dirname, '../../test-results');
const ROWS = 212;

describe.skipIf(skip)('payments from a CSV file, in Chromium', () => {
  let device: TestDevice;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let files: string;

  beforeAll(async () => {
    device = await openTestDevice({ students: 60, signInAs: null });
    host = await startBrowserHost({ dispatch: device.core.dispatch, staticDir: rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error('page error', e));
    await page.goto(host.url);
    await page.getByLabel('Username').fill(staffFor('bursar').username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
    await page.getByTestId('nav-bursary').click();
    await page.getByTestId('bursary-payments').click();
    files = mkdtempSync(join(tmpdir(), 'schoolhouse-import-'));
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await device?.dispose();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  function statement(name: string, lines: string[]): string {
    const path = join(files, name);
    writeFileSync(path, ['Admission No,Amount,Method,Reference,Note', ...lines].join('\r\n') + '\r\n');
    return path;
  }
  const good = Array.from({ length: ROWS }, (_, i) => `KHS/2026/${String(1 + (i % 48)).padStart(5, '0')},"1,${String(i).padStart(3, '0')}.00",M-Pesa,QK${String(i).padStart(6, '0')},`);

  it('lists a bad file’s problems by line and column, saving nothing', async () => {
    const before = storeCounts(device.core);
    const bad = [...good.slice(0, 5), 'KHS/2026/00050,300,cash,,', 'KHS/2026/00007,"1,2OO",cash,,'];
    await page.getByTestId('import-file').setInputFiles(statement('bad.csv', bad));
    const problems = page.getByTestId('import-problem');
    await expect.poll(() => problems.count()).toBe(2);
    expect(await problems.nth(0).innerText()).toMatch(/^7\s+admission_no\s+.*\(KHS\/2026\/00050\) is withdrawn/);
    expect(await problems.nth(1).innerText()).toMatch(/^8\s+amount\s+"1,2OO" is not an amount/);
    expect(await page.getByTestId('import-problems').innerText()).toMatch(/bad\.csv has 2 problems\. Nothing was saved/);
    await page.screenshot({ path: join(screenshots, 'payment-import-problems.png') });
    expect(storeCounts(device.core)).toEqual(before);
  });

  it('summarises a good file, records it in pieces and shows the payments in the list', async () => {
    await page.getByTestId('import-file').setInputFiles(statement('statement.csv', good));
    const summary = page.getByTestId('import-summary');
    await expect.poll(() => summary.count()).toBe(1);
    const total = good.reduce((s, _, i) => s + 1_000 + i, 0);
    expect(await summary.innerText()).toMatch(new RegExp(`statement\\.csv: ${ROWS} payments, KES\\s?${total.toLocaleString('en')}\\.00 in all`));
    await page.screenshot({ path: join(screenshots, 'payment-import-summary.png') });
    await page.getByTestId('import-record').click();
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.count(), { timeout: 30_000 }).toBe(1);
    expect(await result.innerText()).toMatch(new RegExp(`Recorded ${ROWS} payments from statement\\.csv \\(receipts TEST-D1-000001 to TEST-D1-000${ROWS}\\)`));
    expect(storeCounts(device.core).payments).toBe(ROWS);
    await page.getByTestId('import-show-list').click();
    await expect.poll(() => page.getByTestId('payments-count').textContent()).toBe(`${ROWS} payments`);
    await page.screenshot({ path: join(screenshots, 'payment-import-done.png') });
  });

  it('says so when the same file is chosen again, and offers nothing to record', async () => {
    await page.getByTestId('import-file').setInputFiles(statement('statement-again.csv', good));
    const summary = page.getByTestId('import-summary');
    await expect.poll(() => summary.count()).toBe(1);
    expect(await summary.innerText()).toMatch(/All of them were recorded from this file before, and will not be recorded again/);
    expect(await page.getByTestId('import-record').count()).toBe(0);
    expect(storeCounts(device.core).payments).toBe(ROWS);
  });
});
