import type { AttendanceStatus } from '../../../../shared/domain/attendance';
import { markProblem, type Mark, type RegisterRow } from '../../../../shared/domain/attendance-views';

// The register as the teacher edits it before saving: pure, so the keyboard and bulk marking
// are tested without a browser.

export const STATUS_KEYS: Record<string, AttendanceStatus> = { p: 'present', a: 'absent', l: 'late', e: 'excused' };
export const STATUS_LABELS: Record<AttendanceStatus, string> = { present: 'Present', absent: 'Absent', late: 'Late', excused: 'Excused' };

/** The status a key press sets (A, L, E, P, any case), or null. */
export function statusForKey(key: string): AttendanceStatus | null {
  return STATUS_KEYS[key.toLowerCase()] ?? null;
}

/** Sets the status of the students in `ids`; marking someone present clears their reason. */
export function setStatus(rows: readonly RegisterRow[], ids: ReadonlySet<string>, status: AttendanceStatus): RegisterRow[] {
  return rows.map((r) => (ids.has(r.studentId) ? { ...r, status, reason: status === 'present' ? null : r.reason } : r));
}

export function setReason(rows: readonly RegisterRow[], id: string, reason: string): RegisterRow[] {
  return rows.map((r) => (r.studentId === id ? { ...r, reason: reason === '' ? null : reason } : r));
}

/** How many students' marks differ from the register as last saved (or as opened). */
export function changedCount(saved: readonly RegisterRow[], draft: readonly RegisterRow[]): number {
  const before = new Map(saved.map((r) => [r.studentId, r]));
  return draft.filter((r) => {
    const b = before.get(r.studentId);
    return !b || b.status !== r.status || (b.reason ?? '') !== (r.reason ?? '');
  }).length;
}

/** Whether a sync may show the register as now stored: not over unsaved marks, not mid-save. */
export function followSync(saved: readonly RegisterRow[], draft: readonly RegisterRow[], saving: boolean): boolean {
  return !saving && changedCount(saved, draft) === 0;
}

/** What stops the register being saved, per student (an excuse without a reason). */
export function draftProblems(draft: readonly RegisterRow[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of draft) {
    const problem = markProblem(r, r.name);
    if (problem) out.set(r.studentId, problem);
  }
  return out;
}

export function toMarks(draft: readonly RegisterRow[]): Mark[] {
  return draft.map((r) => ({ studentId: r.studentId, status: r.status, reason: r.status === 'present' ? null : r.reason?.trim() || null }));
}

export function tally(draft: readonly RegisterRow[]): Record<AttendanceStatus, number> {
  const t: Record<AttendanceStatus, number> = { present: 0, absent: 0, late: 0, excused: 0 };
  for (const r of draft) t[r.status]++;
  return t;
}

/** The row index an arrow key moves to, kept within the register. */
export function moveIndex(index: number, key: string, count: number): number | null {
  if (key === 'ArrowDown') return Math.min(count - 1, index + 1);
  if (key === 'ArrowUp') return Math.max(0, index - 1);
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  return null;
}

const PERIOD_KEY = 'schoolhouse.attendance.period';

/** The period last used on this computer ('' = the whole day), remembered between visits. */
export function rememberedPeriod(storage: Pick<Storage, 'getItem'> = localStorage): string {
  return storage.getItem(PERIOD_KEY) ?? '';
}

export function rememberPeriod(period: string, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(PERIOD_KEY, period);
}
