import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase, OutboxEntry } from '../store/database.js';
import { uuidv7 } from '../../../shared/ids.js';
import { MUTATION_SCHEMA_VERSION, type MutationArgs, type MutationName } from '../../../shared/sync/mutations.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';

export interface RowRef {
  table: SyncedTable;
  id: string;
}

/** Appends a mutation in the caller's transaction: the domain rows and the outbox entry are
 * saved together or not at all. */
export async function appendMutation<K extends MutationName>(
  tx: Transaction<LocalDatabase>,
  name: K,
  args: MutationArgs<K>,
  rows: RowRef[],
): Promise<{ mutationId: string; seq: number }> {
  const mutationId = uuidv7();
  const { seq } = await tx
    .insertInto('outbox')
    .values({
      mutation_id: mutationId,
      name,
      args: JSON.stringify(args),
      schema_version: MUTATION_SCHEMA_VERSION,
      created_at: new Date().toISOString(),
      last_error: null,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  if (rows.length > 0) {
    await tx
      .insertInto('outbox_rows')
      .values(rows.map((r) => ({ outbox_seq: seq, table_name: r.table, row_id: r.id })))
      .execute();
  }
  return { mutationId, seq };
}

export async function nextBatch(db: Kysely<LocalDatabase>, limit: number): Promise<OutboxEntry[]> {
  return db.selectFrom('outbox').selectAll().orderBy('seq').limit(limit).execute();
}

export async function outboxSummary(db: Kysely<LocalDatabase>): Promise<{ pending: number; oldestPendingAt: string | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldestPendingAt: (row.oldest as string | null) ?? null };
}
