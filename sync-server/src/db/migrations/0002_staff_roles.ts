import { sql, type Kysely } from 'kysely';

// Frozen once released: raw SQL against Kysely<any>, so later schema changes never alter it.
//
// Staff, roles, terms, login history and admin-issued enrolment codes, plus the second wall of
// tenant isolation: row-level security on every tenant table, and a login role for the
// request-serving pool that can neither bypass it nor change the schema.

/** The role the server's request pool runs as. Cluster-wide in PostgreSQL, so creating it
 * tolerates another database (or a concurrent migration) having created it first. */
export const APP_ROLE = 'schoolhouse_app';

const TENANT_TABLES = [
  'devices',
  'students',
  'payments',
  'sync_changes',
  'applied_mutations',
  'terms',
  'roles',
  'staff',
  'login_history',
  'enrolment_codes',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table tenants add column time_zone text not null default 'UTC'`.execute(db);

  await sql`create table terms (
    tenant_id text not null references tenants(id),
    id text not null,
    name text not null,
    starts_on date not null,
    ends_on date not null,
    constraint terms_pk primary key (tenant_id, id),
    constraint terms_dates_ck check (ends_on >= starts_on)
  )`.execute(db);

  await sql`create table roles (
    tenant_id text not null references tenants(id),
    id text not null,
    key text,
    name text not null,
    permissions jsonb not null,
    _seq bigint not null,
    deleted boolean not null default false,
    constraint roles_pk primary key (tenant_id, id),
    constraint roles_key_uq unique (tenant_id, key)
  )`.execute(db);
  await sql`create index roles_seq_idx on roles (tenant_id, _seq)`.execute(db);

  await sql`create table staff (
    tenant_id text not null references tenants(id),
    id text not null,
    username text not null,
    display_name text not null,
    role_id text not null,
    active boolean not null default true,
    password_hash text not null,
    failed_attempts integer not null default 0,
    locked_until timestamptz,
    password_changed_at timestamptz not null default now(),
    _seq bigint not null,
    deleted boolean not null default false,
    constraint staff_pk primary key (tenant_id, id),
    constraint staff_username_uq unique (tenant_id, username),
    constraint staff_role_fk foreign key (tenant_id, role_id) references roles (tenant_id, id)
  )`.execute(db);
  await sql`create index staff_seq_idx on staff (tenant_id, _seq)`.execute(db);

  await sql`create table login_history (
    tenant_id text not null references tenants(id),
    id text not null,
    user_id text,
    username text not null,
    device_id text not null,
    at text not null,
    success boolean not null,
    offline boolean not null,
    reason text,
    _seq bigint not null,
    constraint login_history_pk primary key (tenant_id, id)
  )`.execute(db);
  await sql`create index login_history_seq_idx on login_history (tenant_id, _seq)`.execute(db);

  await sql`create table enrolment_codes (
    tenant_id text not null references tenants(id),
    code_hash text not null,
    profile text not null check (profile in ('office', 'teacher_room')),
    expires_at timestamptz not null,
    used_at timestamptz,
    reusable boolean not null default false,
    created_by text,
    created_at timestamptz not null default now(),
    constraint enrolment_codes_pk primary key (tenant_id, code_hash)
  )`.execute(db);
  // A code names its school: lookup by hash alone must be unambiguous.
  await sql`create unique index enrolment_codes_hash_uq on enrolment_codes (code_hash)`.execute(db);
  // Codes of schools created before this migration stay valid, as reusable office codes.
  await sql`insert into enrolment_codes (tenant_id, code_hash, profile, expires_at, reusable)
    select id, enrolment_code_hash, 'office', 'infinity', true from tenants`.execute(db);
  await sql`alter table tenants drop column enrolment_code_hash`.execute(db);

  await sql`alter table devices add column profile text not null default 'office' check (profile in ('office', 'teacher_room'))`.execute(db);
  await sql`alter table sync_changes add column author_id text`.execute(db);
  await sql`alter table applied_mutations add column author_id text`.execute(db);

  // Not a tenant table: shared by every server process; reachable only through sh_jwt_secret.
  await sql`create table server_secrets (name text primary key, value text not null)`.execute(db);

  await createAppRole(db);
  await enableRowLevelSecurity(db);
  await createLookupFunctions(db);
}

async function createAppRole(db: Kysely<any>): Promise<void> {
  await sql`do $$ begin
    create role schoolhouse_app login nosuperuser nobypassrls nocreaterole nocreatedb;
  exception when duplicate_object or unique_violation then null;
  end $$`.execute(db);
  await sql`grant usage on schema public to schoolhouse_app`.execute(db);
  await sql`grant select, update on tenants to schoolhouse_app`.execute(db);
  for (const t of TENANT_TABLES) {
    await sql`grant select, insert, update, delete on ${sql.table(t)} to schoolhouse_app`.execute(db);
  }
}

async function enableRowLevelSecurity(db: Kysely<any>): Promise<void> {
  const tables: [string, string][] = [['tenants', 'id'], ...TENANT_TABLES.map((t): [string, string] => [t, 'tenant_id'])];
  const owner = (await sql<{ u: string }>`select current_user as u`.execute(db)).rows[0]!.u;
  for (const [table, column] of tables) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    // FORCE: the policy binds the table owner too (unless superuser), not just other roles.
    await sql`alter table ${sql.table(table)} force row level security`.execute(db);
    // Unset, current_setting(..., true) is null or '': no row matches, so a query outside
    // withTenant sees nothing rather than everything.
    await sql`create policy ${sql.id(`${table}_tenant_isolation`)} on ${sql.table(table)}
      using (${sql.ref(column)} = current_setting('app.tenant_id', true))
      with check (${sql.ref(column)} = current_setting('app.tenant_id', true))`.execute(db);
    // The migration owner (school creation, the CLI, the lookup functions below) works across
    // tenants; a superuser owner bypasses RLS anyway, a plain owner needs this policy.
    await sql`create policy ${sql.id(`${table}_owner_all`)} on ${sql.table(table)} to ${sql.id(owner)} using (true) with check (true)`.execute(db);
  }
}

/** Lookups made before the tenant is known. They run as the owner and return only what the
 * caller needs: the app role cannot list devices or codes of other schools through them. */
async function createLookupFunctions(db: Kysely<any>): Promise<void> {
  await sql`create function sh_device_by_token(p_token_hash text)
    returns table (tenant_id text, id text, receipt_series text, profile text, revoked boolean)
    language sql stable security definer set search_path = public, pg_temp
    as $$ select d.tenant_id, d.id, d.receipt_series, d.profile, d.revoked_at is not null
          from devices d where d.token_hash = p_token_hash $$`.execute(db);
  await sql`create function sh_enrolment_code_tenant(p_code_hash text)
    returns text
    language sql stable security definer set search_path = public, pg_temp
    as $$ select c.tenant_id from enrolment_codes c where c.code_hash = p_code_hash $$`.execute(db);
  // Several server processes must sign and verify with one secret: the first stores its
  // candidate, everyone gets the stored one.
  await sql`create function sh_jwt_secret(p_candidate text)
    returns text
    language plpgsql volatile security definer set search_path = public, pg_temp
    as $$ begin
      insert into server_secrets (name, value) values ('jwt', p_candidate) on conflict (name) do nothing;
      return (select value from server_secrets where name = 'jwt');
    end $$`.execute(db);
  for (const fn of ['sh_device_by_token(text)', 'sh_enrolment_code_tenant(text)', 'sh_jwt_secret(text)']) {
    await sql`revoke all on function ${sql.raw(fn)} from public`.execute(db);
    await sql`grant execute on function ${sql.raw(fn)} to schoolhouse_app`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const fn of ['sh_device_by_token(text)', 'sh_enrolment_code_tenant(text)', 'sh_jwt_secret(text)']) {
    await sql`drop function ${sql.raw(fn)}`.execute(db);
  }
  for (const t of ['tenants', ...TENANT_TABLES]) {
    await sql`drop policy if exists ${sql.id(`${t}_tenant_isolation`)} on ${sql.table(t)}`.execute(db);
    await sql`drop policy if exists ${sql.id(`${t}_owner_all`)} on ${sql.table(t)}`.execute(db);
    await sql`alter table ${sql.table(t)} no force row level security`.execute(db);
    await sql`alter table ${sql.table(t)} disable row level security`.execute(db);
  }
  await sql`revoke all on all tables in schema public from schoolhouse_app`.execute(db);
  await sql`revoke usage on schema public from schoolhouse_app`.execute(db);
  for (const t of ['server_secrets', 'enrolment_codes', 'login_history', 'staff', 'roles', 'terms']) {
    await sql`drop table ${sql.table(t)}`.execute(db);
  }
  await sql`alter table applied_mutations drop column author_id`.execute(db);
  await sql`alter table sync_changes drop column author_id`.execute(db);
  await sql`alter table devices drop column profile`.execute(db);
  await sql`alter table tenants add column enrolment_code_hash text`.execute(db);
  await sql`alter table tenants drop column time_zone`.execute(db);
}
