// Importing students, in real Chromium against the real app on a real device store: a file with
// good and bad rows is checked first (created, updated and refused rows with their reasons,
// nothing saved), then confirmed, saved with progress, and the new students are searchable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { openTestDevice, pullRows, staffFor, TEST_PASSWORD, type TestDevice } from '../support/local-device.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';
import { uuidv7 } from '../../shared/ids.js';
import { EMPTY_META } from '../../shared/domain/records.js';

const skip = chromiumUnavailable();
const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
const screenshots = resolve(import.meta.dirname, '../../test-results');

describe.skipIf(skip)('students from a CSV file, in Chromium', () => {
  let device: TestDevice;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let files: string;
  const count = () => device.core.store.sqlite.prepare('select count(*) from students').pluck().get() as number;

  beforeAll(async () => {
    device = await openTestDevice({ students: 20, signInAs: null });
    await pullRows(device.core, 'classes', [{ id: uuidv7(), grade: 'Grade 4', level: 4, stream: 'A', academic_year: 2026, class_teacher_id: null, grading_scale_id: null, name: 'Grade 4 A', deleted: false, meta: EMPTY_META }]);
    host = await startBrowserHost({ dispatch: device.core.dispatch, staticDir: rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error('page error', e));
    await page.goto(host.url);
    await page.getByLabel('Username').fill(staffFor('registrar').username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
    await page.getByTestId('nav-students').click();
    files = mkdtempSync(join(tmpdir(), 'schoolhouse-student-import-'));
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await device?.dispose();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('checks the file first, lists what each row does, saves nothing until confirmed, then saves with progress', async () => {
    const existing = device.students[0]!;
    const path = join(files, 'register.csv');
    writeFileSync(
      path,
      [
        'Admission No,First Name,Middle Name,Last Name,Date of Birth,Gender,Class,Status,Guardian1 Name,Guardian1 Relationship,Guardian1 Phone',
        'KHS/2027/00001,Wanjiku,,Mutua,2016-05-04,F,Grade 4 A,,Ruth Mutua,Mother,+254 733 100 200',
        'KHS/2027/00002,Kiprono,,Mutua,2018-01-15,M,Grade 4 A,,Ruth Mutua,Mother,+254 733 100 200',
        `${existing.admission_no},${existing.first_name},Njeri,${existing.last_name},,,,,,,`,
        'KHS/2027/00003,Otieno,,Ouma,2015-02-30,M,,,,,',
        'KHS/2027/00004,Akinyi,,Ouma,,F,Grade 9 Z,,,,',
      ].join('\r\n') + '\r\n',
    );
    const before = count();
    await page.getByTestId('student-import-open').click();
    await page.getByTestId('student-import-file').setInputFiles(path);
    const summary = page.getByTestId('student-import-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toMatch(/register\.csv: 2 new students, 1 updated, 0 unchanged, 2 refused\. Checked; nothing is saved yet\./);
    const rows = page.getByTestId('student-import-row');
    expect(await rows.count()).toBe(5);
    // Refused rows first, each with its column and reason.
    expect(await rows.nth(0).innerText()).toMatch(/^5\s+KHS\/2027\/00003\s+Otieno Ouma\s+Refused\s+date_of_birth: 2015-02-30 is not a date in the calendar/);
    expect(await rows.nth(1).innerText()).toMatch(/^6\s+KHS\/2027\/00004\s+Akinyi Ouma\s+Refused\s+class: No class named "Grade 9 Z"/);
    expect(await rows.nth(2).innerText()).toMatch(/^2\s+KHS\/2027\/00001\s+Wanjiku Mutua\s+Create/);
    expect(await rows.nth(4).innerText()).toMatch(/Update\s+Middle name: \(empty\) → Njeri/);
    await page.screenshot({ path: join(screenshots, 'student-import-dry-run.png') });
    expect(count()).toBe(before);

    const download = page.waitForEvent('download');
    await page.getByTestId('student-import-rejected').click();
    expect((await download).suggestedFilename()).toBe('refused-register.csv');

    await page.getByTestId('student-import-confirm').click();
    const done = page.getByTestId('student-import-done');
    await done.waitFor({ timeout: 30_000 });
    expect(await done.innerText()).toMatch(/2 students added and 1 updated from register\.csv/);
    expect(count()).toBe(before + 2);
    expect(device.core.store.sqlite.prepare("select count(*) from guardians where phone = '+254 733 100 200'").pluck().get()).toBe(1);
    await done.getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('Search students').fill('kiprono');
    await expect.poll(() => page.getByTestId('student-row').count()).toBe(1);
    expect(await page.getByTestId('student-row').first().innerText()).toMatch(/Mutua, Kiprono/);
    await page.getByLabel('Search students').fill('733100');
    await expect.poll(() => page.getByTestId('student-row').count()).toBe(2);
  });

  it('shows a file it cannot read as such, saving nothing', async () => {
    const path = join(files, 'unicode.csv');
    const text = 'admission_no,first_name,last_name\r\nK1,A,B\r\n';
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const before = count();
    await page.getByTestId('student-import-open').click();
    await page.getByTestId('student-import-file').setInputFiles(path);
    const problems = page.getByTestId('student-import-file-problems');
    await problems.waitFor();
    expect(await problems.innerText()).toMatch(/cannot be imported\. Nothing was saved\.[\s\S]*UTF-16[\s\S]*CSV UTF-8/);
    expect(count()).toBe(before);
  });
});
