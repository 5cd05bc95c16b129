import type { Kysely } from 'kysely';

// Frozen like every migration. Schema versions (issue 6):
// - sync_state.protocol_version: the sync protocol version the synced tables were filled at.
//   Stores from before it were filled by builds that knew version 5's tables and columns.
// - needs_attention.unrecorded_version: set when the server refused a change without recording
//   it (it could not read the change's format): a resend sends that same mutation again.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sync_state').addColumn('protocol_version', 'integer', (c) => c.notNull().defaultTo(5)).execute();
  await db.schema.alterTable('needs_attention').addColumn('unrecorded_version', 'integer').execute();
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
