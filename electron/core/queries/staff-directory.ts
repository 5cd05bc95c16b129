import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { StaffDirectoryEntry } from '../../../shared/domain/student-views.js';

/** Active staff in name order, for pickers (class teacher, subject teacher, message recipients). */
export async function staffDirectory(db: Kysely<LocalDatabase>): Promise<StaffDirectoryEntry[]> {
  return db
    .selectFrom('staff as s')
    .leftJoin('roles as r', 'r.id', 's.role_id')
    .select(['s.id', 's.display_name as name', 'r.name as role'])
    .where('s.active', '=', 1)
    .orderBy('s.display_name')
    .orderBy('s.id')
    .execute();
}
