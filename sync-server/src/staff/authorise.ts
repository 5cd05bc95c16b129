import { PERMISSION_LABELS, type Permission } from '../../../shared/domain/permissions.js';
import type { TenantTrx } from '../db/with-tenant.js';

export interface StaffMember {
  id: string;
  username: string;
  displayName: string;
  roleId: string;
  roleKey: string | null;
  roleName: string;
  permissions: Permission[];
  active: boolean;
  passwordChangedAt: Date;
}

/** A staff member of this school with their role as it is now, or undefined. Locks both rows
 * (FOR SHARE) until commit, so a concurrent demotion waits for, or is seen by, this check. */
export async function loadStaffMember(trx: TenantTrx, tenantId: string, staffId: string): Promise<StaffMember | undefined> {
  const r = await trx
    .selectFrom('staff')
    .innerJoin('roles', (j) => j.onRef('roles.tenant_id', '=', 'staff.tenant_id').onRef('roles.id', '=', 'staff.role_id'))
    .select([
      'staff.id',
      'staff.username',
      'staff.display_name',
      'staff.role_id',
      'staff.active',
      'staff.password_changed_at',
      'roles.key as role_key',
      'roles.name as role_name',
      'roles.permissions',
    ])
    .where('staff.tenant_id', '=', tenantId)
    .where('staff.id', '=', staffId)
    .where('staff.deleted', '=', false)
    .forShare()
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roleId: r.role_id,
    roleKey: r.role_key,
    roleName: r.role_name,
    permissions: r.permissions as Permission[],
    active: r.active,
    passwordChangedAt: r.password_changed_at,
  };
}

export function permissionPhrase(permission: Permission): string {
  return PERMISSION_LABELS[permission].toLowerCase();
}

/** Why `member` may not act with `permission` now, or null when they may. Phrased for the
 * "needs attention" list: who, what, and what to do. */
export function refusal(member: StaffMember | undefined, permission: Permission, authorId: string | null): string | null {
  if (!authorId) {
    return `This change has no signed-in author, and only staff who may ${permissionPhrase(permission)} can make it; sign in, then resend from Needs attention.`;
  }
  if (!member) {
    return `The author of this change is not a staff member of this school; sign in with your own account, then resend from Needs attention.`;
  }
  if (!member.active) {
    return `${member.displayName}'s account has been deactivated, so this change (${permissionPhrase(permission)}) was not applied; ask an administrator, then resend from Needs attention.`;
  }
  if (!member.permissions.includes(permission)) {
    return `${member.displayName} may no longer ${permissionPhrase(permission)} (role ${member.roleName}); ask an administrator, then resend from Needs attention.`;
  }
  return null;
}
