import type { Kysely, Transaction } from 'kysely';
import type { MutationArgs } from '../../../shared/sync/mutations.js';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { ADMINISTRATOR_ROLE_KEY, PERMISSIONS, type Permission } from '../../../shared/domain/permissions.js';
import type { RoleView } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { appendMutation } from '../outbox/outbox.js';
import { toRoleView } from '../queries/roles.js';

/** The local effect of a role edit (new or resent); the administrator role is never edited. */
export async function writeRoleLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'roles.update'>): Promise<RoleView> {
  const role = await tx.selectFrom('roles').selectAll().where('id', '=', args.roleId).executeTakeFirst();
  if (!role) throw new AppError('not_found', 'That role is not on this device. Sync, then try again.');
  if (role.key === ADMINISTRATOR_ROLE_KEY) {
    throw new AppError('forbidden', 'The administrator role always keeps every permission, so that a school can never lock itself out of its settings.');
  }
  const permissions = JSON.stringify(args.permissions);
  await tx.updateTable('roles').set({ permissions }).where('id', '=', args.roleId).execute();
  return toRoleView({ ...role, permissions });
}

/** Sets a role's permissions (the role matrix). Synced like any edit; the server re-checks
 * that the author may still manage roles when it applies the change. */
export async function updateRolePermissions(
  db: Kysely<LocalDatabase>,
  author: SessionUser,
  roleId: string,
  requested: Permission[],
): Promise<RoleView> {
  const args = { roleId, permissions: PERMISSIONS.filter((p) => requested.includes(p)) };
  return db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'roles.update', args, [{ table: 'roles', id: roleId }], author.id);
    return writeRoleLocally(tx, args);
  });
}
