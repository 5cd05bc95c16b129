import { sql, type Kysely } from 'kysely';
import { derivedId } from '../../../../shared/ids.js';

// Frozen once released: raw SQL against Kysely<any>, so later schema changes never alter it.
//
// The school office (issue 5). Editable records (students' profiles, guardians, classes,
// subjects, the calendar, report cards, attendance) carry `deleted` (a tombstone) and `meta`
// (who last wrote each field, at which seq): the server merges writes field by field. Messages
// and read receipts are insert-only for the role requests are served as; conflicts are raised
// and resolved by the server only (the app role may change nothing but their resolution).
//
// Existing schools: the built-in roles gain 'classes.manage', 'scores.enter' and
// 'events.manage' as BUILTIN_ROLES gives them, and each distinct class name of a school's
// students becomes a class (with a derived id, so the step is safe to run twice) that its
// students point at. Every such change takes the next seq of the school's log, so devices get it.

const APP_ROLE = 'schoolhouse_app';
const EDITABLE_TABLES = [
  'classes',
  'subjects',
  'class_subjects',
  'student_subjects',
  'guardians',
  'student_guardians',
  'events',
  'grading_scales',
  'assessments',
  'scores',
  'report_comments',
  'attendance_sessions',
  'attendance_records',
] as const;
const INSERT_ONLY_TABLES = ['messages', 'message_reads'] as const;
const META = sql`meta jsonb not null default '{"f":{}}'::jsonb, deleted boolean not null default false, _seq bigint not null`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table grading_scales (
    tenant_id text not null references tenants(id),
    id text not null,
    name text not null,
    bands jsonb not null check (jsonb_typeof(bands) = 'array'),
    is_default boolean not null,
    ${META},
    constraint grading_scales_pk primary key (tenant_id, id)
  )`.execute(db);

  await sql`create table classes (
    tenant_id text not null references tenants(id),
    id text not null,
    grade text not null,
    level integer not null check (level between 0 and 20),
    stream text not null,
    academic_year integer not null check (academic_year between 2000 and 2100),
    class_teacher_id text,
    grading_scale_id text,
    name text not null,
    ${META},
    constraint classes_pk primary key (tenant_id, id),
    constraint classes_teacher_fk foreign key (tenant_id, class_teacher_id) references staff (tenant_id, id),
    constraint classes_scale_fk foreign key (tenant_id, grading_scale_id) references grading_scales (tenant_id, id)
  )`.execute(db);

  await sql`alter table students
    add column middle_name text,
    add column date_of_birth date,
    add column gender text check (gender in ('female', 'male', 'other')),
    add column class_id text,
    add column photo_file text,
    add column medical_notes text,
    add column meta jsonb not null default '{"f":{}}'::jsonb,
    add constraint students_class_fk foreign key (tenant_id, class_id) references classes (tenant_id, id)`.execute(db);
  // Admission numbers two offices gave twice are found by this (duplicates are allowed, and raised).
  await sql`create index students_admission_no_idx on students (tenant_id, admission_no) where not deleted`.execute(db);
  await sql`create index students_class_idx on students (tenant_id, class_id)`.execute(db);

  await sql`create table subjects (
    tenant_id text not null references tenants(id),
    id text not null,
    name text not null,
    code text not null,
    ${META},
    constraint subjects_pk primary key (tenant_id, id)
  )`.execute(db);

  await sql`create table class_subjects (
    tenant_id text not null references tenants(id),
    id text not null,
    class_id text not null,
    subject_id text not null,
    teacher_id text,
    compulsory boolean not null,
    ${META},
    constraint class_subjects_pk primary key (tenant_id, id),
    constraint class_subjects_class_fk foreign key (tenant_id, class_id) references classes (tenant_id, id),
    constraint class_subjects_subject_fk foreign key (tenant_id, subject_id) references subjects (tenant_id, id),
    constraint class_subjects_teacher_fk foreign key (tenant_id, teacher_id) references staff (tenant_id, id)
  )`.execute(db);

  await sql`create table student_subjects (
    tenant_id text not null references tenants(id),
    id text not null,
    student_id text not null,
    class_subject_id text not null,
    ${META},
    constraint student_subjects_pk primary key (tenant_id, id),
    constraint student_subjects_student_fk foreign key (tenant_id, student_id) references students (tenant_id, id),
    constraint student_subjects_class_subject_fk foreign key (tenant_id, class_subject_id) references class_subjects (tenant_id, id)
  )`.execute(db);

  await sql`create table guardians (
    tenant_id text not null references tenants(id),
    id text not null,
    name text not null,
    phone text,
    alt_phone text,
    email text,
    address text,
    ${META},
    constraint guardians_pk primary key (tenant_id, id)
  )`.execute(db);

  await sql`create table student_guardians (
    tenant_id text not null references tenants(id),
    id text not null,
    student_id text not null,
    guardian_id text not null,
    relationship text not null,
    pays_fees boolean not null,
    ${META},
    constraint student_guardians_pk primary key (tenant_id, id),
    constraint student_guardians_student_fk foreign key (tenant_id, student_id) references students (tenant_id, id),
    constraint student_guardians_guardian_fk foreign key (tenant_id, guardian_id) references guardians (tenant_id, id)
  )`.execute(db);
  // A guardian's phone change reaches the students linked to them through this.
  await sql`create index student_guardians_guardian_idx on student_guardians (tenant_id, guardian_id)`.execute(db);
  await sql`create index student_guardians_student_idx on student_guardians (tenant_id, student_id)`.execute(db);

  await sql`create table events (
    tenant_id text not null references tenants(id),
    id text not null,
    title text not null,
    type text not null check (type in ('term', 'exam', 'holiday', 'meeting', 'sports', 'other')),
    starts_on date not null,
    ends_on date not null,
    start_time text,
    end_time text,
    location text,
    description text not null,
    class_id text,
    ${META},
    constraint events_pk primary key (tenant_id, id),
    constraint events_class_fk foreign key (tenant_id, class_id) references classes (tenant_id, id)
  )`.execute(db);

  await sql`create table assessments (
    tenant_id text not null references tenants(id),
    id text not null,
    class_id text not null,
    subject_id text not null,
    term text not null,
    name text not null,
    weight integer not null check (weight between 1 and 100),
    max_score integer not null check (max_score between 1 and 1000),
    ${META},
    constraint assessments_pk primary key (tenant_id, id),
    constraint assessments_class_fk foreign key (tenant_id, class_id) references classes (tenant_id, id),
    constraint assessments_subject_fk foreign key (tenant_id, subject_id) references subjects (tenant_id, id)
  )`.execute(db);

  await sql`create table scores (
    tenant_id text not null references tenants(id),
    id text not null,
    assessment_id text not null,
    student_id text not null,
    score double precision check (score >= 0),
    ${META},
    constraint scores_pk primary key (tenant_id, id),
    constraint scores_assessment_fk foreign key (tenant_id, assessment_id) references assessments (tenant_id, id),
    constraint scores_student_fk foreign key (tenant_id, student_id) references students (tenant_id, id)
  )`.execute(db);
  // Lowering an assessment's maximum is checked against the scores already entered.
  await sql`create index scores_assessment_idx on scores (tenant_id, assessment_id)`.execute(db);

  await sql`create table report_comments (
    tenant_id text not null references tenants(id),
    id text not null,
    student_id text not null,
    term text not null,
    class_teacher_comment text not null,
    head_teacher_comment text not null,
    ${META},
    constraint report_comments_pk primary key (tenant_id, id),
    constraint report_comments_student_fk foreign key (tenant_id, student_id) references students (tenant_id, id)
  )`.execute(db);

  await sql`create table attendance_sessions (
    tenant_id text not null references tenants(id),
    id text not null,
    class_id text not null,
    date date not null,
    period text not null,
    taken_by text,
    note text not null,
    ${META},
    constraint attendance_sessions_pk primary key (tenant_id, id),
    constraint attendance_sessions_class_fk foreign key (tenant_id, class_id) references classes (tenant_id, id),
    constraint attendance_sessions_taken_by_fk foreign key (tenant_id, taken_by) references staff (tenant_id, id)
  )`.execute(db);

  await sql`create table attendance_records (
    tenant_id text not null references tenants(id),
    id text not null,
    session_id text not null,
    student_id text not null,
    status text not null check (status in ('present', 'absent', 'late', 'excused')),
    reason text,
    ${META},
    constraint attendance_records_pk primary key (tenant_id, id),
    constraint attendance_records_session_fk foreign key (tenant_id, session_id) references attendance_sessions (tenant_id, id),
    constraint attendance_records_student_fk foreign key (tenant_id, student_id) references students (tenant_id, id)
  )`.execute(db);

  await sql`create table messages (
    tenant_id text not null references tenants(id),
    id text not null,
    sender_id text not null,
    sender_name text not null,
    to_staff_ids jsonb not null check (jsonb_typeof(to_staff_ids) = 'array'),
    to_label text not null,
    subject text not null,
    body text not null,
    sent_at text not null,
    device_id text not null,
    _seq bigint not null,
    constraint messages_pk primary key (tenant_id, id),
    constraint messages_sender_fk foreign key (tenant_id, sender_id) references staff (tenant_id, id)
  )`.execute(db);

  await sql`create table message_reads (
    tenant_id text not null references tenants(id),
    id text not null,
    message_id text not null,
    staff_id text not null,
    read_at text not null,
    _seq bigint not null,
    constraint message_reads_pk primary key (tenant_id, id),
    constraint message_reads_once_uq unique (tenant_id, message_id, staff_id),
    constraint message_reads_message_fk foreign key (tenant_id, message_id) references messages (tenant_id, id),
    constraint message_reads_staff_fk foreign key (tenant_id, staff_id) references staff (tenant_id, id)
  )`.execute(db);

  await sql`create table record_conflicts (
    tenant_id text not null references tenants(id),
    id text not null,
    kind text not null check (kind in ('overwritten', 'duplicate')),
    table_name text not null,
    row_id text not null,
    field text not null,
    kept_value text not null,
    lost_value text not null,
    kept_by text,
    kept_device text,
    lost_by text,
    lost_device text,
    other_row_id text,
    raised_at text not null,
    resolved_at text,
    resolved_by text,
    resolution text check (resolution in ('kept', 'restored')),
    _seq bigint not null,
    constraint record_conflicts_pk primary key (tenant_id, id),
    constraint record_conflicts_resolved_ck check ((resolution is null) = (resolved_at is null))
  )`.execute(db);

  const seqTables = [...EDITABLE_TABLES, ...INSERT_ONLY_TABLES, 'record_conflicts'];
  for (const table of seqTables) {
    await sql`create index ${sql.id(`${table}_seq_idx`)} on ${sql.table(table)} (tenant_id, _seq)`.execute(db);
  }

  // The same wall as every tenant table (0002), insert-only where nothing may change (0005).
  const owner = (await sql<{ u: string }>`select current_user as u`.execute(db)).rows[0]!.u;
  for (const table of seqTables) {
    if ((EDITABLE_TABLES as readonly string[]).includes(table)) {
      await sql`grant select, insert, update on ${sql.table(table)} to ${sql.id(APP_ROLE)}`.execute(db);
    } else if (table === 'record_conflicts') {
      await sql`grant select, insert on record_conflicts to ${sql.id(APP_ROLE)}`.execute(db);
      await sql`grant update (resolved_at, resolved_by, resolution, _seq) on record_conflicts to ${sql.id(APP_ROLE)}`.execute(db);
    } else {
      await sql`grant select, insert on ${sql.table(table)} to ${sql.id(APP_ROLE)}`.execute(db);
    }
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    await sql`alter table ${sql.table(table)} force row level security`.execute(db);
    await sql`create policy ${sql.id(`${table}_tenant_isolation`)} on ${sql.table(table)}
      using (tenant_id = current_setting('app.tenant_id', true))
      with check (tenant_id = current_setting('app.tenant_id', true))`.execute(db);
    await sql`create policy ${sql.id(`${table}_owner_all`)} on ${sql.table(table)} to ${sql.id(owner)} using (true) with check (true)`.execute(db);
  }

  await grantSchoolOfficePermissions(db);
  await classesFromClassNames(db);
}

/** The new permissions each built-in role lacks, in one synced change per role (the 0006 pattern). */
async function grantSchoolOfficePermissions(db: Kysely<any>): Promise<void> {
  await sql`with wanted (key, permission, ord) as (values
        ('administrator', 'classes.manage', 1), ('administrator', 'scores.enter', 2), ('administrator', 'events.manage', 3),
        ('head_teacher', 'classes.manage', 1), ('head_teacher', 'scores.enter', 2), ('head_teacher', 'events.manage', 3),
        ('registrar', 'classes.manage', 1), ('registrar', 'events.manage', 3),
        ('teacher', 'scores.enter', 2)),
    missing as (
      select r.tenant_id, r.id, r.key, jsonb_agg(w.permission order by w.ord) as added
      from roles r join wanted w on w.key = r.key
      where not r.deleted and not (r.permissions @> jsonb_build_array(w.permission))
      group by r.tenant_id, r.id, r.key),
    todo as (
      select m.tenant_id, m.id, m.added,
        t.last_seq + row_number() over (partition by m.tenant_id order by m.key, m.id) as seq
      from missing m join tenants t on t.id = m.tenant_id),
    changed as (
      update roles r set permissions = r.permissions || todo.added, _seq = todo.seq
      from todo where r.tenant_id = todo.tenant_id and r.id = todo.id
      returning r.tenant_id, r.id, r.key, r.name, r.permissions, r._seq),
    logged as (
      insert into sync_changes (tenant_id, seq, table_name, row_id, op, row, mutation_id, device_id, author_id)
      select tenant_id, _seq, 'roles', id, 'update',
        jsonb_build_object('id', id, 'key', key, 'name', name, 'permissions', permissions), null, null, null
      from changed
      returning tenant_id, seq)
    update tenants t set last_seq = m.max_seq
    from (select tenant_id, max(seq) as max_seq from logged group by tenant_id) m
    where t.id = m.tenant_id`.execute(db);
}

/** Each distinct class name of a school's students becomes a class of the current academic year
 * (the year its current term starts, else this year), its level the first number in the name;
 * the students then point at it. Both are logged as changes. */
async function classesFromClassNames(db: Kysely<any>): Promise<void> {
  const names = await sql<{ tenant_id: string; name: string }>`select distinct tenant_id, btrim(class_name) as name
    from students where class_name is not null and btrim(class_name) <> '' order by tenant_id, name`.execute(db);
  if (names.rows.length === 0) return;
  const values = names.rows.map((r) => sql`(${r.tenant_id}, ${derivedId('migrated-class', r.tenant_id, r.name)}, ${r.name})`);
  const migrated = sql`migrated_classes (tenant_id, id, name) as (values ${sql.join(values)})`;

  await sql`with ${migrated},
    todo as (
      select m.tenant_id, m.id, m.name,
        least(coalesce(substring(m.name from '[0-9]+')::int, 0), 20) as level,
        coalesce(
          (select extract(year from tm.starts_on)::int from terms tm
            where tm.tenant_id = m.tenant_id and not tm.deleted and current_date between tm.starts_on and tm.ends_on
            order by tm.starts_on desc limit 1),
          extract(year from current_date)::int) as academic_year,
        t.last_seq + row_number() over (partition by m.tenant_id order by m.name) as seq
      from migrated_classes m join tenants t on t.id = m.tenant_id
      where not exists (select 1 from classes c where c.tenant_id = m.tenant_id and c.id = m.id)),
    inserted as (
      insert into classes (tenant_id, id, grade, level, stream, academic_year, class_teacher_id, grading_scale_id, name, _seq)
      select tenant_id, id, name, level, '', academic_year, null, null, name, seq from todo
      returning tenant_id, id, grade, level, stream, academic_year, name, meta, deleted, _seq),
    logged as (
      insert into sync_changes (tenant_id, seq, table_name, row_id, op, row, mutation_id, device_id, author_id)
      select tenant_id, _seq, 'classes', id, 'insert',
        jsonb_build_object('id', id, 'grade', grade, 'level', level, 'stream', stream, 'academic_year', academic_year,
          'class_teacher_id', null, 'grading_scale_id', null, 'name', name, 'deleted', deleted, 'meta', meta),
        null, null, null
      from inserted
      returning tenant_id, seq)
    update tenants t set last_seq = m.max_seq
    from (select tenant_id, max(seq) as max_seq from logged group by tenant_id) m
    where t.id = m.tenant_id`.execute(db);

  await sql`with ${migrated},
    todo as (
      select s.tenant_id, s.id, m.id as class_id, m.name as class_name,
        t.last_seq + row_number() over (partition by s.tenant_id order by s.id) as seq
      from students s
      join migrated_classes m on m.tenant_id = s.tenant_id and m.name = btrim(s.class_name)
      join tenants t on t.id = s.tenant_id
      where s.class_id is null),
    changed as (
      update students s set class_id = todo.class_id, class_name = todo.class_name, _seq = todo.seq
      from todo where s.tenant_id = todo.tenant_id and s.id = todo.id
      returning s.*),
    logged as (
      insert into sync_changes (tenant_id, seq, table_name, row_id, op, row, mutation_id, device_id, author_id)
      select tenant_id, _seq, 'students', id, 'update',
        jsonb_build_object('id', id, 'admission_no', admission_no, 'first_name', first_name, 'middle_name', middle_name,
          'last_name', last_name, 'date_of_birth', to_char(date_of_birth, 'YYYY-MM-DD'), 'gender', gender,
          'class_id', class_id, 'status', status, 'photo_file', photo_file, 'medical_notes', medical_notes,
          'class_name', class_name, 'guardian_phone', guardian_phone, 'deleted', deleted, 'meta', meta),
        null, null, null
      from changed
      returning tenant_id, seq)
    update tenants t set last_seq = m.max_seq
    from (select tenant_id, max(seq) as max_seq from logged group by tenant_id) m
    where t.id = m.tenant_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The permissions stay on the roles and class names on the students; the new tables go.
  await sql`delete from sync_changes where table_name in ('classes', 'subjects', 'class_subjects', 'student_subjects', 'guardians',
    'student_guardians', 'events', 'grading_scales', 'assessments', 'scores', 'report_comments', 'attendance_sessions',
    'attendance_records', 'messages', 'message_reads', 'record_conflicts')`.execute(db);
  await sql`drop index students_admission_no_idx`.execute(db);
  await sql`drop index students_class_idx`.execute(db);
  await sql`alter table students drop constraint students_class_fk, drop column middle_name, drop column date_of_birth,
    drop column gender, drop column class_id, drop column photo_file, drop column medical_notes, drop column meta`.execute(db);
  for (const table of [
    'record_conflicts',
    'message_reads',
    'messages',
    'attendance_records',
    'attendance_sessions',
    'report_comments',
    'scores',
    'assessments',
    'events',
    'student_guardians',
    'guardians',
    'student_subjects',
    'class_subjects',
    'subjects',
    'classes',
    'grading_scales',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
