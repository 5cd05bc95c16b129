import { sql, type Kysely } from 'kysely';

// Frozen once released: raw SQL against Kysely<any>, so later schema changes never alter it.
//
// The complete bursary (issue 4): fee structures (editable), and the insert-only ledger rows
// discounts, refunds, expenses, expense approvals and cash-ups; payments gain their
// allocations and the staff member who took them, charges the structure they came from, and a
// void may now reverse a discount, a refund or an expense. The database holds the rules two
// offices could break at the same moment: one decision per expense, one cash-up per device,
// bursar and day, one active structure per class and term.
//
// Terms start to sync: each existing term takes the next seq of its school's log. The new
// permissions 'expenses.record' (administrators, bursars) and 'expenses.approve'
// (administrators, head teachers) reach existing schools' roles as synced changes.

const APP_ROLE = 'schoolhouse_app';
const EDITABLE_TABLES = ['fee_structures'] as const;
const LEDGER_TABLES = ['discounts', 'refunds', 'expenses', 'expense_approvals', 'cash_ups'] as const;
const METHODS = sql`('cash', 'bank_transfer', 'mobile_money', 'cheque', 'card')`;

export async function up(db: Kysely<any>): Promise<void> {
  await syncTerms(db);

  await sql`create table fee_structures (
    tenant_id text not null references tenants(id),
    id text not null,
    class_name text not null,
    term text not null,
    items jsonb not null,
    active boolean not null,
    _seq bigint not null,
    deleted boolean not null default false,
    constraint fee_structures_pk primary key (tenant_id, id),
    constraint fee_structures_items_ck check (jsonb_typeof(items) = 'array')
  )`.execute(db);
  // One active structure per class and term, whatever the case ("Grade 4" and "grade 4").
  await sql`create unique index fee_structures_active_uq on fee_structures (tenant_id, lower(class_name), lower(term)) where active and not deleted`.execute(db);
  await sql`create index fee_structures_seq_idx on fee_structures (tenant_id, _seq)`.execute(db);

  await sql`alter table charges add column structure_id text`.execute(db);
  await sql`alter table charges add constraint charges_structure_fk foreign key (tenant_id, structure_id) references fee_structures (tenant_id, id)`.execute(db);

  await sql`alter table payments add column recorded_by_id text`.execute(db);
  await sql`alter table payments add column allocations jsonb not null default '[]'::jsonb`.execute(db);

  await sql`create table discounts (
    tenant_id text not null references tenants(id),
    id text not null,
    student_id text not null,
    category_id text,
    kind text not null check (kind in ('discount', 'scholarship')),
    basis text not null check (basis in ('percent', 'fixed')),
    percent_bp integer check (percent_bp between 1 and 10000),
    amount_minor bigint not null check (amount_minor > 0),
    term text,
    reason text not null,
    posted_at text not null,
    posted_by text,
    device_id text not null,
    _seq bigint not null,
    constraint discounts_pk primary key (tenant_id, id),
    constraint discounts_percent_ck check ((basis = 'percent') = (percent_bp is not null)),
    constraint discounts_student_fk foreign key (tenant_id, student_id) references students (tenant_id, id),
    constraint discounts_category_fk foreign key (tenant_id, category_id) references fee_categories (tenant_id, id)
  )`.execute(db);
  await sql`create index discounts_seq_idx on discounts (tenant_id, _seq)`.execute(db);
  await sql`create index discounts_student_idx on discounts (tenant_id, student_id)`.execute(db);

  await sql`create table refunds (
    tenant_id text not null references tenants(id),
    id text not null,
    student_id text not null,
    amount_minor bigint not null check (amount_minor > 0),
    currency char(3) not null,
    method text not null check (method in ${METHODS}),
    reference text,
    reason text not null,
    refunded_at text not null,
    refunded_by text,
    refunded_by_id text,
    device_id text not null,
    _seq bigint not null,
    constraint refunds_pk primary key (tenant_id, id),
    constraint refunds_student_fk foreign key (tenant_id, student_id) references students (tenant_id, id)
  )`.execute(db);
  await sql`create index refunds_seq_idx on refunds (tenant_id, _seq)`.execute(db);
  await sql`create index refunds_student_idx on refunds (tenant_id, student_id)`.execute(db);

  await sql`create table expenses (
    tenant_id text not null references tenants(id),
    id text not null,
    category text not null,
    payee text not null,
    description text not null,
    amount_minor bigint not null check (amount_minor > 0),
    currency char(3) not null,
    method text not null check (method in ${METHODS}),
    reference text,
    spent_on date not null,
    attachments jsonb not null,
    recorded_at text not null,
    recorded_by text,
    recorded_by_id text,
    device_id text not null,
    _seq bigint not null,
    constraint expenses_pk primary key (tenant_id, id)
  )`.execute(db);
  await sql`create index expenses_seq_idx on expenses (tenant_id, _seq)`.execute(db);

  await sql`create table expense_approvals (
    tenant_id text not null references tenants(id),
    id text not null,
    expense_id text not null,
    decision text not null check (decision in ('approved', 'rejected')),
    note text not null,
    decided_at text not null,
    decided_by text,
    decided_by_id text,
    device_id text not null,
    _seq bigint not null,
    constraint expense_approvals_pk primary key (tenant_id, id),
    constraint expense_approvals_expense_uq unique (tenant_id, expense_id),
    constraint expense_approvals_expense_fk foreign key (tenant_id, expense_id) references expenses (tenant_id, id)
  )`.execute(db);
  await sql`create index expense_approvals_seq_idx on expense_approvals (tenant_id, _seq)`.execute(db);

  await sql`create table cash_ups (
    tenant_id text not null references tenants(id),
    id text not null,
    business_date date not null,
    device_id text not null,
    staff_id text not null,
    staff_name text not null,
    expected jsonb not null,
    counted jsonb not null,
    difference_minor bigint not null,
    note text not null,
    closed_at text not null,
    _seq bigint not null,
    constraint cash_ups_pk primary key (tenant_id, id),
    constraint cash_ups_day_uq unique (tenant_id, device_id, staff_id, business_date)
  )`.execute(db);
  await sql`create index cash_ups_seq_idx on cash_ups (tenant_id, _seq)`.execute(db);

  // The constraint 0004 declared inline got PostgreSQL's default name.
  await sql`alter table voids drop constraint voids_target_table_check`.execute(db);
  await sql`alter table voids add constraint voids_target_table_ck
    check (target_table in ('payments', 'charges', 'discounts', 'refunds', 'expenses'))`.execute(db);

  // The same wall as every tenant table (migration 0002), and the ledger insert-only for the
  // role requests are served as (migration 0005).
  const owner = (await sql<{ u: string }>`select current_user as u`.execute(db)).rows[0]!.u;
  for (const table of [...EDITABLE_TABLES, ...LEDGER_TABLES]) {
    const privileges = (EDITABLE_TABLES as readonly string[]).includes(table) ? sql`select, insert, update, delete` : sql`select, insert`;
    await sql`grant ${privileges} on ${sql.table(table)} to ${sql.id(APP_ROLE)}`.execute(db);
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    await sql`alter table ${sql.table(table)} force row level security`.execute(db);
    await sql`create policy ${sql.id(`${table}_tenant_isolation`)} on ${sql.table(table)}
      using (tenant_id = current_setting('app.tenant_id', true))
      with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db);
    await sql`create policy ${sql.id(`${table}_owner_all`)} on ${sql.table(table)} to ${sql.id(owner)} using (true) with check (true)`.execute(db);
  }

  await grantExpensePermissions(db);
}

/** Terms gain _seq and deleted; each existing term takes the next seq of its school's log,
 * oldest first, and is logged as a TermRow, so devices receive it through the shape. */
async function syncTerms(db: Kysely<any>): Promise<void> {
  await sql`alter table terms add column _seq bigint`.execute(db);
  await sql`alter table terms add column deleted boolean not null default false`.execute(db);
  await sql`with todo as (
      select tm.tenant_id, tm.id,
        t.last_seq + row_number() over (partition by tm.tenant_id order by tm.starts_on, tm.id) as seq
      from terms tm join tenants t on t.id = tm.tenant_id),
    changed as (
      update terms tm set _seq = todo.seq
      from todo where tm.tenant_id = todo.tenant_id and tm.id = todo.id
      returning tm.tenant_id, tm.id, tm.name, tm.starts_on, tm.ends_on, tm._seq),
    logged as (
      insert into sync_changes (tenant_id, seq, table_name, row_id, op, row, mutation_id, device_id, author_id)
      select tenant_id, _seq, 'terms', id, 'insert',
        jsonb_build_object('id', id, 'name', name, 'starts_on', to_char(starts_on, 'YYYY-MM-DD'), 'ends_on', to_char(ends_on, 'YYYY-MM-DD')),
        null, null, null
      from changed
      returning tenant_id, seq)
    update tenants t set last_seq = m.max_seq
    from (select tenant_id, max(seq) as max_seq from logged group by tenant_id) m
    where t.id = m.tenant_id`.execute(db);
  await sql`alter table terms alter column _seq set not null`.execute(db);
  await sql`create index terms_seq_idx on terms (tenant_id, _seq)`.execute(db);
}

/** The permissions each built-in role lacks, added in one change per role (the 0004 pattern):
 * each changed role takes the next seq of its school's log and is logged as a RoleRow. */
async function grantExpensePermissions(db: Kysely<any>): Promise<void> {
  await sql`with wanted (key, permission, ord) as (values
        ('administrator', 'expenses.record', 1), ('administrator', 'expenses.approve', 2),
        ('bursar', 'expenses.record', 1), ('head_teacher', 'expenses.approve', 2)),
    missing as (
      select r.tenant_id, r.id, r.key, jsonb_agg(w.permission order by w.ord) as added
      from roles r join wanted w on w.key = r.key
      where not r.deleted and not (r.permissions @> jsonb_build_array(w.permission))
      group by r.tenant_id, r.id, r.key),
    todo as (
      select m.tenant_id, m.id, m.added,
        t.last_seq + row_number() over (partition by m.tenant_id order by m.key, m.id) as seq
      from missing m join tenants t on t.id = m.tenant_id),
    changed as (
      update roles r set permissions = r.permissions || todo.added, _seq = todo.seq
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
  // The permissions stay on the roles (a later change may rely on them); the tables go, and
  // terms stop syncing.
  await sql`delete from sync_changes where table_name in ('terms', 'fee_structures', 'discounts', 'refunds', 'expenses', 'expense_approvals', 'cash_ups')`.execute(db);
  await sql`delete from sync_changes c using voids v
    where c.tenant_id = v.tenant_id and c.table_name = 'voids' and c.row_id = v.id and v.target_table not in ('payments', 'charges')`.execute(db);
  await sql`delete from voids where target_table not in ('payments', 'charges')`.execute(db);
  await sql`alter table voids drop constraint voids_target_table_ck`.execute(db);
  await sql`alter table voids add constraint voids_target_table_check check (target_table in ('payments', 'charges'))`.execute(db);
  for (const table of ['cash_ups', 'expense_approvals', 'expenses', 'refunds', 'discounts']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
  await sql`alter table payments drop column allocations`.execute(db);
  await sql`alter table payments drop column recorded_by_id`.execute(db);
  await sql`alter table charges drop column structure_id`.execute(db);
  await sql`drop table fee_structures`.execute(db);
  await sql`drop index terms_seq_idx`.execute(db);
  await sql`alter table terms drop column deleted`.execute(db);
  await sql`alter table terms drop column _seq`.execute(db);
}
