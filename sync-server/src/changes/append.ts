import { sql, type OperationNodeSource, type QueryCreator, type RawBuilder, type Transaction } from 'kysely';
import type { ChangeOp, ServerDatabase } from '../db/schema.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';

export const CHANGES_CHANNEL = 'sync_changes';

/** Reserves the next n seqs of a tenant's change log, returning the first one.
 * The update takes the tenant row's lock until commit, which serialises appends per tenant:
 * a later seq can never commit before an earlier one, so a reader paging by seq skips nothing. */
export async function allocateSeqs(trx: Transaction<ServerDatabase>, tenantId: string, n: number): Promise<number> {
  const row = await trx
    .updateTable('tenants')
    .set({ last_seq: sql`last_seq + ${n}` })
    .where('id', '=', tenantId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq - n + 1;
}

export interface Change {
  seq: number;
  table: SyncedTable;
  rowId: string;
  op: ChangeOp;
  row: Record<string, unknown> | null;
}

export interface ChangeOrigin {
  mutationId: string | null;
  deviceId: string | null;
  /** The staff member whose action this is, for the audit trail (absent: server or seed). */
  authorId?: string | null;
}

/** The statement that writes a change's row, given its seq (an expression): run inside
 * appendChange's statement. */
export type WriteWithSeq = (db: QueryCreator<ServerDatabase>, seq: RawBuilder<number>) => OperationNodeSource;

/** Takes the next seq, logs one change with it and writes its row, in one statement (one round
 * trip where allocateSeqs, the write and appendChanges take three). */
export async function appendChange(
  trx: Transaction<ServerDatabase>,
  tenantId: string,
  change: Omit<Change, 'seq'>,
  origin: ChangeOrigin,
  write: WriteWithSeq,
): Promise<void> {
  const seq = sql<number>`(select last_seq from taken)`;
  await trx
    .with('taken', (db) => db.updateTable('tenants').set({ last_seq: sql`last_seq + 1` }).where('id', '=', tenantId).returning('last_seq'))
    .with('appended', (db) =>
      db
        .insertInto('sync_changes')
        .values({
          tenant_id: tenantId,
          seq,
          table_name: change.table,
          row_id: change.rowId,
          op: change.op,
          row: JSON.stringify(change.row),
          mutation_id: origin.mutationId,
          device_id: origin.deviceId,
          author_id: origin.authorId ?? null,
        })
        .returning('seq'),
    )
    // The row's own type does not matter to this statement, only that it runs.
    .with('written', (db) => write(db, seq) as ReturnType<typeof db.selectNoFrom>)
    .selectFrom('appended')
    .select(['appended.seq', sql`pg_notify(${CHANGES_CHANNEL}, ${tenantId})`.as('notified')])
    .executeTakeFirstOrThrow();
}

/** Appends changes to the history and wakes long-polls of this tenant once the transaction commits. */
export async function appendChanges(
  trx: Transaction<ServerDatabase>,
  tenantId: string,
  changes: readonly Change[],
  origin: ChangeOrigin,
): Promise<void> {
  if (changes.length === 0) return;
  // One round trip for both: the insert runs to completion as a data-modifying WITH, and
  // NOTIFY is transactional (delivered at commit, dropped on rollback; PostgreSQL sends a
  // transaction's identical notifications once).
  await trx
    .with('appended', (db) =>
      db.insertInto('sync_changes').values(
        changes.map((c) => ({
          tenant_id: tenantId,
          seq: c.seq,
          table_name: c.table,
          row_id: c.rowId,
          op: c.op,
          row: JSON.stringify(c.row),
          mutation_id: origin.mutationId,
          device_id: origin.deviceId,
          author_id: origin.authorId ?? null,
        })),
      ),
    )
    .selectNoFrom(sql`pg_notify(${CHANGES_CHANNEL}, ${tenantId})`.as('notified'))
    .execute();
}
