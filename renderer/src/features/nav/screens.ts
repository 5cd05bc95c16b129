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
  | 'bursary' | 'fees' | 'staff' | 'roles' | 'logins' | 'devices' | 'audit' | 'attention';

export interface ScreenDef {
  key: ScreenKey;
  label: string;
  /** The permission needed to see the tab at all; null: any signed-in person. */
  needs: Permission | null;
  /** Shown only while something needs attention (changes the school server refused). */
  onlyWithAttention?: boolean;
}

export const SCREENS: readonly ScreenDef[] = [
  { key: 'students', label: 'Students', needs: 'students.view' },
  { key: 'office', label: 'Office', needs: 'students.view' },
  { key: 'classes', label: 'Classes', needs: 'students.view' },
  { key: 'attendance', label: 'Attendance', needs: 'attendance.mark' },
  { key: 'reports', label: 'Report cards', needs: 'scores.enter' },
  { key: 'calendar', label: 'Calendar', needs: null },
  { key: 'messages', label: 'Messages', needs: null },
  { key: 'conflicts', label: 'Conflicts', needs: 'students.update' },
  { key: 'bursary', label: 'Bursary', needs: 'payments.view' },
  { key: 'fees', label: 'Fees', needs: 'fees.manage' },
  { key: 'staff', label: 'Staff', needs: 'staff.manage' },
  { key: 'roles', label: 'Roles', needs: null },
  { key: 'logins', label: 'Login history', needs: 'logins.view' },
  { key: 'devices', label: 'Devices', needs: 'devices.manage' },
  { key: 'audit', label: 'Audit', needs: 'audit.view' },
  { key: 'attention', label: 'Needs attention', needs: null, onlyWithAttention: true },
];

/** The tabs for these permissions; `needsAttention` is how many refused changes wait on this computer. */
export function visibleScreens(permissions: readonly Permission[], needsAttention = 0): ScreenDef[] {
  return SCREENS.filter((s) => (s.needs === null || permissions.includes(s.needs)) && (!s.onlyWithAttention || needsAttention > 0));
}

/** Screens that stay open even when their tab is not shown: "Needs attention" keeps showing the
 * outcome of the last resend or discard after the last item is gone. */
export function reachableWithoutTab(screen: ScreenKey): boolean {
  return SCREENS.some((s) => s.key === screen && s.needs === null && s.onlyWithAttention === true);
}
