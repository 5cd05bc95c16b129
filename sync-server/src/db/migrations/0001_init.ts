import { sql, type Kysely } from 'kysely';

// Frozen: written against Kysely<any> so later schema changes never alter what this migration did.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', sql`char(3)`, (c) => c.notNull())
    .addColumn('enrolment_code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('shape_epoch', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('next_device_no', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('receipt_series', 'text', (c) => c.notNull())
    .addColumn('enrolled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addPrimaryKeyConstraint('devices_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('devices_receipt_series_uq', ['tenant_id', 'receipt_series'])
    .execute();

  await db.schema
    .createTable('students')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('admission_no', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('class_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('enrolled', 'withdrawn', 'graduated')`))
    .addColumn('guardian_phone', 'text')
    .addColumn('_seq', 'bigint', (c) => c.notNull())
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('students_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('students_seq_idx').on('students').columns(['tenant_id', '_seq']).execute();

  await db.schema
    .createTable('payments')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull().check(sql`amount_minor > 0`))
    .addColumn('currency', sql`char(3)`, (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('receipt_no', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('payments_pk', ['tenant_id', 'id'])
    .addUniqueConstraint('payments_receipt_no_uq', ['tenant_id', 'receipt_no'])
    .addForeignKeyConstraint('payments_student_fk', ['tenant_id', 'student_id'], 'students', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('payments_seq_idx').on('payments').columns(['tenant_id', '_seq']).execute();

  await db.schema
    .createTable('sync_changes')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('op', 'text', (c) => c.notNull().check(sql`op in ('insert', 'update', 'delete')`))
    .addColumn('row', 'jsonb')
    .addColumn('mutation_id', 'text')
    .addColumn('device_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sync_changes_pk', ['tenant_id', 'seq'])
    .execute();

  await db.schema
    .createTable('applied_mutations')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('mutation_id', 'text', (c) => c.notNull())
    .addColumn('device_seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('applied', 'rejected')`))
    .addColumn('reason', 'text')
    .addColumn('applied_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('applied_mutations_pk', ['tenant_id', 'device_id', 'mutation_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['applied_mutations', 'sync_changes', 'payments', 'students', 'devices', 'tenants']) {
    await db.schema.dropTable(t).execute();
  }
}
