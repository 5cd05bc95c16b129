// A teacher's register, in real Chromium against the real app on a real device store: today's
// register shows everyone present; one student is marked absent with a reason and one late with
// the keyboard; saving queues the marks; reopening shows them; the absent student's history shows
// the absence; an excuse without a reason and a day in the future are refused with their messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { openTestDevice, staffFor, TEST_PASSWORD, type TestDevice } from '../support/local-device.js';
import { classRow, countRows, seedClasses } from '../support/attendance-school.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import { addDays } from '../../shared/domain/calendar-views.js';
import type { StudentRow } from '../../shared/domain/students.js';

const skip = chromiumUnavailable();
const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
const screenshots = resolve(import.meta.dirname, '../../test-results');
const today = schoolDate(new Date(), 'Africa/Nairobi');

describe.skipIf(skip)('a teacher takes the register, in Chromium', () => {
  let device: TestDevice;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let members: StudentRow[];

  const rows = () => page.getByTestId('register-row');
  const statuses = () => rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));

  beforeAll(async () => {
    device = await openTestDevice({ students: 20, signInAs: null });
    const cls = classRow('Grade 4', 4, 'East', Number(today.slice(0, 4)));
    members = (await seedClasses(device, [cls], 8)).get(cls.id)!;
    members.sort((a, b) => a.last_name.localeCompare(b.last_name) || a.first_name.localeCompare(b.first_name) || a.id.localeCompare(b.id));
    host = await startBrowserHost({ dispatch: device.core.dispatch, staticDir: rendererDir });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => console.error('page error', e));
    await page.goto(host.url);
    await page.getByLabel('Username').fill(staffFor('teacher').username);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await device?.dispose();
  });

  it('opens today’s register with everyone present', async () => {
    await page.getByTestId('nav-attendance').click();
    await expect.poll(() => rows().count()).toBe(8);
    expect(await page.getByTestId('register-date').inputValue()).toBe(today);
    expect(await statuses()).toEqual(Array(8).fill('present'));
    expect(await page.getByTestId('register-state').innerText()).toContain('not taken yet; everyone shows as present');
  });

  it('marks one absent with a reason and one late with the keyboard, and saves', async () => {
    await rows().nth(0).locator('td').nth(2).click();
    await page.keyboard.press('a');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('l');
    expect(await statuses()).toEqual(['absent', 'present', 'late', ...Array(5).fill('present')]);
    await rows().nth(0).getByTestId('register-reason').fill('Sick at home');
    const before = countRows(device, 'outbox');
    await page.getByTestId('register-save').click();
    await expect.poll(() => page.getByTestId('register-saved').textContent()).toBe('Saved the register: 8 marks changed.');
    expect(countRows(device, 'outbox')).toBe(before + 2);
    await expect.poll(() => page.getByTestId('rates-overall').textContent()).toBe('88% present or late over the range (7 of 8 marks).');
    await page.screenshot({ path: join(screenshots, 'attendance-register.png') });
  });

  it('shows the marks when the register is opened again', async () => {
    await page.getByTestId('nav-calendar').click();
    await page.getByTestId('nav-attendance').click();
    await expect.poll(() => statuses()).toEqual(['absent', 'present', 'late', ...Array(5).fill('present')]);
    expect(await rows().nth(0).getByTestId('register-reason').inputValue()).toBe('Sick at home');
    expect(await page.getByTestId('register-state').innerText()).toContain(`taken by ${staffFor('teacher').display_name}`);
  });

  it('shows the absence in the student’s history', async () => {
    await rows().nth(0).getByTestId('register-student').click();
    const history = page.getByTestId('history-row');
    await expect.poll(() => history.count()).toBe(1);
    expect(await history.first().innerText()).toMatch(/Whole day\s+Grade 4 East\s+Absent\s+Sick at home/);
    expect(await page.getByTestId('history-totals').innerText()).toBe('1 marked: 0 present, 1 absent, 0 late, 0 excused (0% present or late).');
    expect(await page.locator('#history-title').innerText()).toBe(`Attendance of ${members[0]!.first_name} ${members[0]!.last_name} (${members[0]!.admission_no})`);
  });

  it('refuses an excuse without a reason, naming the student, and saves nothing', async () => {
    const before = countRows(device, 'attendance_records');
    const outbox = countRows(device, 'outbox');
    await rows().nth(3).locator('td').nth(2).click();
    await page.keyboard.press('e');
    await page.getByTestId('register-save').click();
    const name = `${members[3]!.first_name} ${members[3]!.last_name}`;
    await expect.poll(() => page.getByTestId('register-problems').textContent()).toBe(`Give a reason for excusing ${name}.`);
    expect(countRows(device, 'outbox')).toBe(outbox);
    expect(countRows(device, 'attendance_records')).toBe(before);
    await rows().nth(3).locator('td').nth(2).click();
    await page.keyboard.press('p');
  });

  it('refuses a register for a day after today with core’s message', async () => {
    const tomorrow = addDays(today, 1);
    const outbox = countRows(device, 'outbox');
    await page.getByTestId('register-date').fill(tomorrow);
    await expect.poll(() => page.getByTestId('register-state').innerText()).toContain('not taken yet');
    await page.getByTestId('register-save').click();
    await expect.poll(() => page.getByTestId('register-error').textContent()).toBe(`${tomorrow} is after today (${today}): a register can only be taken for today or an earlier day.`);
    expect(countRows(device, 'outbox')).toBe(outbox);
    await page.screenshot({ path: join(screenshots, 'attendance-register-refused.png') });
  });
});
