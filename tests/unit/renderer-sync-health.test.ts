// What the status bar, the Sync & backups screen and the banner say about sync health, without a
// window: ages, time left, percent, the first sync's line and phase, backups, a recovery, and when
// the banner shows. The progress bar itself is rendered to HTML to check what a screen reader gets.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RecoveryReport } from '../../shared/domain/backups.js';
import { InitialSyncProgress, SyncStatus } from '../../shared/domain/sync-status.js';
import { FirstSyncProgress } from '../../renderer/src/features/sync/FirstSyncProgress.js';
import { bannerContent, RECOVERY_NEWS_MS } from '../../renderer/src/features/sync/banner.js';
import {
  bannerText,
  errorAdvice,
  formatAge,
  formatAgo,
  formatBytes,
  formatDuration,
  formatTimeLeft,
  lastSyncText,
  oldestPendingText,
  percentDone,
  phaseText,
  progressLine,
  recoveryLines,
  restoredText,
  scheduleText,
  statusSummary,
  unsentText,
} from '../../renderer/src/features/sync/syncText.js';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

const status = (extra: Partial<SyncStatus> = {}): SyncStatus =>
  SyncStatus.parse({
    online: true,
    pending: 0,
    oldestPendingAt: null,
    lastSyncAt: ago(30),
    lastError: null,
    lastErrorAt: null,
    needsAttention: 0,
    initialSync: null,
    lastBackupAt: null,
    ...extra,
  });

const progress = (extra: Partial<InitialSyncProgress> = {}): InitialSyncProgress =>
  InitialSyncProgress.parse({ phase: 'current', rowsDone: 45_000, rowsTotal: 120_000, startedAt: ago(60), secondsLeft: 100, ...extra });

const recovery = (extra: Partial<RecoveryReport> = {}): RecoveryReport =>
  RecoveryReport.parse({
    at: ago(3600),
    damagedFile: '/home/office/.schoolhouse/schoolhouse.damaged-20261122T090000Z.sqlite3',
    fromBackup: 'schoolhouse-20261122T060000Z.sqlite3',
    pendingRecovered: 3,
    reason: 'file is not a database',
    ...extra,
  });

describe('ages and durations', () => {
  it('says a length of time to the unit that matters', () => {
    expect(formatDuration(0)).toBe('under a minute');
    expect(formatDuration(59.9)).toBe('under a minute');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(59 * 60 + 59)).toBe('59 min');
    expect(formatDuration(2 * 3600)).toBe('2 h');
    expect(formatDuration(2 * 3600 + 10 * 60 + 30)).toBe('2 h 10 min');
    expect(formatDuration(47 * 3600 + 59 * 60)).toBe('47 h 59 min');
    expect(formatDuration(3 * 86_400 + 5 * 3600)).toBe('3 days');
  });

  it('counts an age from now, a moment ahead of the clock as now, and says nothing for a bad time', () => {
    expect(formatAge(ago(2 * 3600 + 10 * 60), NOW)).toBe('2 h 10 min');
    expect(formatAge(ago(-300), NOW)).toBe('under a minute');
    expect(formatAge('not a time', NOW)).toBe('');
    expect(formatAgo(ago(5), NOW)).toBe('just now');
    expect(formatAgo(ago(5 * 60), NOW)).toBe('5 min ago');
  });
});

describe('the status bar', () => {
  it('keeps its first words as before, and adds the oldest change waiting only while one waits', () => {
    expect(statusSummary(status({ online: false, pending: 3 }))).toBe('offline · 3 pending');
    expect(statusSummary(status())).toBe('online · 0 pending');
    expect(oldestPendingText(status({ pending: 3, oldestPendingAt: ago(2 * 3600 + 10 * 60) }), NOW)).toBe('oldest 2 h 10 min');
    expect(oldestPendingText(status({ pending: 0, oldestPendingAt: null }), NOW)).toBeNull();
    // A status read between the push and the outbox count: nothing pending, so no age.
    expect(oldestPendingText(status({ pending: 0, oldestPendingAt: ago(60) }), NOW)).toBeNull();
  });
});

describe('a first sync in progress', () => {
  it('works out whole percents, 100 only when done and 0 before anything is counted', () => {
    expect(percentDone(45_000, 120_000)).toBe(38);
    expect(percentDone(44_999, 120_000)).toBe(37);
    expect(percentDone(0, 120_000)).toBe(0);
    expect(percentDone(119_999, 120_000)).toBe(99);
    expect(percentDone(120_000, 120_000)).toBe(100);
    expect(percentDone(130_000, 120_000)).toBe(100);
    expect(percentDone(0, 0)).toBe(0);
  });

  it('says the time left rounded up, and that it is still being worked out before there is a rate', () => {
    expect(formatTimeLeft(null)).toBe('working out the time left');
    expect(formatTimeLeft(12)).toBe('less than a minute left');
    expect(formatTimeLeft(61)).toBe('about 2 min left');
    expect(formatTimeLeft(120)).toBe('about 2 min left');
    expect(formatTimeLeft(3600 + 4 * 60 + 1)).toBe('about 1 h 5 min left');
  });

  it('reads rows, percent and time left in one line, counting rows that arrived after the total was taken', () => {
    expect(progressLine(progress({ rowsDone: 45_000, rowsTotal: 120_000, secondsLeft: 100 }))).toBe('45,000 of 120,000 rows (38%) · about 2 min left');
    expect(progressLine(progress({ rowsDone: 1_250, rowsTotal: 1_200, secondsLeft: 0 }))).toBe('1,250 of 1,250 rows (100%) · less than a minute left');
    expect(progressLine(progress({ rowsDone: 0, rowsTotal: 0, secondsLeft: null }))).toBe('0 of 0 rows (0%) · working out the time left');
  });

  it('says what can be done in each phase', () => {
    expect(phaseText('current')).toBe("Getting the school's records — you can sign in and look up students once this part is done.");
    expect(phaseText('history')).toMatch(/^Students and classes are ready; older payments and registers are still arriving: balances and attendance history may be incomplete/);
    expect(bannerText(progress({ phase: 'history', rowsDone: 90_000, rowsTotal: 120_000, secondsLeft: 30 }))).toBe(
      'Students and classes are ready; older payments and registers are still arriving: 75% · less than a minute left.',
    );
  });

  it('renders a progress bar a screen reader can read: percent as its value, the whole line as its text', () => {
    const html = renderToStaticMarkup(createElement(FirstSyncProgress, { progress: progress({ rowsDone: 45_000, secondsLeft: 100 }) }));
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="38"');
    expect(html).toContain('aria-valuemin="0"');
    expect(html).toContain('aria-valuemax="100"');
    expect(html).toContain('aria-valuetext="45,000 of 120,000 rows (38%) · about 2 min left"');
    expect(html).toContain('style="width:38%"');
    expect(html).toContain('you can sign in and look up students once this part is done');
    const later = renderToStaticMarkup(createElement(FirstSyncProgress, { progress: progress({ phase: 'history', rowsDone: 120_000 }) }));
    expect(later).toContain('aria-valuenow="100"');
    expect(later).toContain('balances and attendance history may be incomplete');
  });
});

describe('the last error and the last sync', () => {
  it('tells an offline computer to check its connection, and an online one that the server is tried again', () => {
    expect(errorAdvice(status({ online: false, lastError: 'Cannot reach the sync server (ECONNREFUSED).' }))).toMatch(/^Check this computer's network cable or Wi-Fi/);
    expect(errorAdvice(status({ online: true, lastError: 'The sync server answered 503.' }))).toMatch(/^The school server was reached but the sync did not go through/);
  });

  it('says when the last sync was, or that there has been none', () => {
    expect(lastSyncText(null, NOW)).toBe('Never: this computer has not finished a sync yet.');
    expect(lastSyncText(ago(5 * 60), NOW)).toMatch(/ \(5 min ago\)$/);
  });
});

describe('backups and a recovery', () => {
  it('sizes, unsent changes and the schedule in words', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(13_002_342)).toBe('12.4 MB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
    expect(unsentText(0)).toBe('No unsent changes');
    expect(unsentText(1)).toBe('1 unsent change');
    expect(unsentText(1204)).toBe('1,204 unsent changes');
    expect(scheduleText(6, 7)).toBe('A backup is made by itself every 6 hours; the newest 7 backups are kept.');
    expect(scheduleText(24, 1)).toBe('A backup is made by itself once a day; the newest 1 backup is kept.');
  });

  it('explains a recovery: the damaged file kept, the backup used and what came back from it', () => {
    const lines = recoveryLines(recovery());
    expect(lines[0]).toMatch(/database was found damaged \(file is not a database\) and was rebuilt from the school server\.$/);
    expect(lines[1]).toBe('The damaged file is kept at /home/office/.schoolhouse/schoolhouse.damaged-20261122T090000Z.sqlite3 for IT to look at.');
    expect(lines[2]).toBe('3 unsent changes were carried over from the backup schoolhouse-20261122T060000Z.sqlite3 and will be sent with the next sync.');
    expect(recoveryLines(recovery({ pendingRecovered: 0 }))[2]).toBe('The backup schoolhouse-20261122T060000Z.sqlite3 held no unsent changes, so nothing made here was lost.');
    expect(recoveryLines(recovery({ fromBackup: null, pendingRecovered: 0 }))[2]).toMatch(/^No usable backup was found/);
  });
});

describe('a restore', () => {
  it('says which backup came back and what was kept since', () => {
    expect(restoredText({ restored: 'schoolhouse-20261122T060000Z.sqlite3', pendingKept: 0 })).toBe(
      'Restored schoolhouse-20261122T060000Z.sqlite3. This computer had no unsent changes made since that backup. Anything newer on the school server comes back with the next sync.',
    );
    expect(restoredText({ restored: 'schoolhouse-20261122T060000Z.sqlite3', pendingKept: 2 })).toBe(
      'Restored schoolhouse-20261122T060000Z.sqlite3. 2 unsent changes made here since that backup were kept and will be sent with the next sync. Anything newer on the school server comes back with the next sync.',
    );
  });
});

describe('the banner over the screens', () => {
  it('shows a first sync until dismissed, and the next run again', () => {
    const p = progress();
    const shown = bannerContent(p, null, [], NOW);
    expect(shown).toMatchObject({ kind: 'first-sync', progress: p });
    expect(bannerContent(p, null, [shown!.key], NOW)).toBeNull();
    // A rebuild later in the session is a new run: it shows again.
    expect(bannerContent(progress({ startedAt: ago(5) }), null, [shown!.key], NOW)).toMatchObject({ kind: 'first-sync' });
    expect(bannerContent(null, null, [], NOW)).toBeNull();
  });

  it('tells of a recent recovery once the sync is not streaming, and stays quiet about an old one', () => {
    const r = recovery();
    expect(bannerContent(progress(), r, [], NOW)).toMatchObject({ kind: 'first-sync' });
    const news = bannerContent(null, r, [], NOW);
    expect(news).toMatchObject({ kind: 'recovery', report: r });
    expect(bannerContent(null, r, [news!.key], NOW)).toBeNull();
    expect(bannerContent(null, recovery({ at: new Date(NOW - RECOVERY_NEWS_MS - 1).toISOString() }), [], NOW)).toBeNull();
  });
});
