import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { RoleView } from '../../../shared/api/contract.js';
import { ADMINISTRATOR_ROLE_KEY, PERMISSIONS, type Permission } from '../../../shared/domain/permissions.js';

export function toRoleView(row: { id: string; key: string | null; name: string; permissions: string }): RoleView {
  const granted = new Set(JSON.parse(row.permissions) as string[]);
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    permissions: PERMISSIONS.filter((p): p is Permission => granted.has(p)),
    editable: row.key !== ADMINISTRATOR_ROLE_KEY,
  };
}

export async function listRoles(db: Kysely<LocalDatabase>): Promise<RoleView[]> {
  const rows = await db.selectFrom('roles').selectAll().orderBy('name').execute();
  return rows.map(toRoleView);
}
