import type Sqlite from 'better-sqlite3';
import type { LocalStore } from '../store/open-store.js';
import { nextBatch } from '../outbox/outbox.js';
import { PushResponse, PUSH_PATH, type MutationEnvelope, type MutationResult } from '../../../shared/sync/protocol.js';
import type { OutboxEntry } from '../store/database.js';
import type { MutationName } from '../../../shared/sync/mutations.js';
import { withSqlite } from '../store/with-sqlite.js';
import { writeServerRow } from './apply-changes.js';
import { INSERT_ONLY, isSyncedTable } from './row-codecs.js';

export const PUSH_BATCH_SIZE = 100;

export type PushOutcome =
  | { kind: 'idle' }
  | { kind: 'pushed'; applied: number; rejected: number }
  | { kind: 'network'; error: unknown }
  | { kind: 'http'; response: Response }
  | { kind: 'bad-reply'; reason: string };

function toEnvelope(e: OutboxEntry): MutationEnvelope {
  return {
    id: e.mutation_id,
    seq: e.seq,
    name: e.name as MutationName,
    args: JSON.parse(e.args),
    schemaVersion: e.schema_version,
    authorId: e.author_id,
  };
}

/**
 * Sends the oldest pending mutations, in order, and settles the outbox from the answer in one
 * transaction. An entry leaves the outbox only when the server has answered for it: applied
 * entries are done; rejected ones move to "needs attention" with the server's reason.
 */
export async function pushOnce(store: LocalStore, serverUrl: string, token: string, fetchFn: typeof fetch): Promise<PushOutcome> {
  const batch = await nextBatch(store.db, PUSH_BATCH_SIZE);
  if (batch.length === 0) return { kind: 'idle' };
  let res: Response;
  try {
    res = await fetchFn(new URL(PUSH_PATH, serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ mutations: batch.map(toEnvelope) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    await store.db.updateTable('outbox').set((eb) => ({ attempts: eb('attempts', '+', 1) })).where('seq', 'in', batch.map((b) => b.seq)).execute();
    return { kind: 'network', error };
  }
  if (!res.ok) return { kind: 'http', response: res };
  let reply: PushResponse;
  try {
    reply = PushResponse.parse(await res.json());
  } catch {
    return { kind: 'bad-reply', reason: 'The sync server sent a reply this app cannot read; nothing was marked as sent.' };
  }
  const byId = new Map(batch.map((e) => [e.mutation_id, e]));
  const settled = reply.results.filter((r) => byId.has(r.mutationId));
  await withSqlite(store, (sqlite) => sqlite.transaction(() => settle(sqlite, byId, settled))());
  return {
    kind: 'pushed',
    applied: settled.filter((r) => r.status === 'applied').length,
    rejected: settled.filter((r) => r.status === 'rejected').length,
  };
}

function settle(sqlite: Sqlite.Database, byId: Map<string, OutboxEntry>, results: MutationResult[]): void {
  const rowsOf = sqlite.prepare('select table_name, row_id from outbox_rows where outbox_seq = ?');
  const otherPending = sqlite.prepare('select 1 from outbox_rows where table_name = ? and row_id = ? and outbox_seq <> ?').pluck();
  const shadowOf = sqlite.prepare('select row, refreshed from shadow_rows where table_name = ? and row_id = ?');
  const dropShadow = sqlite.prepare('delete from shadow_rows where table_name = ? and row_id = ?');
  const parkRejected = sqlite.prepare(
    'insert or ignore into needs_attention (mutation_id, device_seq, name, args, reason, created_at, unrecorded_version) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const removeEntry = sqlite.prepare('delete from outbox where mutation_id = ?');

  for (const r of results) {
    const entry = byId.get(r.mutationId)!;
    if (r.status === 'rejected') {
      parkRejected.run(entry.mutation_id, entry.seq, entry.name, entry.args, r.reason, new Date().toISOString(), r.recorded === false ? entry.schema_version : null);
    }
    for (const { table_name: table, row_id: id } of rowsOf.all(entry.seq) as { table_name: string; row_id: string }[]) {
      if (!isSyncedTable(table) || otherPending.get(table, id, entry.seq)) continue;
      const shadow = shadowOf.get(table, id) as { row: string | null; refreshed: number } | undefined;
      const serverRow = shadow?.row ? (JSON.parse(shadow.row) as Record<string, unknown>) : null;
      if (r.status === 'rejected') {
        // Undo the refused change on screen: a refused ledger row was never accepted; an edited
        // row goes back to the server's copy. The mutation itself is kept in "needs attention".
        if (INSERT_ONLY.has(table)) writeServerRow(sqlite, table, id, null);
        else if (shadow) writeServerRow(sqlite, table, id, serverRow);
      } else if (shadow?.refreshed) {
        // The pull already brought the server's row after this change while it was pending;
        // it will not come again, so take it from the shadow. (Otherwise it is still to come:
        // applying a change always gives the row a new seq.)
        writeServerRow(sqlite, table, id, serverRow);
      }
      dropShadow.run(table, id);
    }
    removeEntry.run(entry.mutation_id);
  }
}
