import type { Kysely } from 'kysely';

// The school's devices as office devices see them (names for the login history, the device
// list offline). Frozen like every migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('receipt_series', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
