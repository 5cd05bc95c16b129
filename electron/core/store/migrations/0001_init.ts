import { sql, type Kysely } from 'kysely';

// Frozen: migrations are written against Kysely<any> so later changes to LocalDatabase never
// alter what an installed device already ran.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('students')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('admission_no', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull().modifyEnd(sql`collate nocase`))
    .addColumn('last_name', 'text', (c) => c.notNull().modifyEnd(sql`collate nocase`))
    .addColumn('class_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('guardian_phone', 'text')
    .execute();
  // One index per list filter, each ending in the sort key and id so it serves both the filter
  // and the keyset ORDER BY (no temp B-tree).
  await db.schema.createIndex('students_by_name').on('students').columns(['last_name', 'first_name', 'id']).execute();
  await db.schema
    .createIndex('students_by_status_name')
    .on('students')
    .columns(['status', 'last_name', 'first_name', 'id'])
    .execute();
  await db.schema
    .createIndex('students_by_class_name')
    .on('students')
    .columns(['class_name', 'last_name', 'first_name', 'id'])
    .execute();

  // Contentless FTS5 index over names, admission numbers and guardian phone digits; prefix
  // indexes make search-as-you-type cheap from the first letter.
  await sql`create virtual table students_fts using fts5(
    names, admission_no, phone,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')`.execute(db);
  // Phones are indexed as their digits and as the last nine digits, so "0712…" and "254712…" both match.
  const phoneTokens = (col: string) =>
    `coalesce(replace(replace(replace(replace(replace(${col},' ',''),'+',''),'-',''),'(',''),')','') || ' ' ||
      substr(replace(replace(replace(replace(replace(${col},' ',''),'+',''),'-',''),'(',''),')',''), -9), '')`;
  const insertFts = (row: string) =>
    `insert into students_fts(rowid, names, admission_no, phone)
       values (${row}.rowid, ${row}.first_name || ' ' || ${row}.last_name, ${row}.admission_no, ${phoneTokens(`${row}.guardian_phone`)});`;
  await sql.raw(`create trigger students_fts_insert after insert on students begin ${insertFts('new')} end`).execute(db);
  await sql
    .raw(
      `create trigger students_fts_update after update on students begin
         delete from students_fts where rowid = old.rowid; ${insertFts('new')} end`,
    )
    .execute(db);
  await sql.raw(`create trigger students_fts_delete after delete on students begin delete from students_fts where rowid = old.rowid; end`).execute(db);

  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('receipt_no', 'text', (c) => c.notNull().unique())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payments_by_student').on('payments').columns(['student_id', 'recorded_at', 'id']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('mutation_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('args', 'text', (c) => c.notNull())
    .addColumn('schema_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createTable('outbox_rows')
    .addColumn('outbox_seq', 'integer', (c) => c.notNull().references('outbox.seq').onDelete('cascade'))
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_rows_pk', ['table_name', 'row_id', 'outbox_seq'])
    .execute();
  await db.schema.createIndex('outbox_rows_by_seq').on('outbox_rows').column('outbox_seq').execute();

  await db.schema
    .createTable('needs_attention')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('mutation_id', 'text', (c) => c.notNull().unique())
    .addColumn('device_seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('args', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('device')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('server_url', 'text', (c) => c.notNull())
    .addColumn('school_id', 'text', (c) => c.notNull())
    .addColumn('school_name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('receipt_series', 'text', (c) => c.notNull())
    .addColumn('next_receipt_no', 'integer', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sync_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('shape_handle', 'text')
    .addColumn('shape_offset', 'text')
    .addColumn('last_sync_at', 'text')
    .execute();
  await sql`insert into sync_state (id) values (1)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Local migrations are forward-only: a device never downgrades its store.');
}
