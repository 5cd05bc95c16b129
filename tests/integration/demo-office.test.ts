// The demo school's office (npm start, --seed-demo), on both backends: every student in a class
// with at least one guardian, siblings sharing theirs, guardian phones derived as the app derives
// them, the default grading scale valid, every score within its assessment and its class, every
// register of the last school days marking exactly the class's students, the calendar and the
// staff's messages coherent; every row written as the server writes rows; seeding twice adds
// nothing; and a device that syncs holds the same school office.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { eventProblem } from '../../shared/domain/calendar.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import { gradeBandProblems, type GradeBand } from '../../shared/domain/reports.js';
import { guardianPhones } from '../../shared/domain/students.js';
import { rowSchemas, type SyncedTable } from '../../shared/sync/protocol.js';
import { verifyPassword } from '../../sync-server/src/auth/passwords.js';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';
import { DEMO_SCHOOL, DEMO_STAFF, DEMO_TEACHERS, seedDemoSchool } from '../../sync-server/src/demo/seed-demo.js';
import { DEMO_REGISTER_DAYS } from '../../sync-server/src/demo/office-attendance.js';
import { CLASSES } from '../../sync-server/src/demo/names.js';
import { OFFICE_TABLES } from '../../sync-server/src/demo/office-plan.js';
import { upcomingDemoEvents } from '../../sync-server/src/demo/office-calendar.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { call, Fleet } from '../support/fleet.js';
import { BACKENDS, backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { waitFor } from '../support/wait.js';

const STUDENTS = 400;
const TZ = DEMO_SCHOOL.timeZone;
type Db = Kysely<ServerDatabase>;

const TABLES = ['students', 'classes', 'subjects', 'class_subjects', ...OFFICE_TABLES] as const satisfies readonly SyncedTable[];

async function count(db: Db, table: SyncedTable): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${DEMO_SCHOOL.id}`.execute(db);
  return Number(rows[0]!.n);
}

async function expectOffice(db: Db, now: Date): Promise<void> {
  const students = await db
    .selectFrom('students')
    .select(['id', 'class_id', 'class_name', 'status', 'guardian_phone', 'gender'])
    .select(sql<string | null>`to_char(date_of_birth, 'YYYY-MM-DD')`.as('date_of_birth'))
    .where('tenant_id', '=', DEMO_SCHOOL.id)
    .execute();
  expect(students).toHaveLength(STUDENTS);
  const classes = await db.selectFrom('classes').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  const classById = new Map(classes.map((c) => [c.id, c]));

  // The 14 classes, each with a teacher who holds the teacher role.
  expect(classes.map((c) => c.name).sort()).toEqual([...CLASSES].sort());
  const teacherRole = await db.selectFrom('roles').select('id').where('tenant_id', '=', DEMO_SCHOOL.id).where('key', '=', 'teacher').executeTakeFirstOrThrow();
  const teachers = await db.selectFrom('staff').select(['id', 'username', 'password_hash']).where('tenant_id', '=', DEMO_SCHOOL.id).where('role_id', '=', teacherRole.id).execute();
  expect(teachers.map((t) => t.id).sort()).toEqual(DEMO_TEACHERS.map((t) => t.id).sort());
  for (const c of classes) {
    expect(c).toMatchObject({ grade: `Grade ${c.level}`, academic_year: 2026, name: `Grade ${c.level} ${c.stream}`, deleted: false });
    expect(teachers.map((t) => t.id)).toContain(c.class_teacher_id);
  }
  // The documented demo teacher and a colleague sign in with the demo teacher's password.
  for (const t of teachers.filter((x) => x.username === DEMO_STAFF.teacher.username || x.username === DEMO_TEACHERS[1]!.username)) {
    expect(await verifyPassword(DEMO_STAFF.teacher.password, t.password_hash)).toBe(true);
  }

  // Every student is in a class (its name kept on the student) and has a gender and a birth date.
  for (const s of students) {
    const cls = classById.get(s.class_id ?? '');
    expect(cls, `student ${s.id}`).toBeDefined();
    expect(s.class_name).toBe(cls!.name);
    expect(s.gender).toMatch(/^(female|male)$/);
    expect(Number(s.date_of_birth!.slice(0, 4))).toBe(2026 - cls!.level - 6);
  }

  // Guardians: everyone has one or two, one of whom pays; phones derived as guardianPhones() does.
  const links = await db.selectFrom('student_guardians').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  const guardians = new Map((await db.selectFrom('guardians').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute()).map((g) => [g.id, g]));
  const linksOf = new Map<string, typeof links>();
  for (const l of links) linksOf.set(l.student_id, [...(linksOf.get(l.student_id) ?? []), l]);
  for (const s of students) {
    const own = linksOf.get(s.id) ?? [];
    expect(own.length, `guardians of ${s.id}`).toBeGreaterThanOrEqual(1);
    expect(own.length).toBeLessThanOrEqual(2);
    expect(own.filter((l) => l.pays_fees)).toHaveLength(1);
    const phones = guardianPhones(own.map((l) => ({ pays_fees: l.pays_fees, phone: guardians.get(l.guardian_id)!.phone, alt_phone: guardians.get(l.guardian_id)!.alt_phone })));
    expect(s.guardian_phone).toBe(phones);
  }
  expect(students.filter((s) => s.guardian_phone !== null).length / STUDENTS).toBeGreaterThan(0.9);
  expect([...guardians.values()].some((g) => g.email !== null)).toBe(true);

  // Siblings: children who share one guardian share all of them; about one family in seven.
  const childrenOf = new Map<string, string[]>();
  for (const l of links) childrenOf.set(l.guardian_id, [...(childrenOf.get(l.guardian_id) ?? []), l.student_id]);
  const guardianSet = (studentId: string) => (linksOf.get(studentId) ?? []).map((l) => l.guardian_id).sort().join();
  const families = new Set(links.map((l) => guardianSet(l.student_id)));
  let siblingFamilies = 0;
  for (const family of families) {
    const children = childrenOf.get(family.split(',')[0]!)!;
    for (const c of children) expect(guardianSet(c)).toBe(family);
    expect(children.length).toBeLessThanOrEqual(3);
    if (children.length > 1) siblingFamilies++;
  }
  expect(siblingFamilies / families.size).toBeGreaterThan(0.07);
  expect(siblingFamilies / families.size).toBeLessThan(0.25);

  // The default grading scale is valid.
  const scales = await db.selectFrom('grading_scales').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  expect(scales).toHaveLength(1);
  expect(scales[0]!.is_default).toBe(true);
  expect(gradeBandProblems(scales[0]!.bands as GradeBand[])).toEqual([]);
  expect((scales[0]!.bands as GradeBand[]).map((b) => `${b.grade} ${b.min}-${b.max}`)).toEqual(['A 80-100', 'B 65-79', 'C 50-64', 'D 40-49', 'E 0-39']);

  // Two assessments of every subject in every class; scores within the maximum, in half marks,
  // only for enrolled students of the class who take the subject, most of them filled in.
  const classSubjects = await db.selectFrom('class_subjects').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  expect(classSubjects).toHaveLength(CLASSES.length * 7);
  expect(classSubjects.filter((cs) => !cs.compulsory)).toHaveLength(CLASSES.length);
  for (const cs of classSubjects) expect(teachers.map((t) => t.id)).toContain(cs.teacher_id);
  const assessments = await db.selectFrom('assessments').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  expect(assessments).toHaveLength(classSubjects.length * 2);
  const assessmentById = new Map(assessments.map((a) => [a.id, a]));
  expect(new Set(assessments.map((a) => `${a.name} ${a.weight} ${a.max_score} ${a.term}`))).toEqual(new Set(['CAT 1 30 30 Term 3 2026', 'End of term 70 100 Term 3 2026']));
  const optionalTakers = new Set(
    (await db.selectFrom('student_subjects').select(['student_id', 'class_subject_id']).where('tenant_id', '=', DEMO_SCHOOL.id).execute()).map((o) => `${o.student_id}/${o.class_subject_id}`),
  );
  const studentById = new Map(students.map((s) => [s.id, s]));
  const scores = await db.selectFrom('scores').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  let possible = 0;
  for (const cs of classSubjects) {
    const takers = students.filter((s) => s.status === 'enrolled' && s.class_id === cs.class_id && (cs.compulsory || optionalTakers.has(`${s.id}/${cs.id}`)));
    possible += takers.length * 2;
  }
  for (const sc of scores) {
    const a = assessmentById.get(sc.assessment_id)!;
    const s = studentById.get(sc.student_id)!;
    expect(sc.score).not.toBeNull();
    expect(sc.score!).toBeGreaterThanOrEqual(0);
    expect(sc.score!).toBeLessThanOrEqual(a.max_score);
    expect(Number.isInteger(sc.score! * 2)).toBe(true);
    expect(s).toMatchObject({ status: 'enrolled', class_id: a.class_id });
    const cs = classSubjects.find((x) => x.class_id === a.class_id && x.subject_id === a.subject_id)!;
    if (!cs.compulsory) expect(optionalTakers.has(`${s.id}/${cs.id}`)).toBe(true);
  }
  expect(scores.length).toBeLessThan(possible);
  expect(scores.length / possible).toBeGreaterThan(0.9);
  expect(await count(db, 'report_comments')).toBeGreaterThan(0);

  // Registers of the last school days before today, each marking exactly its class's enrolled students.
  const sessions = await db
    .selectFrom('attendance_sessions')
    .select(['id', 'class_id', 'taken_by', 'period'])
    .select(sql<string>`to_char(date, 'YYYY-MM-DD')`.as('date'))
    .where('tenant_id', '=', DEMO_SCHOOL.id)
    .execute();
  const today = schoolDate(now, TZ);
  const days = [...new Set(sessions.map((s) => s.date))].sort();
  expect(days).toHaveLength(DEMO_REGISTER_DAYS);
  expect(sessions).toHaveLength(DEMO_REGISTER_DAYS * CLASSES.length);
  for (const d of days) {
    expect(d < today).toBe(true);
    expect([1, 2, 3, 4, 5]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
  }
  for (const s of sessions) expect(s).toMatchObject({ period: '', taken_by: classById.get(s.class_id)!.class_teacher_id });
  const records = await db.selectFrom('attendance_records').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const marked = new Map<string, Set<string>>();
  for (const r of records) {
    const session = sessionById.get(r.session_id)!;
    expect(studentById.get(r.student_id)).toMatchObject({ status: 'enrolled', class_id: session.class_id });
    marked.set(r.session_id, (marked.get(r.session_id) ?? new Set()).add(r.student_id));
    if (r.status === 'excused') expect(r.reason).not.toBeNull();
  }
  for (const s of sessions) expect(marked.get(s.id)?.size).toBe(students.filter((x) => x.status === 'enrolled' && x.class_id === s.class_id).length);
  const present = records.filter((r) => r.status === 'present').length / records.length;
  expect(present).toBeGreaterThan(0.88);
  expect(present).toBeLessThan(0.97);
  expect(new Set(records.map((r) => r.status))).toEqual(new Set(['present', 'late', 'absent', 'excused']));

  // The term's calendar and the staff's messages.
  const events = await db
    .selectFrom('events')
    .select(['title', 'type', 'start_time', 'end_time'])
    .select([sql<string>`to_char(starts_on, 'YYYY-MM-DD')`.as('starts_on'), sql<string>`to_char(ends_on, 'YYYY-MM-DD')`.as('ends_on')])
    .where('tenant_id', '=', DEMO_SCHOOL.id)
    .execute();
  for (const e of events) expect(eventProblem(e)).toBeNull();
  const upcoming = upcomingDemoEvents(today);
  expect(events.map((e) => e.type).sort()).toEqual(['exam', 'holiday', 'meeting', 'sports', 'term', 'term', ...upcoming.events.map((e) => e.type)].sort());
  // Meetings after the seeding day, on school days, whatever day it is: 3 and 10 days on at the earliest.
  const after = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const staffMeeting = events.find((e) => e.title === 'Staff meeting')!;
  const boardMeeting = events.find((e) => e.title === 'Board of management meeting')!;
  expect(staffMeeting.starts_on >= after(3) && staffMeeting.starts_on <= after(5)).toBe(true);
  expect(boardMeeting.starts_on >= after(10) && boardMeeting.starts_on <= after(12)).toBe(true);
  for (const m of [staffMeeting, boardMeeting]) expect([1, 2, 3, 4, 5]).toContain(new Date(`${m.starts_on}T00:00:00Z`).getUTCDay());
  const messages = await db.selectFrom('messages').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  const toAll = messages.filter((m) => m.to_label === 'All teachers');
  expect(toAll).toHaveLength(1);
  expect([...toAll[0]!.to_staff_ids].sort()).toEqual(DEMO_TEACHERS.map((t) => t.id).sort());
  for (const m of messages) expect(m.sent_at < now.toISOString()).toBe(true);
  const reads = await db.selectFrom('message_reads').selectAll().where('tenant_id', '=', DEMO_SCHOOL.id).execute();
  expect(reads.length).toBeGreaterThan(0);
  expect(new Set(reads.map((r) => r.message_id)).size).toBeLessThan(messages.length);
  for (const r of reads) expect(messages.find((m) => m.id === r.message_id)!.to_staff_ids).toContain(r.staff_id);
  // The administrator, the bursar and the teacher each have something unread when they first sign in.
  for (const person of [DEMO_STAFF.admin, DEMO_STAFF.bursar, DEMO_STAFF.teacher]) {
    const unread = messages.filter((m) => m.to_staff_ids.includes(person.id) && !reads.some((r) => r.message_id === m.id && r.staff_id === person.id));
    expect(unread.length, person.username).toBeGreaterThanOrEqual(1);
  }
  expect(messages.find((m) => m.to_label === 'All staff')!.subject).toBe(`Staff meeting on ${new Date(`${staffMeeting.starts_on}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })}`);

  // Written as the server writes rows: each row's latest change is its wire row (deleted false,
  // no field stamped yet), at the row's seq.
  for (const table of TABLES) {
    const { rows } = await sql<{ row_id: string; row: Record<string, unknown>; seq: number; stored: number }>`
      select c.row_id, c.row, c.seq, t._seq as stored from sync_changes c join ${sql.table(table)} t on t.tenant_id = c.tenant_id and t.id = c.row_id
      where c.tenant_id = ${DEMO_SCHOOL.id} and c.table_name = ${table} and c.seq = t._seq`.execute(db);
    expect(rows, table).toHaveLength(await count(db, table));
    for (const r of rows) {
      const row = rowSchemas[table].parse(r.row) as Record<string, unknown>;
      if ('meta' in row) expect(row).toMatchObject({ deleted: false, meta: { f: {} } });
    }
  }
}

describe("the demo's upcoming events", () => {
  it('follow the seeding day: a staff meeting 3 and a board meeting 10 days on (the next school day), the next term opening when the demo has it', () => {
    const wednesday = upcomingDemoEvents('2026-11-18');
    expect(wednesday.events.map((e) => [e.title, e.starts_on])).toEqual([
      ['Staff meeting', '2026-11-23'],
      ['Board of management meeting', '2026-11-30'],
    ]);
    expect(upcomingDemoEvents('2026-11-18')).toEqual(wednesday);
    expect(upcomingDemoEvents('2026-03-10').events.map((e) => [e.title, e.starts_on])).toEqual([
      ['Staff meeting', '2026-03-13'],
      ['Board of management meeting', '2026-03-20'],
      ['Term 2 2026 opens', '2026-04-27'],
    ]);
  });
});

describe.each(BACKENDS)("the demo school's office on %s", (kind) => {
  if (backendSkipped(kind)) return;
  const fleet = new Fleet(() => server!);
  let server: RunningSyncServer | undefined;
  let backend: BackendConfig | undefined;
  afterAll(async () => {
    await fleet.closeAll();
    await server?.close();
    await backend?.drop();
  });

  it('is seeded once, coherent: classes, guardians and siblings, marks, registers, calendar and messages', async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), seedDemo: { students: STUDENTS }, liveTimeoutMs: 1000 });
    const db = server.db.db;
    await expectOffice(db, new Date());

    // Seeding again (the next npm start) adds nothing and changes nothing.
    const before = await db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow();
    const changes = (await sql<{ n: string }>`select count(*) as n from sync_changes`.execute(db)).rows[0]!.n;
    await seedDemoSchool(db, { students: STUDENTS });
    expect(await db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow()).toEqual(before);
    expect((await sql<{ n: string }>`select count(*) as n from sync_changes`.execute(db)).rows[0]!.n).toBe(changes);
  }, 120_000);

  it('a device that syncs holds the same school office', async () => {
    const db = server!.db.db;
    const core = await fleet.enrol('Front office');
    const local = (table: string) => core.store.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
    const expected = Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await count(db, t)] as const)));
    await waitFor('the school office to reach the device', async () => TABLES.every((t) => local(t) === expected[t]), 60_000);
    // Derived columns arrive as the server derived them.
    const serverStudents = await db.selectFrom('students').select(['id', 'class_id', 'class_name', 'guardian_phone']).where('tenant_id', '=', DEMO_SCHOOL.id).orderBy('id').execute();
    expect(core.store.sqlite.prepare('select id, class_id, class_name, guardian_phone from students order by id').all()).toEqual(serverStudents);
    // The administrator's dashboard shows the meetings coming up and an unread message.
    await call(core, 'auth.login', { username: DEMO_STAFF.admin.username, password: DEMO_STAFF.admin.password });
    const dashboard = await call<{ upcoming: { title: string }[]; unreadMessages: number }>(core, 'office.dashboard', {});
    expect(dashboard.upcoming.map((e) => e.title)).toEqual(expect.arrayContaining(['Staff meeting', 'Board of management meeting']));
    expect(dashboard.unreadMessages).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('a demo seeded before the school office existed gets it on the next start, once', async () => {
    const db = server!.db.db;
    // The demo as migration 0007 leaves one seeded before issue 5: classes made from the
    // students' class names (no stream, no teacher), students without a profile or guardians.
    for (const table of ['message_reads', 'messages', 'attendance_records', 'attendance_sessions', 'report_comments', 'scores', 'assessments', 'events', 'student_subjects', 'student_guardians', 'guardians', 'grading_scales', 'class_subjects', 'subjects']) {
      await sql`delete from ${sql.table(table)} where tenant_id = ${DEMO_SCHOOL.id}`.execute(db);
    }
    await sql`update classes set grade = name, level = substring(name from '[0-9]+')::int, stream = '', class_teacher_id = null where tenant_id = ${DEMO_SCHOOL.id}`.execute(db);
    await sql`update students set middle_name = null, date_of_birth = null, gender = null, medical_notes = null, guardian_phone = '+254 700 000 000' where tenant_id = ${DEMO_SCHOOL.id}`.execute(db);
    await db.deleteFrom('staff').where('tenant_id', '=', DEMO_SCHOOL.id).where('id', 'in', DEMO_TEACHERS.slice(1).map((t) => t.id)).execute();
    const classIds = (await db.selectFrom('classes').select('id').where('tenant_id', '=', DEMO_SCHOOL.id).orderBy('id').execute()).map((c) => c.id);

    await seedDemoSchool(db, { students: STUDENTS });
    await expectOffice(db, new Date());
    // The same classes (the students' links kept), now with their grade, stream and teacher.
    expect((await db.selectFrom('classes').select('id').where('tenant_id', '=', DEMO_SCHOOL.id).orderBy('id').execute()).map((c) => c.id)).toEqual(classIds);
    const before = await db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow();
    await seedDemoSchool(db, { students: STUDENTS });
    expect(await db.selectFrom('tenants').select('last_seq').where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow()).toEqual(before);
  }, 120_000);
});
