// The server's sink for the generated school (school-source.ts): its rows written into the sync
// server's tables as the server writes them (each with the next seq of the school's log,
// editable rows through writeWireRows), so a device's first sync receives exactly the rows the
// bench's device file holds. As big-school.ts does for the initial-sync test, no sync_changes
// rows: the shape reads each table's _seq, and seeded rows have no author or mutation to audit.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { SyncedTable } from '../../../../shared/sync/protocol.js';
import { allocateSeqs } from '../../changes/append.js';
import type { ServerDatabase } from '../../db/schema.js';
import { withTenant, type TenantTrx } from '../../db/with-tenant.js';
import { SCHEMA_SHAPED_TABLES, writeWireRows, type SchemaShapedTable } from '../../records/wire.js';
import { emptySummary, OFFICE_DEVICES, schoolRows, type RowBatch, type SchoolParams, type SchoolSummary } from './school-source.js';

export { attendanceTarget, SCHOOL as BIG_SCHOOL_FACTS, type SchoolParams, type SchoolSummary } from './school-source.js';

const CHUNK = 1000;

type Row = RowBatch['rows'][number];

/** A non-editable row as its table stores it (jsonb written as JSON text; devices get a token
 * hash no token can match, so only a device enrolled with a code can sync). */
function storedRow(tenantId: string, table: SyncedTable, row: Row, seq: number): Record<string, unknown> {
  if (table === 'payments') return { tenant_id: tenantId, ...row, allocations: JSON.stringify(row.allocations), _seq: seq };
  if (table === 'devices') return { tenant_id: tenantId, ...row, token_hash: createHash('sha256').update(`seeded:${tenantId}:${row.id}`).digest('hex'), _seq: seq };
  return { tenant_id: tenantId, ...row, _seq: seq };
}

async function writeBatch(trx: TenantTrx, tenantId: string, batch: RowBatch): Promise<void> {
  const first = await allocateSeqs(trx, tenantId, batch.rows.length);
  for (let i = 0; i < batch.rows.length; i += CHUNK) {
    const chunk = batch.rows.slice(i, i + CHUNK);
    if ((SCHEMA_SHAPED_TABLES as readonly string[]).includes(batch.table)) {
      await writeWireRows(trx, tenantId, batch.table as SchemaShapedTable, chunk.map((row, j) => ({ row, seq: first + i + j })), 'insert');
    } else {
      // The non-editable tables the source writes: devices, fee_categories, terms, charges, payments.
      await trx
        .insertInto(batch.table as 'payments')
        .values(chunk.map((row, j) => storedRow(tenantId, batch.table, row, first + i + j)) as never)
        .execute();
    }
  }
}

/**
 * Writes the generated school into an existing school (its tenant, roles and staff already made,
 * e.g. by createSchool): devices, fee categories, terms, classes, families, students, charges,
 * payments and registers, one transaction per batch of rows. Registers are taken by the school's
 * first teacher, if it has one. Returns what was written.
 */
export async function seedServerSchool(db: Kysely<ServerDatabase>, tenantId: string, params: SchoolParams, log: (msg: string) => void = () => {}): Promise<SchoolSummary> {
  const teacher = await withTenant(db, tenantId, (trx) =>
    trx
      .selectFrom('staff')
      .innerJoin('roles', (j) => j.onRef('roles.tenant_id', '=', 'staff.tenant_id').onRef('roles.id', '=', 'staff.role_id'))
      .select('staff.id')
      .where('staff.tenant_id', '=', tenantId)
      .where('roles.key', '=', 'teacher')
      .orderBy('staff.id')
      .executeTakeFirst(),
  );
  const summary = emptySummary();
  for (const batch of schoolRows(params, { registerTakerId: teacher?.id ?? null }, summary, log)) {
    if (batch.rows.length > 0) await withTenant(db, tenantId, (trx) => writeBatch(trx, tenantId, batch));
  }
  // The next device enrolled continues after the seeded ones' receipt series.
  await withTenant(db, tenantId, (trx) =>
    trx.updateTable('tenants').set({ next_device_no: sql`greatest(next_device_no, ${OFFICE_DEVICES.length + 1})` }).where('id', '=', tenantId).execute(),
  );
  // As autovacuum would after a load this size: without statistics the planner sorts whole tables per page.
  for (const table of ['students', 'guardians', 'student_guardians', 'charges', 'payments', 'attendance_sessions', 'attendance_records']) await sql`analyze ${sql.table(table)}`.execute(db);
  return summary;
}
