import type { ConflictItem } from '../../../../shared/domain/conflict-views';
import { formatDateTime } from '../../lib/time';

export type ConflictState = 'open' | 'resolved';

/** What the list says when it has nothing, and what to do about it. */
export function emptyText(state: ConflictState): string {
  return state === 'open'
    ? 'Nothing to review. When two computers change the same thing while offline, the one synced last is kept and the other is listed here to check.'
    : 'No conflict has been resolved yet.';
}

/** A duplicate admission number in words, with what to do about it. */
export function duplicateText(c: ConflictItem): string {
  return `Two students were given the admission number ${c.kept.value} on different computers: ${c.record} and ${c.other?.record ?? 'another student'}. Both were saved. Change the admission number of one of them, then mark this as dealt with.`;
}

/** The buttons a conflict offers: a duplicate is dealt with elsewhere; an overwritten value can be restored. */
export function actionLabels(c: ConflictItem): { keep: string; restore: string | null } {
  return c.kind === 'duplicate' ? { keep: 'Mark as dealt with', restore: null } : { keep: 'Keep', restore: 'Restore the replaced value' };
}

/** The links to the students a conflict is about. */
export function studentLinkLabel(c: ConflictItem, index: number): string {
  if (index > 0) return 'Open the other student';
  return c.kind === 'duplicate' ? 'Open this student' : 'Open the student';
}

/** "Kept as it was by Grace Wanjiru on 21 Nov 2026, 10:04." */
export function resolutionText(c: ConflictItem): string {
  if (!c.resolution) return '';
  const what = c.resolution === 'restored' ? 'Replaced value restored' : c.kind === 'duplicate' ? 'Dealt with' : 'Kept as it was';
  const when = c.resolvedAt ? ` on ${formatDateTime(c.resolvedAt)}` : '';
  return `${what} by ${c.resolvedBy ?? 'someone'}${when}.`;
}

/** Said after a button was pressed, as the conflict leaves the list. */
export function doneText(c: ConflictItem, resolution: 'kept' | 'restored'): string {
  if (resolution === 'restored') return `${c.record}: ${c.fieldLabel} is ${c.replaced.value} again; it is saved here and syncs like any change.`;
  return c.kind === 'duplicate' ? `${c.record}: marked as dealt with.` : `${c.record}: ${c.fieldLabel} stays ${c.kept.value}.`;
}

/** "3 to review, oldest first". */
export function openCountText(count: number): string {
  if (count === 0) return 'Nothing to review.';
  return `${count.toLocaleString('en')} to review, oldest first.`;
}
