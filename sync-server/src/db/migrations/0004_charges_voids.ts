import { sql, type Kysely } from 'kysely';

// Frozen once released: raw SQL against Kysely<any>, so later schema changes never alter it.
//
// The bursary's ledger, first slice: fee categories (editable), charges (insert-only: what a
// student owes) and voids (insert-only: the reversal of one payment or charge, with a reason).
// A mistake is never corrected by changing or deleting a ledger row, only by voiding it, and an
// entry is voided at most once: the database holds that rule too, so two devices voiding the
// same payment at the same moment cannot both succeed.
//
// The new permission 'fees.manage' is given to every school's administrator and bursar roles,
// as synced changes, so the devices learn it through the shape.

const NEW_TABLES = ['fee_categories', 'charges', 'voids'] as const;
const APP_ROLE = 'schoolhouse_app';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table fee_categories (
    tenant_id text not null references tenants(id),
    id text not null,
    name text not null,
    active boolean not null default true,
    _seq bigint not null,
    deleted boolean not null default false,
    constraint fee_categories_pk primary key (tenant_id, id),
    constraint fee_categories_name_ck check (length(btrim(name)) between 1 and 60)
  )`.execute(db);
  // Names are unique per school whatever their case ("Lunch" and "LUNCH" are one category).
  await sql`create unique index fee_categories_name_uq on fee_categories (tenant_id, lower(name)) where not deleted`.execute(db);
  await sql`create index fee_categories_seq_idx on fee_categories (tenant_id, _seq)`.execute(db);

  await sql`create table charges (
    tenant_id text not null references tenants(id),
    id text not null,
    student_id text not null,
    category_id text not null,
    description text not null default '',
    amount_minor bigint not null check (amount_minor > 0),
    currency char(3) not null,
    term text,
    due_on date not null,
    posted_at text not null,
    posted_by text,
    device_id text not null,
    _seq bigint not null,
    constraint charges_pk primary key (tenant_id, id),
    constraint charges_student_fk foreign key (tenant_id, student_id) references students (tenant_id, id),
    constraint charges_category_fk foreign key (tenant_id, category_id) references fee_categories (tenant_id, id)
  )`.execute(db);
  await sql`create index charges_seq_idx on charges (tenant_id, _seq)`.execute(db);
  await sql`create index charges_student_idx on charges (tenant_id, student_id)`.execute(db);

  await sql`create table voids (
    tenant_id text not null references tenants(id),
    id text not null,
    target_table text not null check (target_table in ('payments', 'charges')),
    target_id text not null,
    reason text not null,
    voided_at text not null,
    voided_by text,
    device_id text not null,
    _seq bigint not null,
    constraint voids_pk primary key (tenant_id, id),
    constraint voids_target_uq unique (tenant_id, target_table, target_id)
  )`.execute(db);
  await sql`create index voids_seq_idx on voids (tenant_id, _seq)`.execute(db);

  // The same wall as every tenant table (migration 0002): the request pool's role sees and
  // writes only the school bound by withTenant; the owner works across schools.
  const owner = (await sql<{ u: string }>`select current_user as u`.execute(db)).rows[0]!.u;
  for (const table of NEW_TABLES) {
    await sql`grant select, insert, update, delete on ${sql.table(table)} to ${sql.id(APP_ROLE)}`.execute(db);
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    await sql`alter table ${sql.table(table)} force row level security`.execute(db);
    await sql`create policy ${sql.id(`${table}_tenant_isolation`)} on ${sql.table(table)}
      using (tenant_id = current_setting('app.tenant_id', true))
      with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db);
    await sql`create policy ${sql.id(`${table}_owner_all`)} on ${sql.table(table)} to ${sql.id(owner)} using (true) with check (true)`.execute(db);
  }

  // 'fees.manage' for each school's administrator and bursar roles that lack it: each changed
  // role takes the next seq of its school's log and its new state is logged as a RoleRow.
  // One statement, so it needs neither a temporary table nor a transaction around it.
  await sql`with todo as (
      select r.tenant_id, r.id,
        t.last_seq + row_number() over (partition by r.tenant_id order by r.key, r.id) as seq
      from roles r join tenants t on t.id = r.tenant_id
      where r.key in ('administrator', 'bursar') and not r.deleted
        and not (r.permissions @> '["fees.manage"]'::jsonb)),
    changed as (
      update roles r set permissions = r.permissions || '["fees.manage"]'::jsonb, _seq = todo.seq
      from todo where r.tenant_id = todo.tenant_id and r.id = todo.id
      returning r.tenant_id, r.id, r.key, r.name, r.permissions, r._seq),
    logged as (
      insert into sync_changes (tenant_id, seq, table_name, row_id, op, row, mutation_id, device_id, author_id)
      select tenant_id, _seq, 'roles', id, 'update',
        jsonb_build_object('id', id, 'key', key, 'name', name, 'permissions', permissions), null, null, null
      from changed
      returning tenant_id, seq)
    update tenants t set last_seq = m.max_seq
    from (select tenant_id, max(seq) as max_seq from logged group by tenant_id) m
    where t.id = m.tenant_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The permission stays on the roles (a later change may rely on it); only the tables go.
  await sql`delete from sync_changes where table_name in ('fee_categories', 'charges', 'voids')`.execute(db);
  for (const table of ['voids', 'charges', 'fee_categories']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
