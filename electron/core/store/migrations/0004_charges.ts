import type { Kysely } from 'kysely';

// The bursary's first ledger tables (issue 4): fee categories, charges and voids. Frozen.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fee_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('charges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('term', 'text')
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .addColumn('posted_by', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('charges_by_student').on('charges').columns(['student_id', 'posted_at', 'id']).execute();

  // No unique key on the target here: two offices may void the same entry offline; the server
  // keeps the first and refuses the other, whose local row goes when that answer arrives.
  await db.schema
    .createTable('voids')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target_table', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('voided_at', 'text', (c) => c.notNull())
    .addColumn('voided_by', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('voids_by_target').on('voids').columns(['target_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
