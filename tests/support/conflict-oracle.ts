// The conflicts the school's history says must exist, worked out from the server's change log
// alone, to check the conflict log against. Walking sync_changes in server order, every change a
// `*.save` made to an editable field (its stamp names the change's own seq) is a transition from
// the row's previous state; the base version the writer sent for that field (taken from the push
// as it went over the wire) says whether the writer had seen the previous write. When it had not
// and the table's policy counts the previous writer as someone else, the overwritten value must
// be in record_conflicts, with both authors and both devices; otherwise there must be no conflict.
import { sql, type Kysely } from 'kysely';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';
import { EDITABLE, EDITABLE_TABLES, type EditableTable } from '../../shared/sync/editable.js';
import { RecordMeta } from '../../shared/domain/records.js';
import type { MutationEnvelope } from '../../shared/sync/protocol.js';

export interface OverwrittenValue {
  mutation: string;
  table: string;
  row: string;
  field: string;
  kept: string;
  lost: string;
  keptBy: string | null;
  keptDevice: string | null;
  lostBy: string | null;
  lostDevice: string | null;
}

export interface ConflictCheck {
  /** What the history says must have been raised, and what was: both sorted the same way. */
  expected: OverwrittenValue[];
  actual: OverwrittenValue[];
  /** Field writes that replaced an earlier value, and those the writer had not seen. */
  overwrites: number;
  concurrent: number;
  /** Problems with the history itself (a stamp or base that cannot be), empty when sound. */
  problems: string[];
}

type Row = Record<string, unknown>;

const key = (c: OverwrittenValue) => JSON.stringify([c.mutation, c.table, c.row, c.field, c.kept, c.lost, c.keptBy, c.keptDevice, c.lostBy, c.lostDevice]);
const sorted = (list: OverwrittenValue[]) => [...list].sort((a, b) => (key(a) < key(b) ? -1 : 1));

/**
 * `sent`: every mutation pushed, by id, as it went over the wire (the base versions live only
 * there: the server keeps the outcome of a mutation, not its arguments).
 */
export async function checkConflictLog(db: Kysely<ServerDatabase>, tenantId: string, sent: ReadonlyMap<string, MutationEnvelope>): Promise<ConflictCheck> {
  const { rows: history } = await sql<{ seq: number; table_name: EditableTable; row_id: string; row: string | null; mutation_id: string | null; device_id: string | null; author_id: string | null }>`
    select seq::int8 as seq, table_name, row_id, row::text as row, mutation_id, device_id, author_id from sync_changes
    where tenant_id = ${tenantId} and table_name in (${sql.join(EDITABLE_TABLES)}) order by seq`.execute(db);

  const last = new Map<string, Row>();
  const stampsSeen = new Map<string, Set<number>>();
  const expected: OverwrittenValue[] = [];
  const problems: string[] = [];
  let overwrites = 0;
  let concurrent = 0;
  for (const c of history) {
    const seq = Number(c.seq);
    const id = `${c.table_name}/${c.row_id}`;
    const prev = last.get(id);
    const row = c.row ? (JSON.parse(c.row) as Row) : null;
    if (row) last.set(id, row);
    if (!row) continue;
    const meta = RecordMeta.parse(row.meta);
    const def = EDITABLE[c.table_name];
    for (const field of [...Object.keys(def.fields.shape), 'deleted']) {
      const stamp = meta.f[field];
      const seen = stampsSeen.get(`${id}/${field}`) ?? new Set<number>([0]);
      stampsSeen.set(`${id}/${field}`, seen);
      if (!stamp || stamp.v !== seq) continue;
      seen.add(seq);
      if (stamp.d !== c.device_id || stamp.a !== c.author_id) problems.push(`${id}.${field} at ${seq}: stamped ${JSON.stringify(stamp)} by a change of device ${c.device_id}, author ${c.author_id}`);
      if (!prev || !c.mutation_id) continue;
      const envelope = sent.get(c.mutation_id);
      const write = (envelope?.args as { rows?: { id: string; base?: Record<string, number> }[] } | undefined)?.rows?.find((r) => r.id === c.row_id);
      if (!write) {
        problems.push(`${id}.${field} at ${seq}: written by mutation ${c.mutation_id}, which no device was seen sending`);
        continue;
      }
      const base = write.base?.[field] ?? 0;
      if (!seen.has(base)) problems.push(`${id}.${field} at ${seq}: based on version ${base}, which this field never had`);
      overwrites++;
      const before = RecordMeta.parse(prev.meta).f[field];
      if (!before || before.v <= base) continue;
      concurrent++;
      const someoneElse = def.policy === 'other-device' ? before.d !== c.device_id : before.a !== c.author_id;
      if (!someoneElse) continue;
      expected.push({
        mutation: c.mutation_id,
        table: c.table_name,
        row: c.row_id,
        field,
        kept: JSON.stringify(row[field] ?? null),
        lost: JSON.stringify(prev[field] ?? null),
        keptBy: c.author_id,
        keptDevice: c.device_id,
        lostBy: before.a,
        lostDevice: before.d,
      });
    }
  }

  const { rows: raised } = await sql<{ mutation_id: string; table_name: string; row_id: string; field: string; kept_value: string; lost_value: string; kept_by: string | null; kept_device: string | null; lost_by: string | null; lost_device: string | null }>`
    select sc.mutation_id, rc.table_name, rc.row_id, rc.field, rc.kept_value, rc.lost_value, rc.kept_by, rc.kept_device, rc.lost_by, rc.lost_device
    from record_conflicts rc
    join sync_changes sc on sc.tenant_id = rc.tenant_id and sc.table_name = 'record_conflicts' and sc.row_id = rc.id and sc.op = 'insert'
    where rc.tenant_id = ${tenantId} and rc.kind = 'overwritten'`.execute(db);
  const actual = raised.map((r) => ({
    mutation: r.mutation_id,
    table: r.table_name,
    row: r.row_id,
    field: r.field,
    // Stored as JSON text; parsed and written again, so both sides are in one spelling.
    kept: JSON.stringify(JSON.parse(r.kept_value)),
    lost: JSON.stringify(JSON.parse(r.lost_value)),
    keptBy: r.kept_by,
    keptDevice: r.kept_device,
    lostBy: r.lost_by,
    lostDevice: r.lost_device,
  }));
  return { expected: sorted(expected), actual: sorted(actual), overwrites, concurrent, problems };
}
