// The Students list in Chromium (issue 7): the real app as `npm start` serves it to a browser
// (openApp + the browser host + the built renderer) on a copy of the bench's generated school,
// the bursar signed in through the sign-in form, and the virtualised list scrolled from the
// first student to the last by a fling at a fixed number of pixels per frame. Frame times come
// from requestAnimationFrame in the page. The baseline, in the same page and the same run, is the
// same fling over the same row markup drawn by a few lines of plain DOM code (no React, no paging),
// half before and half after the app's scroll so drift on the machine falls on both.
// Asserts only that the last student is on screen at the end (sanity, not timing).
import { resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { openApp } from '../../electron/core/open-app.js';
import { startBrowserHost } from '../../electron/host/browser-host.js';
import { ensureRendererBuilt } from '../../scripts/renderer-build.js';
import { CHROMIUM_PATH, launchChromium } from '../support/chromium.js';
import { staffFor } from '../support/local-device.js';
import { BENCH_PASSWORD } from './generate-school.js';
import { summarize } from './measure.js';
import type { Figure } from './report.js';

const root = resolve(import.meta.dirname, '../..');
/** One display frame at 60 Hz. */
const FRAME_MS = 1000 / 60;
const ROW_HEIGHT = 64;

export interface ChromiumScrollOptions {
  /** A folder holding a copy of the generated school's device database (it is opened, and may be written). */
  dataDir: string;
  /** Pixels the fling moves each frame. */
  pxPerFrame: number;
  /** Frames of the plain-DOM baseline, split before and after the app's scroll. */
  baselineFrames: number;
  /** Give up the fling after this long (the figure is then reported as not reaching the bottom). */
  timeoutMs: number;
  log(msg: string): void;
}

/** What the page reports for one fling. */
interface Fling {
  /** rAF timestamp deltas, ms: one per presented frame after the first. */
  frames: number[];
  elapsedMs: number;
  reachedBottom: boolean;
  /** Frames where the list could not move as far as asked because the next rows had not arrived. */
  waitingFrames: number;
  longTasks: number;
  longestTaskMs: number;
}

// In-page code is a plain JS string: functions compiled by tsx carry helpers the page lacks.
const FLING = String.raw`async ({ selector, px, maxFrames, timeoutMs, until }) => {
  const el = document.querySelector(selector);
  if (!el) throw new Error('no ' + selector);
  const longTasks = [];
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
  try { observer.observe({ type: 'longtask' }); } catch {}
  const atBottom = () => el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
  const done = until === 'bottom' ? () => atBottom() && !el.querySelector('.student-row-loader') : () => false;
  return await new Promise((resolve) => {
    const frames = [];
    let waiting = 0;
    let first = null;
    let last = null;
    const finish = (reachedBottom, now) => {
      observer.disconnect();
      resolve({ frames, elapsedMs: now - first, reachedBottom, waitingFrames: waiting, longTasks: longTasks.length, longestTaskMs: Math.max(0, ...longTasks) });
    };
    const step = (now) => {
      if (first === null) first = now;
      if (last !== null) frames.push(now - last);
      last = now;
      if (done()) return finish(true, now);
      if (frames.length >= maxFrames || now - first > timeoutMs) return finish(until !== 'bottom', now);
      const want = el.scrollTop + px;
      el.scrollTop = want;
      // Held back by the end of the rows loaded so far (the loader row), not yet the last student.
      if (el.scrollTop < want - 1) waiting++;
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}`;

// The baseline list: the same container classes and row markup (copied from rows the app drew),
// a canvas of the same height, and the rows in view (plus the same overscan of 8) written with
// innerHTML on each scroll, as a minimal virtualiser with every row already in memory.
const PLAIN_LIST = String.raw`({ rows, rowHeight, templates }) => {
  const app = document.querySelector('[data-testid=students-list]');
  const plain = document.createElement('div');
  plain.className = app.className;
  plain.id = 'bench-plain-list';
  const canvas = document.createElement('div');
  canvas.className = 'students-canvas';
  canvas.style.height = rows * rowHeight + 'px';
  plain.appendChild(canvas);
  app.style.display = 'none';
  app.after(plain);
  const draw = () => {
    const from = Math.max(0, Math.floor(plain.scrollTop / rowHeight) - 8);
    const to = Math.min(rows, Math.ceil((plain.scrollTop + plain.clientHeight) / rowHeight) + 8);
    let html = '';
    for (let i = from; i < to; i++) html += templates[i % templates.length].replace('__Y__', String(i * rowHeight));
    canvas.innerHTML = html;
  };
  plain.addEventListener('scroll', draw, { passive: true });
  draw();
}`;

/** The list's size, and row markup for the baseline (its y position made a placeholder). */
const LIST_SHAPE = String.raw`(() => {
  const el = document.querySelector('[data-testid=students-list]');
  const templates = [...el.querySelectorAll('[data-testid=student-row]')].slice(0, 24)
    .map((r) => r.outerHTML.replace(/ id="[^"]*"/, '').replace(/translateY\([^)]*\)/, 'translateY(__Y__px)'));
  return { height: el.clientHeight, templates };
})()`;

/** Where the list stands after the fling: the lowest row drawn, the canvas height, a loader row left. */
const LIST_END = String.raw`(() => {
  const el = document.querySelector('[data-testid=students-list]');
  const rows = [...el.querySelectorAll('[data-testid=student-row]')];
  // Positions from layout: style.transform prints large offsets in exponent form (1.27994e+06px).
  const top = el.firstElementChild.getBoundingClientRect().top;
  const ys = rows.map((r) => Math.round(r.getBoundingClientRect().top - top));
  const lastY = Math.max(...ys);
  const last = rows[ys.indexOf(lastY)];
  return { rendered: rows.length, lastY, lastId: last ? last.id.replace('student-option-', '') : null, canvas: el.firstElementChild.offsetHeight, loader: el.querySelector('.student-row-loader') !== null };
})()`;

const REMOVE_PLAIN_LIST = String.raw`() => {
  document.getElementById('bench-plain-list')?.remove();
  document.querySelector('[data-testid=students-list]').style.display = '';
}`;

/** Main-thread time the renderer spent during a fling, from CDP Performance.getMetrics (seconds in, ms out). */
interface Work {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
}
const METRICS: Record<keyof Work, string> = { taskMs: 'TaskDuration', scriptMs: 'ScriptDuration', layoutMs: 'LayoutDuration', styleMs: 'RecalcStyleDuration' };

async function mainThread(cdp: CDPSession): Promise<Work> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return Object.fromEntries(Object.entries(METRICS).map(([k, name]) => [k, get(name)])) as unknown as Work;
}

const workSince = (a: Work, b: Work): Work => Object.fromEntries(Object.keys(METRICS).map((k) => [k, b[k as keyof Work] - a[k as keyof Work]])) as unknown as Work;
const addWork = (a: Work, b: Work): Work => Object.fromEntries(Object.keys(METRICS).map((k) => [k, a[k as keyof Work] + b[k as keyof Work]])) as unknown as Work;

async function fling(page: Page, cdp: CDPSession, args: { selector: string; px: number; maxFrames: number; timeoutMs: number; until: 'bottom' | 'frames' }): Promise<Fling & { work: Work }> {
  const start = await mainThread(cdp);
  const out = (await page.evaluate(`(${FLING})(${JSON.stringify(args)})`)) as Fling;
  return { ...out, work: workSince(start, await mainThread(cdp)) };
}

async function plainFling(page: Page, cdp: CDPSession, rows: number, templates: string[], px: number, frames: number): Promise<Fling & { work: Work }> {
  await page.evaluate(`(${PLAIN_LIST})(${JSON.stringify({ rows, rowHeight: ROW_HEIGHT, templates })})`);
  try {
    return await fling(page, cdp, { selector: '#bench-plain-list', px, maxFrames: frames, timeoutMs: 60_000, until: 'frames' });
  } finally {
    await page.evaluate(`(${REMOVE_PLAIN_LIST})()`);
  }
}

/** Frames a 60 Hz display would have shown in `elapsedMs`, less those presented. */
function dropped(f: Fling): number {
  return Math.max(0, Math.round(f.elapsedMs / FRAME_MS) - f.frames.length);
}

export interface ChromiumScrollResult {
  figures: Figure[];
  info: Record<string, unknown>;
}

export async function runChromiumScrollBench(opts: ChromiumScrollOptions): Promise<ChromiumScrollResult> {
  const { log } = opts;
  const staticDir = ensureRendererBuilt(root);
  const app = await openApp({ dataDir: opts.dataDir, startSync: false, backups: { scheduled: false } });
  const host = await startBrowserHost({ dispatch: app.dispatch, staticDir });
  const browser = await launchChromium();
  try {
    const version = browser.version();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    await page.getByTestId('signin-form').waitFor();
    const bursar = staffFor('bursar');
    await page.getByLabel('Username').fill(bursar.username);
    await page.getByLabel('Password').fill(BENCH_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-students').click();
    const list = page.getByTestId('students-list');
    await list.getByTestId('student-row').first().waitFor({ timeout: 30_000 });
    // The counts arrive separately from the rows: wait for them so their render is not in the fling.
    await page.getByTestId('students-count').filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
    const total = (app.core!.store.sqlite.prepare('select count(*) from students where deleted = 0').pluck().get() as number);
    const { height, templates } = (await page.evaluate(LIST_SHAPE)) as { height: number; templates: string[] };
    const viewport = { height, rowsInView: Math.ceil(height / ROW_HEIGHT) };
    const half = Math.ceil(opts.baselineFrames / 2);
    log(`  Chromium ${version} (headless, ${CHROMIUM_PATH}, no GPU: software raster), list ${viewport.height}px high (${viewport.rowsInView} rows in view); fling ${opts.pxPerFrame} px/frame over ${total.toLocaleString('en')} students`);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const before = await plainFling(page, cdp, total, templates, opts.pxPerFrame, half);
    const t0 = performance.now();
    const run = await fling(page, cdp, { selector: '[data-testid=students-list]', px: opts.pxPerFrame, maxFrames: Number.MAX_SAFE_INTEGER, timeoutMs: opts.timeoutMs, until: 'bottom' });
    const wallMs = performance.now() - t0;
    // Sanity, not timing: the last student is drawn at the bottom of a canvas sized for every student.
    const end = (await page.evaluate(LIST_END)) as { rendered: number; lastY: number; lastId: string | null; canvas: number; loader: boolean };
    const after = await plainFling(page, cdp, total, templates, opts.pxPerFrame, half);
    await page.close();

    const lastVisible = run.reachedBottom && !end.loader && end.lastY === (total - 1) * ROW_HEIGHT && end.canvas === total * ROW_HEIGHT && end.lastId !== null;
    if (run.reachedBottom && !lastVisible) throw new Error(`Chromium scroll: at the bottom, but the last student is not drawn where expected: ${JSON.stringify({ total, ...end })}`);
    const app_ = summarize(run.frames);
    const base = summarize([...before.frames, ...after.frames]);
    const baseDropped = dropped(before) + dropped(after);
    const baseExpected = Math.round((before.elapsedMs + after.elapsedMs) / FRAME_MS);
    const appExpected = Math.round(run.elapsedMs / FRAME_MS);
    const appWork = run.work;
    const baseWork = addWork(before.work, after.work);
    const baseFrames = before.frames.length + after.frames.length;
    // Frames the fling needs from top to bottom if every row were already loaded and every frame presented.
    const idealMs = Math.ceil((total * ROW_HEIGHT - viewport.height) / opts.pxPerFrame) * FRAME_MS;
    const note = `headless Chromium ${version}, no GPU (software raster); ${opts.pxPerFrame} px/frame fling (${(opts.pxPerFrame / ROW_HEIGHT).toFixed(0)} rows/frame)`;
    const group = 'chromium';
    const figures: Figure[] = [
      {
        id: 'chromium.scroll.frameTime',
        group,
        label: `Chromium: Students list scrolled top to bottom (${total.toLocaleString('en')}), frame time`,
        unit: 'ms',
        median: app_.median,
        p95: app_.p95,
        samples: app_.n,
        baseline: { label: 'same fling, same row markup, plain DOM', median: base.median, p95: base.p95 },
        ratio: app_.median / base.median,
        // DESIGN §8 has no number for frames. 60 Hz is what a user sees as smooth; on a loaded
        // machine without a GPU the browser alone may not hold it, so the plain-DOM list's p95
        // (same run) is the bar when it is above one frame.
        checks: [{ text: 'p95 ≤ 16.7 ms (60 Hz) or ≤ plain-DOM p95', met: app_.p95 <= Math.max(FRAME_MS, base.p95) + 0.5 }],
        note,
      },
      {
        id: 'chromium.scroll.dropped',
        group,
        label: `Chromium: dropped frames (of ${appExpected.toLocaleString('en')} at 60 Hz)`,
        unit: 'frames',
        median: dropped(run),
        p95: dropped(run),
        samples: 1,
        baseline: { label: `plain DOM (of ${baseExpected.toLocaleString('en')})`, median: baseDropped, p95: baseDropped },
        ratio: null,
        checks: [],
        note: `${run.frames.filter((t) => t > FRAME_MS * 1.5).length} frames over 25 ms; ${run.longTasks} long tasks (longest ${run.longestTaskMs.toFixed(0)} ms); ${run.waitingFrames} frames waited for the next page of rows`,
      },
      {
        id: 'chromium.scroll.toBottom',
        group,
        label: `Chromium: time to reach the last student${run.reachedBottom ? '' : ' (NOT reached)'}`,
        unit: 's',
        median: run.elapsedMs / 1000,
        p95: run.elapsedMs / 1000,
        samples: 1,
        baseline: { label: 'the fling never held back, at 60 Hz', median: idealMs / 1000, p95: idealMs / 1000 },
        ratio: run.elapsedMs / idealMs,
        checks: [{ text: 'last student drawn', met: lastVisible }],
        note: `${Math.ceil(total / 200)} pages of 200 fetched through the host; ${run.waitingFrames} frames waited for rows`,
      },
      {
        id: 'chromium.scroll.mainThread',
        group,
        label: 'Chromium: renderer main-thread work per frame of the fling (CDP TaskDuration)',
        unit: 'ms',
        median: appWork.taskMs / run.frames.length,
        p95: appWork.taskMs / run.frames.length,
        samples: run.frames.length,
        baseline: { label: 'plain DOM', median: baseWork.taskMs / baseFrames, p95: baseWork.taskMs / baseFrames },
        ratio: appWork.taskMs / run.frames.length / (baseWork.taskMs / baseFrames),
        checks: [],
        diagnostic: true,
        note: `per frame, app vs plain DOM: script ${(appWork.scriptMs / run.frames.length).toFixed(2)} vs ${(baseWork.scriptMs / baseFrames).toFixed(2)} ms, layout ${(appWork.layoutMs / run.frames.length).toFixed(2)} vs ${(baseWork.layoutMs / baseFrames).toFixed(2)} ms, style ${(appWork.styleMs / run.frames.length).toFixed(2)} vs ${(baseWork.styleMs / baseFrames).toFixed(2)} ms`,
      },
    ];
    log(`  app: ${run.frames.length} frames in ${(run.elapsedMs / 1000).toFixed(1)} s (${Math.ceil(idealMs / FRAME_MS)} if never held back), ${dropped(run)} dropped, ${run.frames.filter((t) => t > FRAME_MS * 1.5).length} over 25 ms, ${run.waitingFrames} waited for rows, ${run.longTasks} long tasks (longest ${run.longestTaskMs.toFixed(0)} ms)`);
    log(`  plain DOM: ${before.frames.length + after.frames.length} frames, ${baseDropped} dropped, ${before.longTasks + after.longTasks} long tasks`);
    log(`  main thread per frame (app / plain DOM): ${figures.at(-1)!.note}`);
    log(`  at the end: ${end.rendered} rows in the DOM, the last student (${end.lastId}) drawn at y=${end.lastY.toLocaleString('en')} of a ${end.canvas.toLocaleString('en')} px list: ${lastVisible ? 'yes' : 'NO'}`);
    return {
      figures,
      info: {
        chromium: version,
        headless: true,
        gpu: false,
        viewport: { width: 1400, height: 900, list: viewport.height },
        pxPerFrame: opts.pxPerFrame,
        students: total,
        wallSeconds: wallMs / 1000,
        app: { ...app_, work: appWork, frames: run.frames.length, dropped: dropped(run), waitingFrames: run.waitingFrames, longTasks: run.longTasks, longestTaskMs: run.longestTaskMs, over25ms: run.frames.filter((t) => t > FRAME_MS * 1.5).length },
        baseline: { ...base, work: baseWork, dropped: baseDropped, longTasks: before.longTasks + after.longTasks },
        end: { ...end, lastVisible },
      },
    };
  } finally {
    await browser.close();
    await host.close();
    await app.close();
  }
}
