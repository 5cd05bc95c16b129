import { sql, type Kysely } from 'kysely';

// The school office (issue 5): classes, subjects, guardians, the calendar, report cards,
// attendance, messages and the server's merge conflicts; students gain their full profile.
// Editable tables carry `deleted` (a tombstone) and `meta` (per-field versions, DESIGN §3).
// Frozen like every migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('students').addColumn('middle_name', 'text').execute();
  await db.schema.alterTable('students').addColumn('date_of_birth', 'text').execute();
  await db.schema.alterTable('students').addColumn('gender', 'text').execute();
  await db.schema.alterTable('students').addColumn('class_id', 'text').execute();
  await db.schema.alterTable('students').addColumn('photo_file', 'text').execute();
  await db.schema.alterTable('students').addColumn('medical_notes', 'text').execute();
  await db.schema.alterTable('students').addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('students').addColumn('meta', 'text', (c) => c.notNull().defaultTo(sql.lit('{"f":{}}'))).execute();

  await db.schema
    .createTable('classes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('academic_year', 'integer', (c) => c.notNull())
    .addColumn('class_teacher_id', 'text')
    .addColumn('grading_scale_id', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('class_subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('class_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('teacher_id', 'text')
    .addColumn('compulsory', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('student_subjects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('class_subject_id', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('guardians')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('alt_phone', 'text')
    .addColumn('email', 'text')
    .addColumn('address', 'text')
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('student_guardians')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('guardian_id', 'text', (c) => c.notNull())
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('pays_fees', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('starts_on', 'text', (c) => c.notNull())
    .addColumn('ends_on', 'text', (c) => c.notNull())
    .addColumn('start_time', 'text')
    .addColumn('end_time', 'text')
    .addColumn('location', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('class_id', 'text')
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('grading_scales')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bands', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('class_id', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('max_score', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('scores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('assessment_id', 'text', (c) => c.notNull())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('score', 'real')
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('report_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('class_teacher_comment', 'text', (c) => c.notNull())
    .addColumn('head_teacher_comment', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('attendance_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('class_id', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('taken_by', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('attendance_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('student_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('meta', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sender_id', 'text', (c) => c.notNull())
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('to_staff_ids', 'text', (c) => c.notNull())
    .addColumn('to_label', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('message_reads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('record_conflicts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('row_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('kept_value', 'text', (c) => c.notNull())
    .addColumn('lost_value', 'text', (c) => c.notNull())
    .addColumn('kept_by', 'text')
    .addColumn('kept_device', 'text')
    .addColumn('lost_by', 'text')
    .addColumn('lost_device', 'text')
    .addColumn('other_row_id', 'text')
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution', 'text')
    .execute();

  await db.schema.createIndex('students_by_class_id').on('students').columns(['class_id', 'last_name', 'first_name', 'id']).execute();
  await db.schema.createIndex('students_by_admission_no').on('students').columns(['admission_no']).execute();
  await db.schema.createIndex('classes_by_year').on('classes').columns(['academic_year', 'level', 'stream', 'id']).execute();
  await db.schema.createIndex('class_subjects_by_class').on('class_subjects').columns(['class_id', 'subject_id']).execute();
  await db.schema.createIndex('student_subjects_by_student').on('student_subjects').columns(['student_id', 'class_subject_id']).execute();
  await db.schema.createIndex('student_subjects_by_class_subject').on('student_subjects').columns(['class_subject_id', 'student_id']).execute();
  await db.schema.createIndex('guardians_by_name').on('guardians').columns(['name', 'id']).execute();
  await db.schema.createIndex('student_guardians_by_student').on('student_guardians').columns(['student_id', 'guardian_id']).execute();
  await db.schema.createIndex('student_guardians_by_guardian').on('student_guardians').columns(['guardian_id', 'student_id']).execute();
  await db.schema.createIndex('events_by_start').on('events').columns(['starts_on', 'id']).execute();
  await db.schema.createIndex('events_by_end').on('events').columns(['ends_on', 'starts_on']).execute();
  await db.schema.createIndex('assessments_by_class_term').on('assessments').columns(['class_id', 'term', 'subject_id']).execute();
  await db.schema.createIndex('scores_by_assessment').on('scores').columns(['assessment_id', 'student_id']).execute();
  await db.schema.createIndex('scores_by_student').on('scores').columns(['student_id', 'assessment_id']).execute();
  await db.schema.createIndex('report_comments_by_student').on('report_comments').columns(['student_id', 'term']).execute();
  await db.schema.createIndex('attendance_sessions_by_class_date').on('attendance_sessions').columns(['class_id', 'date', 'period']).execute();
  await db.schema.createIndex('attendance_sessions_by_date').on('attendance_sessions').columns(['date', 'class_id']).execute();
  await db.schema.createIndex('attendance_records_by_session').on('attendance_records').columns(['session_id', 'student_id']).execute();
  await db.schema.createIndex('attendance_records_by_student').on('attendance_records').columns(['student_id', 'session_id']).execute();
  await db.schema.createIndex('messages_by_time').on('messages').columns(['sent_at', 'id']).execute();
  await db.schema.createIndex('message_reads_by_message').on('message_reads').columns(['message_id', 'staff_id']).execute();
  await db.schema.createIndex('message_reads_by_staff').on('message_reads').columns(['staff_id', 'message_id']).execute();
  await db.schema.createIndex('record_conflicts_open').on('record_conflicts').columns(['resolved_at', 'raised_at', 'id']).execute();
  await db.schema.createIndex('record_conflicts_by_row').on('record_conflicts').columns(['table_name', 'row_id']).execute();
}
