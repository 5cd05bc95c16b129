import type { Permission } from '../../../../shared/domain/permissions';

export type ScreenKey =
  | 'office'
  | 'classes'
  | 'attendance'
  | 'reports'
  | 'calendar'
  | 'messages'
  | 'conflicts'
  | 'students'
  | 'bursary' | 'fees' | 'staff' | 'roles' | 'logins' | 'devices' | 'audit' | 'attention' | 'sync';

/** The navigation's sections, in the order a school office works through its day. */
export type NavGroup = 'sync' | 'office' | 'bursary' | 'admin';

export const NAV_GROUP_LABELS: Record<NavGroup, string | null> = {
  sync: null,
  office: 'School office',
  bursary: 'Bursary',
  admin: 'Administration',
};

export interface ScreenDef {
  key: ScreenKey;
  label: string;
  group: NavGroup;
  /** The permission needed to see the tab at all; null: any signed-in person. */
  needs: Permission | null;
  /** Shown only while something needs attention (changes the school server refused). */
  onlyWithAttention?: boolean;
}

export const SCREENS: readonly ScreenDef[] = [
  { key: 'attention', label: 'Needs attention', group: 'sync', needs: null, onlyWithAttention: true },
  { key: 'office', label: 'Office', group: 'office', needs: 'students.view' },
  { key: 'students', label: 'Students', group: 'office', needs: 'students.view' },
  { key: 'classes', label: 'Classes', group: 'office', needs: 'students.view' },
  { key: 'attendance', label: 'Attendance', group: 'office', needs: 'attendance.mark' },
  { key: 'reports', label: 'Report cards', group: 'office', needs: 'scores.enter' },
  { key: 'calendar', label: 'Calendar', group: 'office', needs: null },
  { key: 'messages', label: 'Messages', group: 'office', needs: null },
  { key: 'conflicts', label: 'Conflicts', group: 'office', needs: 'students.update' },
  { key: 'bursary', label: 'Bursary', group: 'bursary', needs: 'payments.view' },
  { key: 'fees', label: 'Fees', group: 'bursary', needs: 'fees.manage' },
  { key: 'staff', label: 'Staff', group: 'admin', needs: 'staff.manage' },
  { key: 'roles', label: 'Roles', group: 'admin', needs: null },
  { key: 'logins', label: 'Login history', group: 'admin', needs: 'logins.view' },
  { key: 'devices', label: 'Devices', group: 'admin', needs: 'devices.manage' },
  { key: 'audit', label: 'Audit', group: 'admin', needs: 'audit.view' },
  { key: 'sync', label: 'Sync & backups', group: 'admin', needs: null },
];

/** The tabs for these permissions; `needsAttention` is how many refused changes wait on this computer. */
export function visibleScreens(permissions: readonly Permission[], needsAttention = 0): ScreenDef[] {
  return SCREENS.filter((s) => (s.needs === null || permissions.includes(s.needs)) && (!s.onlyWithAttention || needsAttention > 0));
}

/** The visible tabs under their section headings, sections without a tab left out. */
export function groupedScreens(screens: readonly ScreenDef[]): { group: NavGroup; label: string | null; screens: ScreenDef[] }[] {
  return (Object.keys(NAV_GROUP_LABELS) as NavGroup[])
    .map((group) => ({ group, label: NAV_GROUP_LABELS[group], screens: screens.filter((s) => s.group === group) }))
    .filter((g) => g.screens.length > 0);
}

/** Screens that stay open even when their tab is not shown: "Needs attention" keeps showing the
 * outcome of the last resend or discard after the last item is gone. */
export function reachableWithoutTab(screen: ScreenKey): boolean {
  return SCREENS.some((s) => s.key === screen && s.needs === null && s.onlyWithAttention === true);
}
