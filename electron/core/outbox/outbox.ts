import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { LocalDatabase, OutboxEntry } from '../store/database.js';
import { uuidv7 } from '../../../shared/ids.js';
import { MUTATION_SCHEMA_VERSION, type MutationArgs, type MutationName } from '../../../shared/sync/mutations.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import { decodeRow, INSERT_ONLY } from '../sync/row-codecs.js';

export interface RowRef {
  table: SyncedTable;
  id: string;
}

/** Keeps the server's copy of an editable row the first time a pending change touches it. */
async function captureShadow(tx: Transaction<LocalDatabase>, ref: RowRef): Promise<void> {
  if (INSERT_ONLY.has(ref.table)) return;
  const pending = await tx.selectFrom('outbox_rows').select('outbox_seq').where('table_name', '=', ref.table).where('row_id', '=', ref.id).executeTakeFirst();
  if (pending) return;
  const current = await sql<Record<string, unknown>>`select * from ${sql.table(ref.table)} where id = ${ref.id}`.execute(tx);
  const row = current.rows[0];
  await tx
    .insertInto('shadow_rows')
    .values({ table_name: ref.table, row_id: ref.id, row: row ? JSON.stringify(decodeRow(ref.table, row)) : null })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Appends a mutation in the caller's transaction, so the domain rows and the outbox entry are
 * saved together or not at all. Call it BEFORE changing `rows`: it keeps the server's copy of
 * each editable row the mutation is about to change.
 */
export async function appendMutation<K extends MutationName>(
  tx: Transaction<LocalDatabase>,
  name: K,
  args: MutationArgs<K>,
  rows: RowRef[],
  authorId: string | null,
): Promise<{ mutationId: string; seq: number }> {
  for (const ref of rows) await captureShadow(tx, ref);
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
      author_id: authorId,
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
