import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { LoginView } from '../../../shared/api/contract.js';

export interface LoginCursor {
  at: string;
  id: string;
}

/** The school's login history, newest first, keyset-paged on (at, id) by its index. */
export async function listLogins(db: Kysely<LocalDatabase>, before: LoginCursor | null | undefined, limit: number): Promise<{ rows: LoginView[]; next: LoginCursor | null }> {
  let q = db
    .selectFrom('login_history as l')
    .leftJoin('staff as s', 's.id', 'l.user_id')
    .leftJoin('devices as d', 'd.id', 'l.device_id')
    .select(['l.id', 'l.username', 's.display_name as displayName', 'l.device_id as deviceId', 'd.name as deviceName', 'l.at', 'l.success', 'l.offline', 'l.reason'])
    .orderBy('l.at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(limit + 1);
  if (before) q = q.where(sql<boolean>`(l.at, l.id) < (${before.at}, ${before.id})`);
  const rows = await q.execute();
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows.at(-1);
  return {
    rows: rows.map((r) => ({ ...r, success: r.success === 1, offline: r.offline === 1 })),
    next: more && last ? { at: last.at, id: last.id } : null,
  };
}
