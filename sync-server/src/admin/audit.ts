import type { Kysely } from 'kysely';
import type { AuditEntry, AuditPage } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant } from '../db/with-tenant.js';
import { toCsv } from '../../../shared/csv.js';

/** A page of the school's change log, newest first: what changed, who (by the author recorded
 * with the change) and on which device. */
export async function auditPage(db: Kysely<ServerDatabase>, tenantId: string, q: { before?: number | undefined; limit: number }): Promise<AuditPage> {
  const rows = await withTenant(db, tenantId, (trx) => {
    let query = trx
      .selectFrom('sync_changes as c')
      .leftJoin('staff as s', (j) => j.onRef('s.tenant_id', '=', 'c.tenant_id').onRef('s.id', '=', 'c.author_id'))
      .leftJoin('devices as d', (j) => j.onRef('d.tenant_id', '=', 'c.tenant_id').onRef('d.id', '=', 'c.device_id'))
      .select(['c.seq', 'c.created_at', 'c.table_name', 'c.row_id', 'c.op', 's.display_name', 'd.name as device_name'])
      .where('c.tenant_id', '=', tenantId);
    if (q.before !== undefined) query = query.where('c.seq', '<', q.before);
    return query.orderBy('c.seq', 'desc').limit(q.limit + 1).execute();
  });
  const page = rows.slice(0, q.limit);
  const entries: AuditEntry[] = page.map((r) => ({
    seq: r.seq,
    at: new Date(r.created_at).toISOString(),
    table: r.table_name,
    rowId: r.row_id,
    op: r.op,
    userName: r.display_name,
    deviceName: r.device_name,
  }));
  return { rows: entries, next: rows.length > q.limit ? page.at(-1)!.seq : null };
}

export function auditCsv(rows: readonly AuditEntry[]): string {
  return toCsv(
    ['seq', 'at', 'table', 'row_id', 'op', 'user', 'device'],
    rows.map((r) => [r.seq, r.at, r.table, r.rowId, r.op, r.userName, r.deviceName]),
  );
}
