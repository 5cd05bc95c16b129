import type { Kysely } from 'kysely';

// Progress of a first sync or a rebuild (DESIGN §4), kept with the rows it counts so it survives
// a restart. Frozen like every migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sync_state').addColumn('snapshot_phase', 'text').execute();
  await db.schema.alterTable('sync_state').addColumn('snapshot_rows_total', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('sync_state').addColumn('snapshot_rows_done', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('sync_state').addColumn('snapshot_started_at', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
