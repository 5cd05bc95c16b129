import { sql } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import { tablesOfPhase, type ShapePosition } from '../../../shared/sync/snapshot.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { hasTombstones, readChanges, type LogRow } from './read-changes.js';

export type SnapshotPosition = Exclude<ShapePosition, { kind: 'log' }>;

export interface SnapshotPage {
  rows: LogRow[];
  /** Where the next request continues: the same phase, the next one, or the log. */
  next: ShapePosition;
}

/**
 * One page of a snapshot (shared/sync/snapshot.ts): phase 1 pages the current tables by _seq,
 * phase 2 the history tables, each branch a range scan of its (tenant_id, _seq) index. A page
 * never mixes phases, so the offset it ends on says what the device holds.
 *
 * `lastSeq` is the school's last seq read before this page (an earlier statement). When phase 1
 * runs out it ends at that seq A: every current change up to A was committed before this page's
 * read, so this page or an earlier one carried it; anything later is > A and comes with the log
 * from A after phase 2. Rows changed during the snapshot are sent again (idempotent upserts).
 */
export async function readSnapshotPage(
  trx: TenantTrx,
  tables: readonly SyncedTable[],
  opts: { tenantId: string; from: SnapshotPosition; limit: number; lastSeq: number },
): Promise<SnapshotPage> {
  const { from, limit, lastSeq } = opts;
  if (from.seq > lastSeq || (from.kind === 'history' && from.currentEnd > lastSeq)) {
    throw new AppError('invalid_input', 'The "offset" parameter is ahead of this school\'s changes: it did not come from this server. Start again from offset -1.');
  }
  const rows = await readChanges(trx, tablesOfPhase(tables, from.kind), { tenantId: opts.tenantId, afterSeq: from.seq, limit: limit + 1, includeDeleted: false });
  if (rows.length > limit) {
    const page = rows.slice(0, limit);
    const seq = page.at(-1)!.seq;
    return { rows: page, next: from.kind === 'current' ? { kind: 'current', seq } : { kind: 'history', seq, currentEnd: from.currentEnd } };
  }
  return { rows, next: from.kind === 'current' ? { kind: 'history', seq: 0, currentEnd: lastSeq } : { kind: 'log', seq: from.currentEnd } };
}

/** How many rows a snapshot of `tables` sends (tombstones are not sent), for the progress bar.
 * One count per table over its (tenant_id, _seq) index, once per snapshot. */
export async function countSnapshotRows(trx: TenantTrx, tables: readonly SyncedTable[], tenantId: string): Promise<number> {
  const counts = tables.map(
    (table) => sql`(select count(*) as n from ${sql.table(table)} where tenant_id = ${tenantId} ${hasTombstones[table] ? sql`and not deleted` : sql``})`,
  );
  const { rows } = await sql<{ total: string | number }>`select coalesce(sum(n), 0)::bigint as total from (${sql.join(counts, sql` union all `)}) c`.execute(trx);
  return Number(rows[0]!.total);
}
