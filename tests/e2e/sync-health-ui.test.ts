// What an office computer shows of its sync, in Chromium against the real app and a real server on
// PostgreSQL: the status bar and the Sync & backups screen while the computer is offline with a
// change waiting (pending count, the oldest change's age, the failure in words with what to do),
// back online (nothing pending, the last sync moved on), backups made and restored by an
// administrator after a confirm, a first sync over a slow link showing its progress bar and
// phase while the app stays usable, and a damaged database rebuilt at start, explained.
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, postgresUnavailable, type TestDatabase } from '../support/postgres.js';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { OfficeE2E, poll, syncStatus, tab, type OfficeDevice } from '../support/office-e2e.js';
import { DEMO_SCHOOL, DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { LOCAL_DB_FILE, openCore, type Core, type CoreOptions } from '../../electron/core/open-core.js';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';
import { SHAPE_PATH } from '../../shared/sync/protocol.js';

const skip = (await postgresUnavailable()) ?? chromiumUnavailable();
const RENDERER = resolve(import.meta.dirname, '../../dist/renderer');
const SHOTS = resolve(import.meta.dirname, '../../test-results/sync-health-ui');
const FAST_SYNC = { minBackoffMs: 200, maxBackoffMs: 1000, idlePushIntervalMs: 500 };

interface Person {
  username: string;
  password: string;
}

async function signIn(page: Page, who: Person): Promise<void> {
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').waitFor();
}

/** Saves new medical notes on the first student (a change that goes through the outbox). */
async function editFirstStudent(page: Page, notes: string): Promise<void> {
  await tab(page, 'Students').click();
  await page.getByTestId('student-row').first().click();
  await page.getByTestId('student-tab-profile').click();
  const profile = page.getByTestId('student-profile');
  await profile.getByTestId('student-medical_notes').fill(notes);
  await profile.getByTestId('student-save').click();
  await poll(() => profile.getByRole('status').textContent()).toBe('Saved.');
}

/** A computer's core with its browser host and a page on it, for the tests that start cores themselves. */
async function openComputer(browser: Browser, options: CoreOptions): Promise<{ core: Core; host: BrowserHost; page: Page; close(): Promise<void> }> {
  const core = await openCore(options);
  const host = await startBrowserHost({ dispatch: core.dispatch, staticDir: RENDERER });
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('pageerror', (e) => console.error('[sync health] page error', e));
  await page.goto(host.url);
  return {
    core,
    host,
    page,
    async close() {
      await page.close().catch(() => undefined);
      await host.close();
      await core.close();
    },
  };
}

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
    // Once the school's history is in too, no banner and no progress bar.
    await poll(() => page.getByTestId('sync-banner').count()).toBe(0);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    await tab(page, 'Students').click();
    await page.getByTestId('nav-sync').click();
    await screen().waitFor();
  });

  it('offline with a change waiting: the pending count, how long the oldest has waited, and the failure in words', { timeout: 60_000 }, async () => {
    await office.offline();
    const before = await lastSyncClock();
    await editFirstStudent(page, 'Asthma: inhaler in the office desk.');
    await poll(() => syncStatus(page)).toBe('offline · 1 pending');
    expect(await page.getByTestId('oldest-pending').textContent()).toBe(' · oldest under a minute');
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

  it('Back up now lists a backup with its size and unsent changes; an administrator restores one after a confirm, keeping the change made since', { timeout: 90_000 }, async () => {
    await page.getByTestId('status-open').click();
    await page.getByTestId('backups').waitFor();
    await poll(() => page.getByText('Loading backups…').count()).toBe(0);
    const rows = page.getByTestId('backup-row');
    const before = await rows.count();

    await page.getByTestId('backup-now').click();
    await poll(() => rows.count()).toBe(before + 1);
    expect(await page.getByTestId('backup-result').textContent()).toMatch(/^Backed up: [\d.]+ (KB|MB) at \d+ \w+ \d{4}, \d\d:\d\d, with no unsent changes\.$/);
    expect(await page.getByTestId('backup-now').isEnabled()).toBe(true);
    await poll(() => page.getByTestId('sync-last-backup').textContent()).not.toBe('None yet');

    // A change made offline after that backup, then a second backup that holds it unsent.
    await office.offline();
    const notes = 'Peanut allergy: EpiPen in the staff room.';
    await editFirstStudent(page, notes);
    await poll(() => syncStatus(page)).toBe('offline · 1 pending');
    await page.getByTestId('status-open').click();
    await page.getByTestId('backup-now').click();
    await poll(() => rows.count()).toBe(before + 2);
    expect(await rows.filter({ hasText: '1 unsent change' }).count()).toBe(1);
    await shot(page, '03-backups');

    // Restore the clean backup: first a look at what it does, and Cancel changes nothing.
    const newest = await page.getByTestId('backup-result').textContent();
    const target = rows.filter({ hasText: 'No unsent changes' }).first();
    const name = (await target.getAttribute('data-name'))!;
    await target.getByTestId('backup-restore').click();
    const dialog = page.getByTestId('restore-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("This replaces this computer's database with the copy taken on");
    expect(await dialog.textContent()).toContain('Changes made here that have not reached the server yet (1 change now) are kept and sent; none is sent twice.');
    await shot(page, '04-restore-confirm');
    await page.getByTestId('restore-cancel').click();
    await poll(() => dialog.count()).toBe(0);
    expect(await page.getByTestId('backup-result').textContent()).toBe(newest);

    await target.getByTestId('backup-restore').click();
    await page.getByTestId('restore-confirm').click();
    // Core reopens on the restored file and signs everyone out; the sign-in screen says what happened.
    await poll(() => page.getByTestId('signed-out-reason').textContent(), 30_000).toBe(
      `Restored ${name}. 1 unsent change made here since that backup was kept and will be sent with the next sync. Anything newer on the school server comes back with the next sync. Sign in again to carry on.`,
    );
    await shot(page, '05-restored-sign-in');
    // Still offline: signing in works from the password this computer remembers.
    await signIn(page, DEMO_STAFF.admin);
    // The change made after the backup is still here and still waiting (with the record of this
    // offline sign-in); both go once back online.
    await poll(() => syncStatus(page)).toBe('offline · 2 pending');
    expect(office.count("select count(*) from outbox where name = 'students.save'")).toBe(1);
    expect(office.count('select count(*) from students where medical_notes = ?', notes)).toBe(1);
    office.online();
    await poll(() => syncStatus(page)).toBe('online · 0 pending');
    expect(office.count('select count(*) from students where medical_notes = ?', notes)).toBe(1);
    await page.getByTestId('status-open').click();
    await poll(() => rows.count()).toBe(before + 2);
    await shot(page, '06-restored');
  });

  it('someone who may not manage devices sees the backups but cannot restore one', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, DEMO_STAFF.bursar);
    await page.getByTestId('nav-sync').click();
    await poll(() => page.getByTestId('backup-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('backup-restore').count()).toBe(0);
    expect(await page.getByTestId('restore-needs-admin').textContent()).toMatch(/^Restoring a backup replaces this computer's database, so it is for an administrator/);
    expect(await page.getByTestId('backup-now').isEnabled()).toBe(true);
  });
});

// A first sync over a slow link: small pages from the server and a pause before each, so the
// school takes long enough to arrive that every part of it can be watched from the screen.
const SLOW_SHAPE_MS = 250;
const SHAPE_CHUNK = 60;

describe.skipIf(skip)('a first sync watched from the screen, in Chromium', () => {
  let database: TestDatabase;
  let server: RunningSyncServer;
  let browser: Browser;
  let computer: Awaited<ReturnType<typeof openComputer>>;
  let core: Core;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startSyncServer({ databaseUrl: database.url, seedDemo: { students: 150, history: true }, shapeChunkSize: SHAPE_CHUNK, liveTimeoutMs: 2000 });
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'schoolhouse-first-sync-e2e-'));
    const slow: typeof fetch = async (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes(SHAPE_PATH)) await new Promise((r) => setTimeout(r, SLOW_SHAPE_MS));
      return fetch(input, init);
    };
    // Enrolled with sync held back until someone is signed in and watching.
    computer = await openComputer(browser, {
      dataDir: dir,
      enrol: { serverUrl: server.url, enrolmentCode: DEMO_SCHOOL.enrolmentCode, deviceName: 'New office PC' },
      sync: { ...FAST_SYNC, fetch: slow },
      startSync: false,
    });
    ({ core, page } = computer);
    await signIn(page, DEMO_STAFF.admin);
  }, 120_000);

  afterAll(async () => {
    await computer?.close();
    await browser?.close();
    await server?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the bar with rows, percent and time left, the phase in words, a banner that hides, and the app usable once students are in', { timeout: 120_000 }, async () => {
    const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    core.sync.start();
    const banner = page.getByTestId('sync-banner');
    await banner.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('sync-banner-text').textContent()).toMatch(/^(Getting the school's records|Students and classes are ready; older payments and registers are still arriving): \d+% · /);
    expect(await page.getByTestId('status-first-sync').textContent()).toMatch(/^first sync \d+%$/);

    await page.getByTestId('sync-banner-open').click();
    const bar = page.getByRole('progressbar', { name: 'First sync', exact: true });
    await bar.waitFor();
    const line = page.getByTestId('first-sync-line');
    expect(await line.textContent()).toMatch(/^[\d,]+ of [\d,]+ rows \(\d+%\) · (working out the time left|less than a minute left|about \d+ (min|h( \d+ min)?) left)$/);
    expect(await bar.getAttribute('aria-valuetext')).toBe(await line.textContent());
    const first = Number(await bar.getAttribute('aria-valuenow'));
    await shot('03-first-sync-progress');

    // The bar moves on as rows are stored.
    await poll(async () => Number(await bar.getAttribute('aria-valuenow')), 60_000).toBeGreaterThan(first);
    const [shown, total] = (await line.textContent())!.split(' rows')[0]!.split(' of ').map((n) => Number(n.replace(/,/g, '')));
    expect(shown).toBeGreaterThan(0);
    expect(total).toBeGreaterThanOrEqual(shown!);

    // Students and classes first; then the app is usable while payments and registers keep coming.
    const phase = page.getByTestId('first-sync-phase');
    await poll(() => phase.textContent(), 60_000).toBe(
      'Students and classes are ready; older payments and registers are still arriving: balances and attendance history may be incomplete.',
    );
    await shot('04-first-sync-history');
    await tab(page, 'Students').click();
    await poll(() => page.getByTestId('student-row').count()).toBeGreaterThan(0);
    // Hidden for this sign-in; the status bar keeps the percent.
    await banner.getByTestId('sync-banner-close').click();
    expect(await banner.count()).toBe(0);
    expect(await page.getByTestId('status-first-sync').textContent()).toMatch(/^first sync \d+%$/);
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('sync-banner').count()).toBe(0);

    // Done: no bar, no percent, every row of the school on this computer.
    await page.getByTestId('status-open').click();
    await poll(() => page.getByTestId('status-first-sync').count(), 90_000).toBe(0);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(await page.getByTestId('first-sync').count()).toBe(0);
    await poll(() => syncStatus(page)).toBe('online · 0 pending');
    expect(Number(core.store.sqlite.prepare('select count(*) from students').pluck().get())).toBe(150);
  });
});

describe.skipIf(skip)('a damaged database rebuilt at start, explained on screen, in Chromium', () => {
  let database: TestDatabase;
  let server: RunningSyncServer;
  let browser: Browser;
  let computer: Awaited<ReturnType<typeof openComputer>> | undefined;
  let dir: string;
  /** The computer's network cable; unplugged, every request fails like a refused connection. */
  let plugged = true;
  const cable: typeof fetch = (input, init) => (plugged ? fetch(input, init) : Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })));

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startSyncServer({ databaseUrl: database.url, seedDemo: { students: 30 }, liveTimeoutMs: 2000 });
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'schoolhouse-recovery-e2e-'));
  }, 120_000);

  afterAll(async () => {
    await computer?.close();
    await browser?.close();
    await server?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('tells whoever signs in what was rebuilt, where the damaged file is and which unsent change came back, and sends it', { timeout: 120_000 }, async () => {
    const options: CoreOptions = { dataDir: dir, enrol: { serverUrl: server.url, enrolmentCode: DEMO_SCHOOL.enrolmentCode, deviceName: 'Front office' }, sync: { ...FAST_SYNC, fetch: cable } };
    computer = await openComputer(browser, options);
    let { core, page } = computer;
    await signIn(page, DEMO_STAFF.admin);
    await poll(() => syncStatus(page)).toBe('online · 0 pending');

    // Offline, a change is saved and a backup taken that holds it unsent.
    await core.sync.stop();
    plugged = false;
    core.sync.start();
    const notes = 'Diabetic: snacks in the nurse room.';
    await editFirstStudent(page, notes);
    await poll(() => syncStatus(page)).toBe('offline · 1 pending');
    await page.getByTestId('status-open').click();
    await page.getByTestId('backup-now').click();
    await poll(() => page.getByTestId('backup-row').filter({ hasText: '1 unsent change' }).count()).toBe(1);
    const backupName = (await page.getByTestId('backup-row').filter({ hasText: '1 unsent change' }).getAttribute('data-name'))!;
    await computer.close();
    computer = undefined;

    // The power cut: the file's header is garbage when the computer starts again.
    const fd = openSync(join(dir, LOCAL_DB_FILE), 'r+');
    writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0);
    closeSync(fd);
    plugged = true;
    computer = await openComputer(browser, options);
    ({ core, page } = computer);
    expect(core.recovered).not.toBeNull();
    await signIn(page, DEMO_STAFF.admin);

    // The rebuild streams the school in again; then the repair is news in the banner.
    const banner = page.getByTestId('sync-banner');
    await poll(() => page.getByTestId('sync-banner-text').textContent(), 60_000).toMatch(/^This computer's database was found damaged on \d+ \w+ \d{4}, \d\d:\d\d and rebuilt from the school server\.$/);
    await page.screenshot({ path: join(SHOTS, '07-recovered-banner.png'), fullPage: true });
    await banner.getByTestId('sync-banner-open').click();
    const report = page.getByTestId('recovery-report');
    await report.waitFor();
    const text = (await report.textContent())!;
    expect(text).toContain("This computer's database was repaired");
    expect(text).toMatch(/this computer's database was found damaged \(SQLite reported "[^"]+" when opening it\) and was rebuilt from the school server\./);
    expect(text).toContain(`The damaged file is kept at ${core.recovered!.damagedFile} for IT to look at.`);
    expect(text).toContain(`1 unsent change was carried over from the backup ${backupName} and will be sent with the next sync.`);
    await page.screenshot({ path: join(SHOTS, '08-recovery-report.png'), fullPage: true });

    // The change carried over reaches the server; hidden, the banner stays away for this sign-in.
    await poll(() => syncStatus(page), 30_000).toBe('online · 0 pending');
    expect(Number(core.store.sqlite.prepare('select count(*) from students where medical_notes = ?').pluck().get(notes))).toBe(1);
    await banner.getByTestId('sync-banner-close').click();
    expect(await banner.count()).toBe(0);
    await tab(page, 'Students').click();
    expect(await page.getByTestId('sync-banner').count()).toBe(0);
  });
});
