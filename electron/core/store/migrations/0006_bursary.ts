import type { Kysely } from 'kysely';

// The complete bursary (issue 4): terms, fee structures, discounts, refunds, expenses and their
// approvals, cash-ups; payments gain their allocations and author, charges their structure.
// Frozen like every migration. Indexes serve the ledger lists (newest first, keyset-paged), the
// duplicate-reference flag and the cash-up's "this bursar, this device, this day".

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('terms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('fee_structures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fee_structures_by_class_term').on('fee_structures').columns(['class_name', 'term']).execute();

  await db.schema.alterTable('charges').addColumn('structure_id', 'text').execute();
  await db.schema.createIndex('charges_by_time').on('charges').columns(['posted_at', 'id']).execute();
  await db.schema.createIndex('charges_by_structure').on('charges').columns(['structure_id', 'student_id']).execute();

  await db.schema.alterTable('payments').addColumn('recorded_by_id', 'text').execute();
  await db.schema.alterTable('payments').addColumn('allocations', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.createIndex('payments_by_time').on('payments').columns(['recorded_at', 'id']).execute();
  await db.schema.createIndex('payments_by_reference').on('payments').columns(['reference', 'method']).execute();
  await db.schema.createIndex('payments_by_till').on('payments').columns(['device_id', 'recorded_by_id', 'recorded_at']).execute();

  await db.schema
    .createTable('discounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull())
    .addColumn('percent_bp', 'integer')
    .addColumn('amount_minor', 'integer', (c) => c.notNull())
    .addColumn('term', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text', (c) => c.notNull())
    .addColumn('posted_by', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('discounts_by_student').on('discounts').columns(['student_id', 'posted_at']).execute();

  await db.schema
    .createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('refunded_at', 'text', (c) => c.notNull())
    .addColumn('refunded_by', 'text')
    .addColumn('refunded_by_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refunds_by_student').on('refunds').columns(['student_id', 'refunded_at']).execute();
  await db.schema.createIndex('refunds_by_till').on('refunds').columns(['device_id', 'refunded_by_id', 'refunded_at']).execute();

  await db.schema
    .createTable('expenses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('payee', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('spent_on', 'text', (c) => c.notNull())
    .addColumn('attachments', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('recorded_by_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('expenses_by_time').on('expenses').columns(['recorded_at', 'id']).execute();
  await db.schema.createIndex('expenses_by_till').on('expenses').columns(['device_id', 'recorded_by_id', 'recorded_at']).execute();

  // No unique key on expense_id here (as with voids): two people may decide offline; the server
  // keeps the first and the refused one is removed when its answer arrives.
  await db.schema
    .createTable('expense_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expense_id', 'text', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_id', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('expense_approvals_by_expense').on('expense_approvals').columns(['expense_id']).execute();

  await db.schema
    .createTable('cash_ups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('business_date', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('staff_name', 'text', (c) => c.notNull())
    .addColumn('expected', 'text', (c) => c.notNull())
    .addColumn('counted', 'text', (c) => c.notNull())
    .addColumn('difference_minor', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cash_ups_by_till').on('cash_ups').columns(['device_id', 'staff_id', 'business_date']).execute();
  await db.schema.createIndex('cash_ups_by_time').on('cash_ups').columns(['closed_at', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
