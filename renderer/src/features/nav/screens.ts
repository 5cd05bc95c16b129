import type { Permission } from '../../../../shared/domain/permissions';

export type ScreenKey = 'students' | 'roles' | 'logins' | 'devices' | 'audit';

export interface ScreenDef {
  key: ScreenKey;
  label: string;
  /** The permission needed to see the tab at all; null: any signed-in person. */
  needs: Permission | null;
}

export const SCREENS: readonly ScreenDef[] = [
  { key: 'students', label: 'Students', needs: 'students.view' },
  { key: 'roles', label: 'Roles', needs: null },
  { key: 'logins', label: 'Login history', needs: 'logins.view' },
  { key: 'devices', label: 'Devices', needs: 'devices.manage' },
  { key: 'audit', label: 'Audit', needs: 'audit.view' },
];

export function visibleScreens(permissions: readonly Permission[]): ScreenDef[] {
  return SCREENS.filter((s) => s.needs === null || permissions.includes(s.needs));
}
