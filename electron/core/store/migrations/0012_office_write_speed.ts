import { sql, type Kysely } from 'kysely';

// Frozen like every migration. The students' search index was refreshed on every update of a
// student, so moving 600 students to a class (or changing their status) rewrote 600 entries of
// the full-text index for nothing. It now follows only the columns it indexes; the statements
// are those of 0001_init.

const phoneTokens = (col: string) =>
  `coalesce(replace(replace(replace(replace(replace(${col},' ',''),'+',''),'-',''),'(',''),')','') || ' ' ||
    substr(replace(replace(replace(replace(replace(${col},' ',''),'+',''),'-',''),'(',''),')',''), -9), '')`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop trigger students_fts_update`.execute(db);
  await sql
    .raw(
      `create trigger students_fts_update after update of first_name, last_name, admission_no, guardian_phone on students begin
         delete from students_fts where rowid = old.rowid;
         insert into students_fts(rowid, names, admission_no, phone)
           values (new.rowid, new.first_name || ' ' || new.last_name, new.admission_no, ${phoneTokens('new.guardian_phone')}); end`,
    )
    .execute(db);
}
