import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ServerDatabase } from '../db/schema.js';
import type { TenantTrx } from '../db/with-tenant.js';
import type { SyncedTable } from '../../../shared/sync/protocol.js';
import { SCHEMA_SHAPED_TABLES, wireRowSql, type SchemaShapedTable } from '../records/wire.js';

/** One row of the compacted log: a row's current full state, or its tombstone. */
export interface LogRow {
  table_name: SyncedTable;
  id: string;
  seq: number;
  deleted: boolean;
  /** The row as JSON text (wire format columns), null for a deleted row. */
  row: string | null;
}

// Each synced table's wire columns, built in SQL so the row goes out exactly as stored.
// Staff rows: the StaffRow fields only, never password_hash, failed_attempts or locked_until.
// Devices: the DeviceRow fields only, never token_hash; times as JavaScript's toISOString().
const rowJson: Record<SyncedTable, RawBuilder<unknown>> = {
  roles: sql`jsonb_build_object('id', id, 'key', key, 'name', name, 'permissions', permissions)`,
  staff: sql`jsonb_build_object('id', id, 'username', username, 'display_name', display_name, 'role_id', role_id, 'active', active)`,
  devices: sql`jsonb_build_object('id', id, 'name', name, 'profile', profile, 'receipt_series', receipt_series,
    'enrolled_at', to_char(enrolled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'revoked_at', to_char(revoked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
  terms: sql`jsonb_build_object('id', id, 'name', name, 'starts_on', to_char(starts_on, 'YYYY-MM-DD'), 'ends_on', to_char(ends_on, 'YYYY-MM-DD'))`,
  login_history: sql`jsonb_build_object('id', id, 'user_id', user_id, 'username', username, 'device_id', device_id,
    'at', at, 'success', success, 'offline', offline, 'reason', reason)`,
  payments: sql`jsonb_build_object('id', id, 'student_id', student_id, 'amount_minor', amount_minor,
    'currency', currency, 'method', method, 'reference', reference, 'receipt_no', receipt_no,
    'recorded_at', recorded_at, 'recorded_by', recorded_by, 'recorded_by_id', recorded_by_id, 'device_id', device_id,
    'allocations', allocations)`,
  fee_categories: sql`jsonb_build_object('id', id, 'name', name, 'active', active)`,
  fee_structures: sql`jsonb_build_object('id', id, 'class_name', class_name, 'term', term, 'items', items, 'active', active)`,
  charges: sql`jsonb_build_object('id', id, 'student_id', student_id, 'category_id', category_id,
    'description', description, 'amount_minor', amount_minor, 'currency', currency, 'term', term,
    'due_on', to_char(due_on, 'YYYY-MM-DD'), 'posted_at', posted_at, 'posted_by', posted_by, 'device_id', device_id,
    'structure_id', structure_id)`,
  discounts: sql`jsonb_build_object('id', id, 'student_id', student_id, 'category_id', category_id, 'kind', kind,
    'basis', basis, 'percent_bp', percent_bp, 'amount_minor', amount_minor, 'term', term, 'reason', reason,
    'posted_at', posted_at, 'posted_by', posted_by, 'device_id', device_id)`,
  refunds: sql`jsonb_build_object('id', id, 'student_id', student_id, 'amount_minor', amount_minor, 'currency', currency,
    'method', method, 'reference', reference, 'reason', reason, 'refunded_at', refunded_at, 'refunded_by', refunded_by,
    'refunded_by_id', refunded_by_id, 'device_id', device_id)`,
  expenses: sql`jsonb_build_object('id', id, 'category', category, 'payee', payee, 'description', description,
    'amount_minor', amount_minor, 'currency', currency, 'method', method, 'reference', reference,
    'spent_on', to_char(spent_on, 'YYYY-MM-DD'), 'attachments', attachments, 'recorded_at', recorded_at,
    'recorded_by', recorded_by, 'recorded_by_id', recorded_by_id, 'device_id', device_id)`,
  expense_approvals: sql`jsonb_build_object('id', id, 'expense_id', expense_id, 'decision', decision, 'note', note,
    'decided_at', decided_at, 'decided_by', decided_by, 'decided_by_id', decided_by_id, 'device_id', device_id)`,
  voids: sql`jsonb_build_object('id', id, 'target_table', target_table, 'target_id', target_id, 'reason', reason,
    'voided_at', voided_at, 'voided_by', voided_by, 'device_id', device_id)`,
  cash_ups: sql`jsonb_build_object('id', id, 'business_date', to_char(business_date, 'YYYY-MM-DD'), 'device_id', device_id,
    'staff_id', staff_id, 'staff_name', staff_name, 'expected', expected, 'counted', counted,
    'difference_minor', difference_minor, 'note', note, 'closed_at', closed_at)`,
  // Students and the school office's tables: built from their row schemas.
  ...(Object.fromEntries(SCHEMA_SHAPED_TABLES.map((t) => [t, wireRowSql(t)])) as Record<SchemaShapedTable, RawBuilder<unknown>>),
};

// Ledger and log tables are insert-only: they have no tombstones. Editable records (students
// and the school office's) carry their tombstone as a field: a removed record goes out as a
// row with deleted = true, which the device keeps (its versions matter for a later edit).
export const hasTombstones: Record<SyncedTable, boolean> = {
  roles: true,
  staff: true,
  devices: false,
  terms: true,
  students: false,
  fee_categories: true,
  fee_structures: true,
  charges: false,
  payments: false,
  discounts: false,
  refunds: false,
  expenses: false,
  expense_approvals: false,
  voids: false,
  cash_ups: false,
  login_history: false,
  classes: false,
  subjects: false,
  class_subjects: false,
  student_subjects: false,
  guardians: false,
  student_guardians: false,
  events: false,
  grading_scales: false,
  assessments: false,
  scores: false,
  report_comments: false,
  attendance_sessions: false,
  attendance_records: false,
  messages: false,
  message_reads: false,
  record_conflicts: false,
};

/**
 * Rows of every synced table changed after `afterSeq`, oldest change first, at most `limit`.
 * Every change moves a row's _seq to its newest change, so paging by _seq over current rows is
 * a compacted log that stays correct while writes happen between pages. Each branch is a
 * range scan of its (tenant_id, _seq) index. The page is chosen first and only its rows are
 * built as JSON (building every branch's candidates cost a page of each big table per page:
 * 25 s instead of 4 s for the demo's first sync). A row changed between the two reads goes out
 * in its newer state, and again at its new seq: applying a row is an idempotent upsert.
 */
export async function readChanges(
  db: Kysely<ServerDatabase> | TenantTrx,
  tables: readonly SyncedTable[],
  opts: { tenantId: string; afterSeq: number; limit: number; includeDeleted: boolean },
): Promise<LogRow[]> {
  const branches = tables.map((table) => {
    const deleted = hasTombstones[table] ? sql`deleted` : sql`false`;
    const skipDeleted = hasTombstones[table] && !opts.includeDeleted ? sql`and not deleted` : sql``;
    return sql`(select ${table}::text as table_name, id, _seq as seq, ${deleted} as deleted
      from ${sql.table(table)}
      where tenant_id = ${opts.tenantId} and _seq > ${opts.afterSeq} ${skipDeleted}
      order by _seq limit ${opts.limit})`;
  });
  const page = await sql<Omit<LogRow, 'row'>>`select * from (${sql.join(branches, sql` union all `)}) changes order by seq limit ${opts.limit}`.execute(db);

  const idsOf = new Map<SyncedTable, string[]>();
  for (const c of page.rows) {
    if (c.deleted) continue;
    const ids = idsOf.get(c.table_name);
    if (ids) ids.push(c.id);
    else idsOf.set(c.table_name, [c.id]);
  }
  const built = new Map<string, string>();
  for (const [table, ids] of idsOf) {
    const { rows } = await sql<{ id: string; row: string }>`select id, (${rowJson[table]})::text as row from ${sql.table(table)}
      where tenant_id = ${opts.tenantId} and id in (${sql.join(ids)})`.execute(db);
    for (const r of rows) built.set(`${table}/${r.id}`, r.row);
  }
  return page.rows.map((c) => ({ ...c, row: c.deleted ? null : (built.get(`${c.table_name}/${c.id}`) ?? null) }));
}
