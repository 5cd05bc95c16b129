import type { Kysely } from 'kysely';

// Rebuilding from a fresh snapshot without emptying the screen first (DESIGN §4, must-refetch).
// Frozen like every migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sync_state').addColumn('refetching', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('refetch_seen')
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('refetch_seen_pk', ['table_name', 'row_id'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
