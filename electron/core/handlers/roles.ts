import type { Handlers } from '../../../shared/api/contract.js';
import { updateRolePermissions } from '../commands/update-role.js';
import { listRoles } from '../queries/roles.js';
import { listLogins } from '../queries/logins.js';
import { signedIn, type CoreContext } from './context.js';

export function roleHandlers({ store, sync }: CoreContext): Pick<Handlers, 'roles.list' | 'roles.update' | 'logins.list'> {
  return {
    'roles.list': async () => ({ roles: await listRoles(store.db) }),
    'roles.update': async ({ roleId, permissions }, user) => {
      const role = await updateRolePermissions(store.db, signedIn(user), roleId, permissions);
      sync.kick();
      return role;
    },
    'logins.list': ({ before, limit }) => listLogins(store.db, before, limit),
  };
}
