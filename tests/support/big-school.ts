// A large school written straight into the sync server's tables with generate_series, for the
// initial-sync test and bench: students (current records) each followed in the log by their
// payments (history), so the two kinds are interleaved all the way through the seqs and only
// the snapshot's phases can put current records first. Seqs are reserved from tenants.last_seq
// as allocateSeqs does; no sync_changes rows (the shape reads each table's _seq, and these
// rows have no author or mutation to audit).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';

export interface BigSchoolSize {
  students: number;
  paymentsPerStudent: number;
}

/** Rows the school adds: students (current) and payments (history). */
export function bigSchoolRows(size: BigSchoolSize): { current: number; history: number } {
  return { current: size.students, history: size.students * size.paymentsPerStudent };
}

/** A valid UUIDv7-shaped id from a number, so payments can point at their student in SQL. */
const idSql = (prefix: string, n: RawBuilder<unknown>) => sql`${prefix} || lpad(to_hex(${n}), 12, '0')`;

export async function addBigSchool(db: Kysely<ServerDatabase>, tenantId: string, size: BigSchoolSize, batch = 20_000): Promise<void> {
  const k = size.paymentsPerStudent;
  const block = 1 + k;
  // One id space per school, so two schools in one database never share a row id.
  const tag = (await db.selectFrom('tenants').select('code').where('id', '=', tenantId).executeTakeFirstOrThrow()).code;
  const hex = Buffer.from(tag).toString('hex').padEnd(8, '0').slice(0, 8);
  const studentPrefix = `${hex}-0000-7000-8000-`;
  const paymentPrefix = `${hex}-0001-7000-8000-`;
  for (let from = 0; from < size.students; from += batch) {
    const to = Math.min(size.students, from + batch) - 1;
    await db.transaction().execute(async (trx) => {
      const { last_seq } = await trx
        .updateTable('tenants')
        .set({ last_seq: sql`last_seq + ${(to - from + 1) * block}` })
        .where('id', '=', tenantId)
        .returning('last_seq')
        .executeTakeFirstOrThrow();
      const base = last_seq - (to - from + 1) * block;
      await sql`insert into students (tenant_id, id, admission_no, first_name, last_name, class_name, status, guardian_phone, _seq)
        select ${tenantId}, ${idSql(studentPrefix, sql`i`)}, 'B/' || i,
          (array['Amani','Baraka','Chausiku','Dalila','Eshe','Faraji','Gathoni','Hamisi'])[1 + i % 8],
          (array['Otieno','Wanjiru','Mwangi','Achieng','Kamau','Njeri','Odhiambo'])[1 + i % 7],
          null, 'enrolled', null, ${base} + (i - ${from}) * ${block} + 1
        from generate_series(${from}::bigint, ${to}::bigint) as i`.execute(trx);
      if (k === 0) return;
      await sql`insert into payments (tenant_id, id, student_id, amount_minor, currency, method, reference, receipt_no, recorded_at,
          recorded_by, recorded_by_id, allocations, device_id, _seq)
        select ${tenantId}, ${idSql(paymentPrefix, sql`i * ${k} + j`)}, ${idSql(studentPrefix, sql`i`)}, 1000 + (i * 7 + j) % 50000, 'KES', 'cash', null,
          'BIG-D9-' || lpad((i * ${k} + j)::text, 7, '0'), '2026-01-05T08:00:00.000Z', 'Bursar', null, '[]'::jsonb,
          '0190d000-0000-7000-8000-0000000000b9', ${base} + (i - ${from}) * ${block} + 2 + j
        from generate_series(${from}::bigint, ${to}::bigint) as i, generate_series(0::bigint, ${k - 1}::bigint) as j`.execute(trx);
    });
  }
  // As autovacuum would after a load this size: without statistics the planner sorts whole tables per page.
  await sql`analyze students`.execute(db);
  await sql`analyze payments`.execute(db);
}
