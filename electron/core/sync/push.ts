import type { LocalStore } from '../store/open-store.js';
import { nextBatch } from '../outbox/outbox.js';
import { PushResponse, PUSH_PATH, type MutationEnvelope, type MutationResult } from '../../../shared/sync/protocol.js';
import type { OutboxEntry } from '../store/database.js';
import type { MutationName } from '../../../shared/sync/mutations.js';
import { withSqlite } from '../store/with-sqlite.js';
import { INSERT_ONLY } from './apply-changes.js';

export const PUSH_BATCH_SIZE = 100;

export type PushOutcome =
  | { kind: 'idle' }
  | { kind: 'pushed'; applied: number; rejected: number }
  | { kind: 'network'; error: unknown }
  | { kind: 'http'; response: Response }
  | { kind: 'bad-reply'; reason: string };

function toEnvelope(e: OutboxEntry): MutationEnvelope {
  return { id: e.mutation_id, seq: e.seq, name: e.name as MutationName, args: JSON.parse(e.args), schemaVersion: e.schema_version };
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
  const bySeq = new Map(batch.map((e) => [e.mutation_id, e]));
  const settled = reply.results.filter((r) => bySeq.has(r.mutationId));
  await withSqlite(store, (sqlite) => settle(sqlite, bySeq, settled));
  return {
    kind: 'pushed',
    applied: settled.filter((r) => r.status === 'applied').length,
    rejected: settled.filter((r) => r.status === 'rejected').length,
  };
}

function settle(sqlite: LocalStore['sqlite'], byId: Map<string, OutboxEntry>, results: MutationResult[]): void {
  const removeEntry = sqlite.prepare('delete from outbox where mutation_id = ?');
  const rowsOf = sqlite.prepare('select table_name, row_id from outbox_rows where outbox_seq = ?');
  const parkRejected = sqlite.prepare(
    'insert or ignore into needs_attention (mutation_id, device_seq, name, args, reason, created_at) values (?, ?, ?, ?, ?, ?)',
  );
  const stillPending = sqlite.prepare('select 1 from outbox_rows where table_name = ? and row_id = ? and outbox_seq <> ?').pluck();
  sqlite.transaction(() => {
    for (const r of results) {
      const entry = byId.get(r.mutationId)!;
      if (r.status === 'rejected') {
        parkRejected.run(entry.mutation_id, entry.seq, entry.name, entry.args, r.reason, new Date().toISOString());
        // The server never accepted these ledger rows: take them off screen (the mutation itself
        // is kept in "needs attention", so nothing the user typed is lost).
        for (const row of rowsOf.all(entry.seq) as { table_name: string; row_id: string }[]) {
          if (INSERT_ONLY.has(row.table_name) && !stillPending.get(row.table_name, row.row_id, entry.seq)) {
            sqlite.prepare(`delete from ${row.table_name} where id = ?`).run(row.row_id);
          }
        }
      }
      removeEntry.run(entry.mutation_id);
    }
  })();
}
