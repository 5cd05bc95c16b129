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

/** Keeps the server's copy of each editable row the first time a pending change touches it:
 * three statements per table however many rows (a bulk change queues hundreds at once). */
async function captureShadows(tx: Transaction<LocalDatabase>, refs: readonly RowRef[]): Promise<void> {
  const byTable = new Map<SyncedTable, string[]>();
  for (const ref of refs) {
    if (INSERT_ONLY.has(ref.table)) continue;
    const ids = byTable.get(ref.table);
    if (ids) ids.push(ref.id);
    else byTable.set(ref.table, [ref.id]);
  }
  for (const [table, ids] of byTable) {
    const pending = await sql<{ row_id: string }>`select row_id from outbox_rows where table_name = ${table} and row_id in (select value from json_each(${JSON.stringify(ids)}))`.execute(tx);
    const kept = new Set(pending.rows.map((r) => r.row_id));
    const fresh = [...new Set(ids.filter((id) => !kept.has(id)))];
    if (fresh.length === 0) continue;
    const current = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where id in (select value from json_each(${JSON.stringify(fresh)}))`.execute(tx);
    const rows = new Map(current.rows.map((r) => [String(r.id), JSON.stringify(decodeRow(table, r))]));
    const shadows = fresh.map((id) => [id, rows.get(id) ?? null]);
    await sql`insert into shadow_rows (table_name, row_id, row) select ${table}, j.value ->> 0, j.value ->> 1 from json_each(${JSON.stringify(shadows)}) as j where true on conflict do nothing`.execute(tx);
  }
}

/** A refused change queued again as the very same mutation (the server kept no record of it). */
export interface SameMutation {
  mutationId: string;
  schemaVersion: number;
  args: string;
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
  same?: SameMutation,
): Promise<{ mutationId: string; seq: number }> {
  await captureShadows(tx, rows);
  const mutationId = same?.mutationId ?? uuidv7();
  const { seq } = await tx
    .insertInto('outbox')
    .values({
      mutation_id: mutationId,
      name,
      args: same?.args ?? JSON.stringify(args),
      schema_version: same?.schemaVersion ?? MUTATION_SCHEMA_VERSION,
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
