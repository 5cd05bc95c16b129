import { ADMINISTRATOR_ROLE_KEY } from '../../../shared/domain/permissions.js';
import type { StaffRow } from '../../../shared/domain/staff.js';
import type { MutationArgs } from '../../../shared/sync/mutations.js';
import { updateStaff } from '../staff/rows.js';
import { reject, type Applier } from './types.js';

/** Changes a staff member's role, name or enabled state (the author's staff.manage permission
 * is checked before this runs). Never leaves the school without an active administrator, and
 * nobody disables their own account. Mutations of a school are applied one at a time (the
 * tenant row is locked first, see decide()), so two administrators demoting each other offline
 * cannot both succeed. */
export const updateStaffMember: Applier<MutationArgs<'staff.update'>> = async ({ trx, device, mutationId, authorId }, args) => {
  const { tenantId } = device;
  const target = await trx
    .selectFrom('staff')
    .innerJoin('roles', (j) => j.onRef('roles.tenant_id', '=', 'staff.tenant_id').onRef('roles.id', '=', 'staff.role_id'))
    .select(['staff.id', 'staff.display_name', 'staff.role_id', 'staff.active', 'roles.key as role_key'])
    .where('staff.tenant_id', '=', tenantId)
    .where('staff.id', '=', args.staffId)
    .where('staff.deleted', '=', false)
    .executeTakeFirst();
  // The id is not echoed: an answer never repeats an id that is not this school's.
  if (!target) return reject('That staff member does not exist in this school (the account may have been removed); nothing was changed.');
  const who = target.display_name;

  let newRoleKey = target.role_key;
  if (args.roleId !== undefined && args.roleId !== target.role_id) {
    const role = await trx
      .selectFrom('roles')
      .select(['id', 'key'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', args.roleId)
      .where('deleted', '=', false)
      .executeTakeFirst();
    if (!role) return reject(`The new role for ${who} does not exist in this school (it may have been removed); nothing was changed.`);
    newRoleKey = role.key;
  }

  if (args.active === false && target.active && args.staffId === authorId) {
    return reject('You cannot disable your own account; ask another administrator to do it. Nothing was changed.');
  }

  const wasAdmin = target.active && target.role_key === ADMINISTRATOR_ROLE_KEY;
  const staysAdmin = (args.active ?? target.active) && newRoleKey === ADMINISTRATOR_ROLE_KEY;
  if (wasAdmin && !staysAdmin) {
    const others = await trx
      .selectFrom('staff')
      .innerJoin('roles', (j) => j.onRef('roles.tenant_id', '=', 'staff.tenant_id').onRef('roles.id', '=', 'staff.role_id'))
      .select('staff.id')
      .where('staff.tenant_id', '=', tenantId)
      .where('roles.key', '=', ADMINISTRATOR_ROLE_KEY)
      .where('staff.active', '=', true)
      .where('staff.deleted', '=', false)
      .where('staff.id', '!=', target.id)
      .limit(1)
      .execute();
    if (others.length === 0) {
      const what = args.active === false ? 'disabling' : 'changing the role of';
      return reject(
        `${who} is the school's only active administrator; ${what} this account would leave nobody able to manage the school. Make someone else an administrator first, then resend from Needs attention.`,
      );
    }
  }

  const patch: Partial<Pick<StaffRow, 'display_name' | 'role_id' | 'active'>> = {};
  if (args.roleId !== undefined && args.roleId !== target.role_id) patch.role_id = args.roleId;
  if (args.displayName !== undefined && args.displayName !== target.display_name) patch.display_name = args.displayName;
  if (args.active !== undefined && args.active !== target.active) patch.active = args.active;
  // Already as asked (e.g. the same change made on two devices): applied, nothing to log.
  if (Object.keys(patch).length === 0) return { status: 'applied' };
  await updateStaff(trx, tenantId, target.id, patch, { mutationId, deviceId: device.deviceId, authorId });
  return { status: 'applied' };
};
