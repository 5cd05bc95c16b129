import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { StaffView } from '../../../shared/api/contract.js';

export async function listStaff(db: Kysely<LocalDatabase>, id?: string): Promise<StaffView[]> {
  let q = db
    .selectFrom('staff as s')
    .leftJoin('roles as r', 'r.id', 's.role_id')
    .select(['s.id', 's.username', 's.display_name as displayName', 's.role_id as roleId', 'r.name as roleName', 's.active'])
    .orderBy('s.display_name')
    .orderBy('s.id');
  if (id) q = q.where('s.id', '=', id);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, active: r.active === 1 }));
}
