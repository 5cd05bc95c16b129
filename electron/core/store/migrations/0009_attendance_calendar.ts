import { sql, type Kysely } from 'kysely';

// Attendance, the calendar and the office dashboard (issue 5). Frozen like every migration.
//
// A student's history is newest first, but a mark (attendance_records) does not carry its
// register's date. attendance_history is a local index kept by triggers, whichever of a
// register or its marks arrives first (a snapshot streams tables in any order): one row per
// mark with its register's date and period, so the history walks one index in order.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attendance_history')
    .addColumn('record_id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attendance_history_by_student').on('attendance_history').columns(['student_id', 'date', 'period', 'record_id']).execute();
  await db.schema.createIndex('attendance_history_by_session').on('attendance_history').columns(['session_id']).execute();

  const fromRecord = (r: string) => sql.raw(`
    insert or replace into attendance_history (record_id, student_id, session_id, date, period)
      select ${r}.id, ${r}.student_id, ${r}.session_id, s.date, s.period from attendance_sessions s where s.id = ${r}.session_id;`);
  const fromSession = sql.raw(`
    insert or replace into attendance_history (record_id, student_id, session_id, date, period)
      select r.id, r.student_id, new.id, new.date, new.period from attendance_records r where r.session_id = new.id;`);
  await sql`create trigger attendance_history_record_insert after insert on attendance_records begin ${fromRecord('new')} end`.execute(db);
  await sql`create trigger attendance_history_record_update after update of session_id, student_id on attendance_records begin
    delete from attendance_history where record_id = old.id; ${fromRecord('new')} end`.execute(db);
  await sql`create trigger attendance_history_record_delete after delete on attendance_records begin
    delete from attendance_history where record_id = old.id; end`.execute(db);
  await sql`create trigger attendance_history_session_insert after insert on attendance_sessions begin ${fromSession} end`.execute(db);
  await sql`create trigger attendance_history_session_update after update of date, period on attendance_sessions begin
    update attendance_history set date = new.date, period = new.period where session_id = new.id; end`.execute(db);
  await sql`create trigger attendance_history_session_delete after delete on attendance_sessions begin
    delete from attendance_history where session_id = old.id; end`.execute(db);
  await sql`insert into attendance_history (record_id, student_id, session_id, date, period)
    select r.id, r.student_id, r.session_id, s.date, s.period from attendance_records r join attendance_sessions s on s.id = r.session_id`.execute(db);

  // Counting a register's marks by status (today's rate, a class's weekly rate) reads the index only.
  await db.schema.createIndex('attendance_records_status').on('attendance_records').columns(['session_id', 'deleted', 'status']).execute();
  // A class's register (its enrolled students in name order) and enrolment by class (counted
  // from the index alone).
  await sql`create index students_enrolled_by_class on students (class_id, last_name, first_name, id) where status = 'enrolled' and deleted = 0`.execute(db);
  // The calendar's type and class filters walk their own index in date order.
  await db.schema.createIndex('events_by_type_start').on('events').columns(['type', 'starts_on', 'id']).execute();
  await db.schema.createIndex('events_by_class_start').on('events').columns(['class_id', 'starts_on', 'id']).execute();
}
