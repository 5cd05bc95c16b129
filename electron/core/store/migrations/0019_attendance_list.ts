import { sql, type Kysely } from 'kysely';

// The school-wide attendance list (issue 7): marks newest first, filtered by date range, class
// or mark, keyset paged over two million of them. A mark carries neither its register's date
// nor its class, so the trigger-kept attendance_history (0009) now also holds the register's
// class and the mark itself, and each filter walks one index in list order (date, period,
// register, mark id) without a sort. Frozen like every migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('attendance_history').addColumn('class_id', 'text').execute();
  await db.schema.alterTable('attendance_history').addColumn('status', 'text').execute();

  // The 0009 triggers again, carrying the two new columns, and a mark's change of status.
  for (const t of ['record_insert', 'record_update', 'session_insert', 'session_update']) await sql.raw(`drop trigger attendance_history_${t}`).execute(db);
  const fromRecord = (r: string) => sql.raw(`
    insert or replace into attendance_history (record_id, student_id, session_id, date, period, class_id, status)
      select ${r}.id, ${r}.student_id, ${r}.session_id, s.date, s.period, s.class_id, ${r}.status from attendance_sessions s where s.id = ${r}.session_id;`);
  const fromSession = sql.raw(`
    insert or replace into attendance_history (record_id, student_id, session_id, date, period, class_id, status)
      select r.id, r.student_id, new.id, new.date, new.period, new.class_id, r.status from attendance_records r where r.session_id = new.id;`);
  await sql`create trigger attendance_history_record_insert after insert on attendance_records begin ${fromRecord('new')} end`.execute(db);
  await sql`create trigger attendance_history_record_update after update of session_id, student_id on attendance_records begin
    delete from attendance_history where record_id = old.id; ${fromRecord('new')} end`.execute(db);
  await sql`create trigger attendance_history_record_status after update of status on attendance_records
    when old.session_id = new.session_id and old.student_id = new.student_id begin
    update attendance_history set status = new.status where record_id = new.id; end`.execute(db);
  await sql`create trigger attendance_history_session_insert after insert on attendance_sessions begin ${fromSession} end`.execute(db);
  await sql`create trigger attendance_history_session_update after update of date, period, class_id on attendance_sessions begin
    update attendance_history set date = new.date, period = new.period, class_id = new.class_id where session_id = new.id; end`.execute(db);

  await sql`update attendance_history set
    status = (select r.status from attendance_records r where r.id = attendance_history.record_id),
    class_id = (select s.class_id from attendance_sessions s where s.id = attendance_history.session_id)`.execute(db);

  // One index per filter, each in the list's order: the whole school (and a date range), a
  // class, one mark (absences, lates). A class and a mark together walk the class's index.
  await db.schema.createIndex('attendance_history_by_date').on('attendance_history').columns(['date', 'period', 'session_id', 'record_id']).execute();
  await db.schema.createIndex('attendance_history_by_class').on('attendance_history').columns(['class_id', 'date', 'period', 'session_id', 'record_id']).execute();
  await db.schema.createIndex('attendance_history_by_status').on('attendance_history').columns(['status', 'date', 'period', 'session_id', 'record_id']).execute();
}
