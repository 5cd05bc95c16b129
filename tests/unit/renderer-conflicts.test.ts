// The Conflicts screen's own logic, without a window: what each card says about an overwritten
// value or a duplicate admission number, which buttons it offers, what is said once it is dealt
// with, and the count on the Conflicts tab.
import { describe, expect, it } from 'vitest';
import { actionLabels, doneText, duplicateText, emptyText, openCountText, resolutionText, studentLinkLabel } from '../../renderer/src/features/conflicts/conflictText.js';
import { badgeText } from '../../renderer/src/features/nav/counts.js';
import { groupedScreens, visibleScreens } from '../../renderer/src/features/nav/screens.js';
import { BUILTIN_ROLES } from '../../shared/domain/permissions.js';
import { ConflictItem } from '../../shared/domain/conflict-views.js';
import { formatDateTime } from '../../renderer/src/lib/time.js';

const overwritten = ConflictItem.parse({
  id: '0190a1b2-0000-7000-8000-0000000000c1',
  kind: 'overwritten',
  table: 'students',
  rowId: '0190a1b2-0000-7000-8000-0000000000s1',
  record: 'Amina Achieng (KHS/2026/00012)',
  fieldLabel: 'Class',
  kept: { value: 'Grade 4 B', by: 'Grace Wanjiru', device: 'Office PC' },
  replaced: { value: 'Grade 4 A', by: 'Mary Achieng', device: 'Staff room laptop' },
  raisedAt: '2026-11-20T07:30:00.000Z',
  other: null,
  studentIds: ['0190a1b2-0000-7000-8000-0000000000s1'],
  resolution: null,
  resolvedAt: null,
  resolvedBy: null,
});

const duplicate = ConflictItem.parse({
  ...overwritten,
  id: '0190a1b2-0000-7000-8000-0000000000c2',
  kind: 'duplicate',
  fieldLabel: 'Admission number',
  record: 'Brian Baraka (KHS/2026/00777)',
  kept: { value: 'KHS/2026/00777', by: 'Grace Wanjiru', device: 'Office PC' },
  replaced: { value: 'KHS/2026/00777', by: 'Peter Otieno', device: 'Bursar PC' },
  other: { rowId: '0190a1b2-0000-7000-8000-0000000000s2', record: 'Brenda Baraka (KHS/2026/00777)' },
  studentIds: ['0190a1b2-0000-7000-8000-0000000000s1', '0190a1b2-0000-7000-8000-0000000000s2'],
});

describe('an overwritten value', () => {
  it('offers to keep it or restore the replaced value, and links to its student', () => {
    expect(actionLabels(overwritten)).toEqual({ keep: 'Keep', restore: 'Restore the replaced value' });
    expect(studentLinkLabel(overwritten, 0)).toBe('Open the student');
  });

  it('says what became of it once dealt with, and by whom', () => {
    expect(doneText(overwritten, 'kept')).toBe('Amina Achieng (KHS/2026/00012): Class stays Grade 4 B.');
    expect(doneText(overwritten, 'restored')).toBe('Amina Achieng (KHS/2026/00012): Class is Grade 4 A again; it is saved here and syncs like any change.');
    const at = '2026-11-21T08:04:00.000Z';
    expect(resolutionText({ ...overwritten, resolution: 'kept', resolvedBy: 'Grace Wanjiru', resolvedAt: at })).toBe(`Kept as it was by Grace Wanjiru on ${formatDateTime(at)}.`);
    expect(resolutionText({ ...overwritten, resolution: 'restored', resolvedBy: 'Grace Wanjiru', resolvedAt: at })).toBe(`Replaced value restored by Grace Wanjiru on ${formatDateTime(at)}.`);
    expect(resolutionText(overwritten)).toBe('');
  });
});

describe('a duplicate admission number', () => {
  it('names both students and says what to do; it cannot be "restored"', () => {
    expect(duplicateText(duplicate)).toBe(
      'Two students were given the admission number KHS/2026/00777 on different computers: Brian Baraka (KHS/2026/00777) and Brenda Baraka (KHS/2026/00777). Both were saved. Change the admission number of one of them, then mark this as dealt with.',
    );
    expect(actionLabels(duplicate)).toEqual({ keep: 'Mark as dealt with', restore: null });
    expect(duplicate.studentIds.map((_, i) => studentLinkLabel(duplicate, i))).toEqual(['Open this student', 'Open the other student']);
  });

  it('says it was dealt with, not "kept"', () => {
    expect(doneText(duplicate, 'kept')).toBe('Brian Baraka (KHS/2026/00777): marked as dealt with.');
    expect(resolutionText({ ...duplicate, resolution: 'kept', resolvedBy: 'Grace Wanjiru', resolvedAt: null })).toBe('Dealt with by Grace Wanjiru.');
  });
});

describe('the lists and the tab', () => {
  it('says what an empty list means and how many wait', () => {
    expect(emptyText('open')).toMatch(/^Nothing to review\. When two computers change the same thing while offline/);
    expect(emptyText('resolved')).toBe('No conflict has been resolved yet.');
    expect(openCountText(0)).toBe('Nothing to review.');
    expect(openCountText(1)).toBe('1 to review, oldest first.');
    expect(openCountText(2500)).toBe('2,500 to review, oldest first.');
  });

  it('shows the open count on the Conflicts tab, and nothing when there is none', () => {
    expect(badgeText('conflicts', 0)).toBeNull();
    expect(badgeText('conflicts', 4)).toBe('4 to review');
  });

  it('puts Conflicts with the school office, for those who edit students only', () => {
    const permissions = (key: string) => BUILTIN_ROLES.find((r) => r.key === key)!.permissions;
    const sections = (key: string) => groupedScreens(visibleScreens(permissions(key))).map((g) => `${g.label}: ${g.screens.map((s) => s.label).join(', ')}`);
    expect(sections('administrator')[0]).toBe('School office: Office, Students, Classes, Attendance, Report cards, Calendar, Messages, Conflicts');
    expect(sections('teacher')).toEqual(['School office: Office, Students, Classes, Attendance, Report cards, Calendar, Messages', 'Administration: Roles, Sync & backups']);
    expect(sections('registrar')[0]).toContain('Conflicts');
    // Refused changes waiting on this computer come first, above every section.
    expect(groupedScreens(visibleScreens(permissions('teacher'), 2))[0]).toMatchObject({ label: null, screens: [{ key: 'attention' }] });
  });
});
