import { sql, type Kysely } from 'kysely';

// Frozen once released: raw SQL against Kysely<any>, so later schema changes never alter it.
//
// Devices become a synced table (office devices show the school's devices, e.g. in the login
// history): a _seq like every synced row, and a change in the log for each device that exists.
// Only the DeviceRow fields go to the log; the token hash never does.

/** The wire form of a timestamp: ISO 8601 in UTC with milliseconds, as JavaScript writes it. */
const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export async function up(db: Kysely<any>): Promise<void> {
  // Millisecond precision, so the row built in SQL (shape) and in JavaScript (change log) agree.
  await sql`update devices set enrolled_at = date_trunc('milliseconds', enrolled_at),
    revoked_at = date_trunc('milliseconds', revoked_at)`.execute(db);

  await sql`alter table devices add column _seq bigint`.execute(db);
  // Each school's existing devices take the next seqs of its log, oldest enrolment first.
  await sql`update devices d set _seq = n.seq
    from (select d2.tenant_id, d2.id,
            t.last_seq + row_number() over (partition by d2.tenant_id order by d2.enrolled_at, d2.id) as seq
          from devices d2 join tenants t on t.id = d2.tenant_id) n
    where d.tenant_id = n.tenant_id and d.id = n.id`.execute(db);
  await sql`insert into sync_changes (tenant_id, seq, table_name, row_id, op, row, mutation_id, device_id, author_id)
    select tenant_id, _seq, 'devices', id, 'insert',
      jsonb_build_object('id', id, 'name', name, 'profile', profile, 'receipt_series', receipt_series,
        'enrolled_at', ${iso('enrolled_at')}, 'revoked_at', ${iso('revoked_at')}),
      null, null, null
    from devices`.execute(db);
  await sql`update tenants t set last_seq = m.max_seq
    from (select tenant_id, max(_seq) as max_seq from devices group by tenant_id) m
    where t.id = m.tenant_id`.execute(db);

  await sql`alter table devices alter column _seq set not null`.execute(db);
  await sql`create index devices_seq_idx on devices (tenant_id, _seq)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index devices_seq_idx`.execute(db);
  await sql`delete from sync_changes where table_name = 'devices'`.execute(db);
  await sql`alter table devices drop column _seq`.execute(db);
}
