import type { StudentFilter } from '../../../../shared/domain/students';
import type { BulkTarget } from '../../../../shared/domain/student-views';

/** The students ticked in the list, or "all n matching" the list's filter. */
export type Selection = { kind: 'ids'; ids: ReadonlySet<string> } | { kind: 'all'; total: number };

export const NO_SELECTION: Selection = { kind: 'ids', ids: new Set() };

export function toggled(sel: Selection, id: string): Selection {
  // Unticking one row of "all matching" falls back to nothing ticked: the list does not hold every id.
  if (sel.kind === 'all') return NO_SELECTION;
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { kind: 'ids', ids };
}

export function isTicked(sel: Selection, id: string): boolean {
  return sel.kind === 'all' || sel.ids.has(id);
}

export function selectedCount(sel: Selection): number {
  return sel.kind === 'all' ? sel.total : sel.ids.size;
}

/** What the bulk command is asked to change: the ids ticked, or the filter itself. */
export function bulkTarget(sel: Selection, filter: StudentFilter): BulkTarget {
  return sel.kind === 'all' ? { filter } : { ids: [...sel.ids] };
}

/** "3 selected", "All 1,204 matching selected". */
export function selectionText(sel: Selection): string {
  const n = selectedCount(sel).toLocaleString('en');
  return sel.kind === 'all' ? `All ${n} matching selected` : `${n} selected`;
}

/** "Moved 40 students to Grade 5 A; 2 students already had that." */
export function bulkResultText(done: { selected: number; changed: number }, what: string): string {
  const s = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'student' : 'students'}`;
  const same = done.selected - done.changed;
  return `${what.replace('{n}', s(done.changed))}${same > 0 ? `; ${s(same)} already had that` : ''}.`;
}
