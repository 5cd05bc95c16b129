const timeFmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function parse(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "12:03:10" in local time. */
export function formatClock(iso: string): string {
  const d = parse(iso);
  return d ? timeFmt.format(d) : iso;
}

/** "3 Mar 2025, 12:03" in local time. */
export function formatDateTime(iso: string): string {
  const d = parse(iso);
  return d ? dateTimeFmt.format(d) : iso;
}

/** "in 15 minutes", "in 2 hours", "already passed": how far ahead a moment is, roughly. */
export function formatFromNow(iso: string, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return '';
  const minutes = Math.round((d.getTime() - now) / 60_000);
  if (minutes <= 0) return 'already passed';
  if (minutes < 90) return `in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} hours`;
  return `in ${Math.round(hours / 24)} days`;
}

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** "31 Jan 2026" for a calendar date ("2026-01-31"), which has no time zone to shift it. */
export function formatDate(isoDate: string): string {
  if (!DATE_ONLY.test(isoDate)) return isoDate;
  const d = parse(`${isoDate}T00:00:00Z`);
  return d ? dateFmt.format(d) : isoDate;
}

/** A calendar date ("2026-01-31") or a moment ("2026-01-31T09:15:00Z"), whichever it is. */
export function formatDateOrTime(iso: string): string {
  return DATE_ONLY.test(iso) ? formatDate(iso) : formatDateTime(iso);
}

const localDateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

/** "3 Mar 2025": the calendar day of a date or a moment (in local time), without the time. */
export function formatDay(iso: string): string {
  if (DATE_ONLY.test(iso)) return formatDate(iso);
  const d = parse(iso);
  return d ? localDateFmt.format(d) : iso;
}

/** Today on this computer's calendar, as "2026-01-31". */
export function todayIsoDate(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
