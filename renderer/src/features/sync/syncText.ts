import type { InitialSyncProgress, SyncStatus } from '../../../../shared/domain/sync-status';
import type { RecoveryReport, RestoreResult } from '../../../../shared/domain/backups';
import { formatDateTime } from '../../lib/time';
import { plural } from '../../lib/words';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function parseMs(iso: string): number | null {
  const ms = new Date(iso).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** "under a minute", "12 min", "2 h 10 min", "3 days": a length of time, to the unit that matters. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < MINUTE) return 'under a minute';
  if (s < HOUR) return `${Math.floor(s / MINUTE)} min`;
  if (s < 2 * DAY) {
    const h = Math.floor(s / HOUR);
    const m = Math.floor((s % HOUR) / MINUTE);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  return `${Math.floor(s / DAY)} days`;
}

/** How long ago `iso` was, e.g. "2 h 10 min"; a moment "in the future" (a clock put back) counts as now. */
export function formatAge(iso: string, now: number = Date.now()): string {
  const at = parseMs(iso);
  return at === null ? '' : formatDuration((now - at) / 1000);
}

/** "5 min ago", "just now". */
export function formatAgo(iso: string, now: number = Date.now()): string {
  const age = formatAge(iso, now);
  if (age === '') return '';
  return age === 'under a minute' ? 'just now' : `${age} ago`;
}

/** "about 2 min left"; the estimate is rounded up, so it does not promise too little. */
export function formatTimeLeft(secondsLeft: number | null): string {
  if (secondsLeft === null) return 'working out the time left';
  if (secondsLeft < MINUTE) return 'less than a minute left';
  const rounded = Math.ceil(secondsLeft / MINUTE) * MINUTE;
  return `about ${formatDuration(rounded)} left`;
}

/** Whole percent done, rounded; 100 only once every row is in (rows that arrived after the count
 * was taken never push it over), 0 with nothing counted. */
export function percentDone(done: number, total: number): number {
  if (total <= 0) return 0;
  if (done >= total) return 100;
  return Math.min(99, Math.round((done * 100) / total));
}

/** The total the bar runs to: the server's count, or more if more rows arrived since it was taken. */
export function progressTotal(p: InitialSyncProgress): number {
  return Math.max(p.rowsTotal, p.rowsDone);
}

/** "45,000 of 120,000 rows (38%) · about 2 min left". */
export function progressLine(p: InitialSyncProgress): string {
  const total = progressTotal(p);
  return `${p.rowsDone.toLocaleString('en')} of ${total.toLocaleString('en')} rows (${percentDone(p.rowsDone, total)}%) · ${formatTimeLeft(p.secondsLeft)}`;
}

/** What a user can do during each part of a first sync. */
export function phaseText(phase: InitialSyncProgress['phase']): string {
  return phase === 'current'
    ? "Getting the school's records — you can sign in and look up students once this part is done."
    : 'Students and classes are ready; older payments and registers are still arriving: balances and attendance history may be incomplete.';
}

/** The banner's one line over every screen during a first sync. */
export function bannerText(p: InitialSyncProgress): string {
  const what = p.phase === 'current' ? "Getting the school's records" : 'Students and classes are ready; older payments and registers are still arriving';
  return `${what}: ${percentDone(p.rowsDone, progressTotal(p))}% · ${formatTimeLeft(p.secondsLeft)}.`;
}

/** "offline · 3 pending": the status bar's first words (tests and screen readers read them as one). */
export function statusSummary(status: SyncStatus): string {
  return `${status.online ? 'online' : 'offline'} · ${status.pending} pending`;
}

/** "oldest 2 h 10 min" while something waits to be sent; null when nothing does. */
export function oldestPendingText(status: SyncStatus, now: number = Date.now()): string | null {
  if (status.pending === 0 || status.oldestPendingAt === null) return null;
  return `oldest ${formatAge(status.oldestPendingAt, now)}`;
}

/** "3 Mar 2026, 12:03 (5 min ago)" or "Never: this computer has not synced yet." */
export function lastSyncText(lastSyncAt: string | null, now: number = Date.now()): string {
  if (lastSyncAt === null) return 'Never: this computer has not finished a sync yet.';
  return `${formatDateTime(lastSyncAt)} (${formatAgo(lastSyncAt, now)})`;
}

/** What to do about the last sync failure, after core's own words for what happened. */
export function errorAdvice(status: SyncStatus): string {
  if (!status.online) {
    return "Check this computer's network cable or Wi-Fi. Everything saved here stays on this computer and is sent by itself once the school server can be reached; there is nothing else to do meanwhile.";
  }
  return 'The school server was reached but the sync did not go through. It is tried again by itself; if this message stays for more than an hour, tell whoever looks after the school server and read them the message above.';
}

/** "12.4 MB", "840 KB", "512 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** "No unsent changes", "3 unsent changes": what a backup holds that the server had not yet got. */
export function unsentText(pending: number): string {
  return pending === 0 ? 'No unsent changes' : plural(pending, 'unsent change');
}

/** "every 6 hours, the last 7 kept" */
export function scheduleText(everyHours: number, keep: number): string {
  const every = everyHours === 1 ? 'every hour' : everyHours === 24 ? 'once a day' : `every ${everyHours.toLocaleString('en')} hours`;
  return `A backup is made by itself ${every}; the newest ${plural(keep, 'backup')} ${keep === 1 ? 'is' : 'are'} kept.`;
}

/** The recovery report, sentence by sentence, for the Sync screen's notice. */
export function recoveryLines(r: RecoveryReport): string[] {
  return [
    `On ${formatDateTime(r.at)} this computer's database was found damaged (${r.reason}) and was rebuilt from the school server.`,
    `The damaged file is kept at ${r.damagedFile} for IT to look at.`,
    r.fromBackup === null
      ? 'No usable backup was found, so changes made here that had not reached the server before the damage could not be recovered: check the last few entries made on this computer.'
      : r.pendingRecovered === 0
        ? `The backup ${r.fromBackup} held no unsent changes, so nothing made here was lost.`
        : `${plural(r.pendingRecovered, 'unsent change')} ${r.pendingRecovered === 1 ? 'was' : 'were'} carried over from the backup ${r.fromBackup} and will be sent with the next sync.`,
  ];
}

/** What a restore did, in words; said where the person lands afterwards (often the sign-in screen). */
export function restoredText(r: RestoreResult): string {
  const kept =
    r.pendingKept === 0
      ? 'This computer had no unsent changes made since that backup.'
      : `${plural(r.pendingKept, 'unsent change')} made here since that backup ${r.pendingKept === 1 ? 'was' : 'were'} kept and will be sent with the next sync.`;
  return `Restored ${r.restored}. ${kept} Anything newer on the school server comes back with the next sync.`;
}
