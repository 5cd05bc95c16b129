import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { ADMINISTRATOR_ROLE_KEY, PERMISSIONS, type Permission } from '../../../shared/domain/permissions.js';
import type { RoleView } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { appendMutation } from '../outbox/outbox.js';
import { toRoleView } from '../queries/roles.js';

/** Sets a role's permissions (the role matrix). Synced like any edit; the server re-checks
 * that the author may still manage roles when it applies the change. */
export async function updateRolePermissions(
  db: Kysely<LocalDatabase>,
  author: SessionUser,
  roleId: string,
  requested: Permission[],
): Promise<RoleView> {
  const permissions = PERMISSIONS.filter((p) => requested.includes(p));
  return db.transaction().execute(async (tx) => {
    const role = await tx.selectFrom('roles').selectAll().where('id', '=', roleId).executeTakeFirst();
    if (!role) throw new AppError('not_found', 'That role is not on this device. Sync, then try again.');
    if (role.key === ADMINISTRATOR_ROLE_KEY) {
      throw new AppError('forbidden', 'The administrator role always keeps every permission, so that a school can never lock itself out of its settings.');
    }
    await appendMutation(tx, 'roles.update', { roleId, permissions }, [{ table: 'roles', id: roleId }], author.id);
    await tx.updateTable('roles').set({ permissions: JSON.stringify(permissions) }).where('id', '=', roleId).execute();
    return toRoleView({ ...role, permissions: JSON.stringify(permissions) });
  });
}
