import { sql, type Kysely } from 'kysely';

// Staff, roles and sign-in (issue 3). Frozen like every migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('staff_by_username').on('staff').column('username').execute();

  await db.schema
    .createTable('login_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('offline', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('login_history_by_time').on('login_history').columns(['at', 'id']).execute();

  // What this device needs to let a person sign in while the server is out of reach: its own
  // scrypt hash of the password last used here online (never the server's hash).
  await db.schema
    .createTable('local_credentials')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // A person disabled or removed at the school loses offline access here at the next sync.
  await sql`create trigger staff_disabled_forget_credential after update of active on staff when new.active = 0
    begin delete from local_credentials where user_id = new.id; end`.execute(db);
  await sql`create trigger staff_removed_forget_credential after delete on staff
    begin delete from local_credentials where user_id = old.id; end`.execute(db);

  // The server's copy of a synced row while this device has unacknowledged edits of it, so a
  // refused edit can be undone on screen (the rebase of DESIGN §4).
  await db.schema
    .createTable('shadow_rows')
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('row', 'text')
    .addColumn('refreshed', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('shadow_rows_pk', ['table_name', 'row_id'])
    .execute();

  await db.schema.alterTable('outbox').addColumn('author_id', 'text').execute();
  await db.schema.alterTable('device').addColumn('profile', 'text', (c) => c.notNull().defaultTo('office')).execute();
  await db.schema.alterTable('device').addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC')).execute();
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
