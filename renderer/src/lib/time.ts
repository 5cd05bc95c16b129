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
