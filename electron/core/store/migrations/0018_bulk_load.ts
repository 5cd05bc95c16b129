import { sql, type Kysely } from 'kysely';

// Frozen like every migration. What a first sync's bulk load took off its tables to store them
// faster (store/bulk-load.ts): each index and search trigger it dropped, with the SQL that made
// it, written in the transaction that dropped it, so a crash mid-load leaves the way back on
// disk and the next open puts everything back.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bulk_load')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('index', 'trigger')`))
    .addColumn('tbl_name', 'text', (c) => c.notNull())
    // The search index a dropped trigger fills (refilled in one statement when it comes back).
    .addColumn('fts', 'text')
    .addColumn('sql', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
