// School computers in Chromium against one real sync server on PostgreSQL (demo seed), for the
// school office's end-to-end tests: each device is a real core on its own SQLite file with its
// own browser host and page, and can be cut off from the network and plugged back in.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { launchChromium } from './chromium.js';
import { waitFor } from './wait.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { openCore, type Core } from '../../electron/core/open-core.js';
import { startBrowserHost } from '../../electron/host/browser-host.js';

const rendererDir = resolve(import.meta.dirname, '../../dist/renderer');
const FAST_SYNC = { minBackoffMs: 200, maxBackoffMs: 1000, idlePushIntervalMs: 500 };

/** The app answers within a second or two, but Chromium, PostgreSQL and two cores share two CPUs. */
export const poll = <T>(read: () => T | Promise<T>, timeout = 20_000) => expect.poll(read, { timeout, interval: 100 });

/** A computer's network cable: unplugged, every request fails the way a refused connection does. */
class Cable {
  plugged = true;
  readonly fetch: typeof fetch = (input, init) =>
    this.plugged ? fetch(input, init) : Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
}

export interface Person {
  username: string;
  password: string;
}

export interface OfficeDevice {
  name: string;
  core: Core;
  page: Page;
  /** Unplugs the cable: requests under way are dropped, every later one fails; the screen says offline. */
  offline(): Promise<void>;
  /** Plugs it back in; sync resumes by itself. */
  online(): void;
  /** One number from this computer's SQLite file. */
  count(sql: string, ...params: unknown[]): number;
}

/** The status bar's words, e.g. "offline · 2 pending". */
export const syncStatus = (page: Page) => page.getByTestId('sync-status').textContent();

/** A screen's tab, by its accessible name (a count may follow the name). */
export function tab(page: Page, name: string): Locator {
  return page.getByRole('button', { name: new RegExp(`^${name}\\b`) });
}

/** What a screen's tab says after its name, e.g. "2 unread" on Messages ('' when it has no count). */
export function tabCount(page: Page, name: string): Promise<string> {
  return tab(page, name).evaluate((el) => {
    const id = el.getAttribute('aria-describedby');
    return (id && document.getElementById(id)?.textContent) || '';
  });
}

export class OfficeE2E {
  private readonly cleanups: (() => Promise<unknown>)[] = [];
  private readonly dirs: string[] = [];

  private constructor(
    private readonly database: TestDatabase,
    readonly server: RunningSyncServer,
    private readonly browser: Browser,
  ) {}

  /** A fresh PostgreSQL database with the demo school of `students` students, its server, and Chromium. */
  static async start(students: number): Promise<OfficeE2E> {
    const database = await createTestDatabase();
    const server = await startSyncServer({ databaseUrl: database.url, seedDemo: { students }, liveTimeoutMs: 2000 });
    return new OfficeE2E(database, server, await launchChromium());
  }

  /** Enrols a computer with `code`, waits for its first full sync, opens it in Chromium and signs `who` in. */
  async device(name: string, who: Person, code: string): Promise<OfficeDevice> {
    const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-office-e2e-'));
    this.dirs.push(dir);
    const cable = new Cable();
    const core = await openCore({ dataDir: dir, enrol: { serverUrl: this.server.url, enrolmentCode: code, deviceName: name }, sync: { ...FAST_SYNC, fetch: cable.fetch } });
    this.cleanups.push(() => core.close());
    const count = (sql: string, ...params: unknown[]) => Number(core.store.sqlite.prepare(sql).pluck().get(...params));
    // The first "up to date" from the server: the whole school is on this computer.
    await waitFor(`${name}: its first sync`, async () => core.store.sqlite.prepare('select last_sync_at from sync_state where id = 1').pluck().get(), 60_000);
    const host = await startBrowserHost({ dispatch: core.dispatch, staticDir: rendererDir });
    this.cleanups.push(() => host.close());
    const page = await this.browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('pageerror', (e) => console.error(`[${name}] page error`, e));
    await page.goto(host.url);
    await page
      .getByLabel('Username')
      .waitFor()
      .catch(async (err: Error) => {
        // Most often dist/renderer being rebuilt while the page loaded (npx vite build empties it first).
        throw new Error(`${name}: no sign-in form at ${host.url} (${err.message}); the page shows: ${(await page.locator('body').innerText()).slice(0, 300)}`);
      });
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor();
    return {
      name,
      core,
      page,
      count,
      async offline() {
        await core.sync.stop();
        cable.plugged = false;
        core.sync.start();
        await poll(async () => (await syncStatus(page))?.startsWith('offline')).toBe(true);
      },
      online() {
        cable.plugged = true;
      },
    };
  }

  /** Screenshots for people to look at, under test-results/<folder>. */
  shots(folder: string): (page: Page, name: string) => Promise<unknown> {
    const dir = resolve(import.meta.dirname, '../../test-results', folder);
    mkdirSync(dir, { recursive: true });
    return (page, name) => page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    for (const c of this.cleanups.reverse()) await c().catch(() => undefined);
    await this.browser.close();
    await this.server.close();
    await this.database.drop();
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
