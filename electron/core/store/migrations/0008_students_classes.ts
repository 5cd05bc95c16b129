import { sql, type Kysely } from 'kysely';

// Students and classes (issue 5): the list filtered by gender, guardians found by name or phone
// (siblings share a guardian), subjects and staff pickers in name order. Frozen like every migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('students_by_gender_name').on('students').columns(['gender', 'last_name', 'first_name', 'id']).execute();
  await db.schema.createIndex('subjects_by_name').on('subjects').columns(['name', 'id']).execute();
  await db.schema.createIndex('subjects_by_code').on('subjects').columns(['code']).execute();
  await db.schema.createIndex('staff_by_name').on('staff').columns(['display_name', 'id']).execute();

  // Guardians are searched like students: every word a prefix of a name word or of a phone's
  // digits (whole, or the last nine, so "0712…" and "254712…" both match).
  await sql`create virtual table guardians_fts using fts5(
    name, phone,
    content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')`.execute(db);
  const digits = (col: string) => `replace(replace(replace(replace(replace(${col},' ',''),'+',''),'-',''),'(',''),')','')`;
  const phoneTokens = (row: string) =>
    `coalesce(${digits(`${row}.phone`)} || ' ' || substr(${digits(`${row}.phone`)}, -9), '') || ' ' ||
     coalesce(${digits(`${row}.alt_phone`)} || ' ' || substr(${digits(`${row}.alt_phone`)}, -9), '')`;
  const insertFts = (row: string) => `insert into guardians_fts(rowid, name, phone) values (${row}.rowid, ${row}.name, ${phoneTokens(row)});`;
  await sql.raw(`create trigger guardians_fts_insert after insert on guardians begin ${insertFts('new')} end`).execute(db);
  await sql
    .raw(`create trigger guardians_fts_update after update of name, phone, alt_phone on guardians begin delete from guardians_fts where rowid = old.rowid; ${insertFts('new')} end`)
    .execute(db);
  await sql.raw(`create trigger guardians_fts_delete after delete on guardians begin delete from guardians_fts where rowid = old.rowid; end`).execute(db);
  await sql.raw(`insert into guardians_fts(rowid, name, phone) select g.rowid, g.name, ${phoneTokens('g')} from guardians g`).execute(db);
}
