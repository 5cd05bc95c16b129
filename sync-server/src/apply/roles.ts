import { ADMINISTRATOR_ROLE_KEY, type Permission } from '../../../shared/domain/permissions.js';
import type { MutationArgs } from '../../../shared/sync/mutations.js';
import { updateRolePermissions } from '../staff/rows.js';
import { reject, type Applier } from './types.js';

/** Replaces a role's permissions. The administrator role is fixed: a school must never be able
 * to lock itself out of its own settings. Takes effect for every later mutation the server
 * applies, whatever the devices' clocks say. */
export const updateRole: Applier<MutationArgs<'roles.update'>> = async ({ trx, device, mutationId, authorId }, args) => {
  const role = await trx
    .selectFrom('roles')
    .select(['id', 'key', 'name', 'permissions'])
    .where('tenant_id', '=', device.tenantId)
    .where('id', '=', args.roleId)
    .where('deleted', '=', false)
    .forUpdate()
    .executeTakeFirst();
  if (!role) return reject('That role does not exist in this school; the permissions were not changed.');
  if (role.key === ADMINISTRATOR_ROLE_KEY) {
    return reject(`The ${role.name} role always holds every permission and cannot be changed; give people another role instead.`);
  }
  const permissions = [...new Set(args.permissions)].sort() as Permission[];
  await updateRolePermissions(trx, device.tenantId, { ...role, permissions: role.permissions as Permission[] }, permissions, {
    mutationId,
    deviceId: device.deviceId,
    authorId,
  });
  return { status: 'applied' };
};
