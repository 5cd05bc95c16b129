// Tenant isolation of the school office's tables, and migration 0007 of an existing school. With
// school A's device and staff, B's records cannot be referenced; underneath, row-level security
// keeps the request role inside one school, messages and read receipts are insert-only, and a
// conflict's only updatable columns are its resolution. Both backends.
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import { attendanceRecordId, attendanceSessionId } from '../../shared/domain/attendance.js';
import { reportCommentId, scoreId } from '../../shared/domain/reports.js';
import { studentGuardianId } from '../../shared/domain/students.js';
import { classSubjectId, studentSubjectId, ClassRow } from '../../shared/domain/classes.js';
import { messageReadId } from '../../shared/domain/messages.js';
import { RoleRow } from '../../shared/domain/staff.js';
import type { EnrolResponse } from '../../shared/sync/protocol.js';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';
import { withTenant } from '../../sync-server/src/db/with-tenant.js';
import { openServerDb } from '../../sync-server/src/db/connect.js';
import { migrateToLatest } from '../../sync-server/src/db/migrate.js';
import { migrationProvider } from '../../sync-server/src/db/migrations/index.js';
import { SCHEMA_SHAPED_TABLES } from '../../sync-server/src/records/wire.js';
import { allocateSeqs } from '../../sync-server/src/changes/append.js';
import { addStaff, BACKENDS, backendSkipped, enrol, freshBackend, makeSchool, mutation, type TestSchool } from '../support/sync-server.js';
import { applied, closeBursaryServer, openBursaryServer, refused, type BursaryServer } from '../support/server-bursary.js';
import { create, save } from '../support/server-office.js';

describe.each(BACKENDS)('isolation of the school office on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let h: BursaryServer;
  let b: TestSchool;
  let deviceB: EnrolResponse;
  const ofB: Record<string, string> = {};
  const app_ = () => h.server.app as Kysely<ServerDatabase>;

  beforeAll(async () => {
    h = await openBursaryServer(kind, 'AAA');
    b = await makeSchool(h.server.db, 'BVA', 'Bamboo Valley Academy');
    deviceB = await enrol(h.app, b.officeCode, 'B office');
    const teacherB = (await addStaff(h.server.db, b.tenantId, b.roleIds.teacher!, { username: 'tb', displayName: 'Bvteacher' })).id;
    const adminB = b.adminId;
    const on = (m: ReturnType<typeof save>) => applied(h, m, deviceB);
    const scale = create<'grading_scales'>({ name: 'Bvscale', bands: [{ grade: 'A', min: 0, max: 100, remark: '' }], is_default: true });
    await on(save('grading_scales', [scale], adminB));
    const cls = create<'classes'>({ grade: 'Bvgrade 9', level: 9, stream: '', academic_year: 2027, class_teacher_id: teacherB, grading_scale_id: scale.id });
    await on(save('classes', [cls], adminB));
    const subject = create<'subjects'>({ name: 'Bvsubject', code: 'BV' });
    await on(save('subjects', [subject], adminB));
    const st = create<'students'>({ admission_no: 'BVA/1', first_name: 'Zuberi', middle_name: null, last_name: 'Quarshie', date_of_birth: null, gender: null, class_id: cls.id, status: 'enrolled', photo_file: null, medical_notes: null });
    await on(save('students', [st], adminB));
    const g = create<'guardians'>({ name: 'Bvguardian', phone: '+254 700 000 001', alt_phone: null, email: null, address: null });
    await on(save('guardians', [g], adminB));
    await on(save('student_guardians', [create<'student_guardians'>({ student_id: st.id, guardian_id: g.id, relationship: 'Aunt', pays_fees: true }, studentGuardianId(st.id, g.id))], adminB));
    const cs = classSubjectId(cls.id, subject.id);
    await on(save('class_subjects', [create<'class_subjects'>({ class_id: cls.id, subject_id: subject.id, teacher_id: teacherB, compulsory: false }, cs)], adminB));
    await on(save('student_subjects', [create<'student_subjects'>({ student_id: st.id, class_subject_id: cs }, studentSubjectId(st.id, cs))], adminB));
    await on(save('events', [create<'events'>({ title: 'Bvevent', type: 'other', starts_on: '2027-01-01', ends_on: '2027-01-01', start_time: null, end_time: null, location: null, description: '', class_id: cls.id })], adminB));
    const a = create<'assessments'>({ class_id: cls.id, subject_id: subject.id, term: 'T1', name: 'Bvcat', weight: 10, max_score: 20 });
    await on(save('assessments', [a], adminB));
    await on(save('scores', [create<'scores'>({ assessment_id: a.id, student_id: st.id, score: 10 }, scoreId(a.id, st.id))], adminB));
    await on(save('report_comments', [create<'report_comments'>({ student_id: st.id, term: 'T1', class_teacher_comment: 'Bv', head_teacher_comment: '' }, reportCommentId(st.id, 'T1'))], adminB));
    const session = attendanceSessionId(cls.id, '2027-01-05', '');
    await on(save('attendance_sessions', [create<'attendance_sessions'>({ class_id: cls.id, date: '2027-01-05', period: '', taken_by: teacherB, note: '' }, session)], adminB));
    const mark = attendanceRecordId(session, st.id);
    await on(save('attendance_records', [create<'attendance_records'>({ session_id: session, student_id: st.id, status: 'present', reason: null }, mark)], adminB));
    await on(save('attendance_records', [create<'attendance_records'>({ session_id: session, student_id: st.id, status: 'absent', reason: null }, mark)], teacherB)); // a conflict
    const msg = uuidv7();
    await applied(h, mutation({ id: msg, toStaffIds: [teacherB], toLabel: '', subject: 'Bv', body: '', sentAt: new Date().toISOString() }, { name: 'messages.send', authorId: adminB }), deviceB);
    await applied(h, mutation({ messageId: msg, readAt: new Date().toISOString() }, { name: 'messages.read', authorId: teacherB }), deviceB);
    Object.assign(ofB, { class: cls.id, student: st.id, subject: subject.id, guardian: g.id, assessment: a.id, session, message: msg, read: messageReadId(msg, teacherB) });

    // A's rows in every table too, so "sees only its own" is not vacuous.
    const sa = create<'students'>({ admission_no: 'AAA/1', first_name: 'Aa', middle_name: null, last_name: 'Aa', date_of_birth: null, gender: null, class_id: null, status: 'enrolled', photo_file: null, medical_notes: null });
    await applied(h, save('students', [sa], h.school.adminId));
  }, 120_000);
  afterAll(async () => {
    await closeBursaryServer(h);
  });

  it("A's device cannot point at B's class, student, guardian, assessment or register", async () => {
    const admin = h.school.adminId;
    await refused(h, save('students', [create<'students'>({ admission_no: 'AAA/2', first_name: 'X', middle_name: null, last_name: 'Y', date_of_birth: null, gender: null, class_id: ofB.class!, status: 'enrolled', photo_file: null, medical_notes: null })], admin), /^The class of X Y does not exist in this school/);
    await refused(h, save('scores', [create<'scores'>({ assessment_id: ofB.assessment!, student_id: ofB.student!, score: 1 }, scoreId(ofB.assessment!, ofB.student!))], admin), /does not exist in this school/);
    await refused(h, save('attendance_records', [create<'attendance_records'>({ session_id: ofB.session!, student_id: ofB.student!, status: 'present', reason: null }, attendanceRecordId(ofB.session!, ofB.student!))], admin), /does not exist in this school/);
    await refused(h, save('students', [{ id: ofB.student!, create: false, fields: { first_name: 'Hacked' }, base: {} }], admin), /^That student does not exist in this school/);
    await refused(h, mutation({ messageId: ofB.message!, readAt: new Date().toISOString() }, { name: 'messages.read', authorId: admin }), /^That message does not exist in this school/);
  });

  it.each(SCHEMA_SHAPED_TABLES)('%s: bound to A, no row of B; with no school set, none at all; B\'s rows cannot be touched', async (table) => {
    const seen = await withTenant(app_(), h.school.tenantId, (trx) => sql<{ t: string }>`select tenant_id as t from ${sql.table(table)}`.execute(trx).then((r) => r.rows.map((x) => x.t)));
    expect(seen.filter((t) => t !== h.school.tenantId)).toEqual([]);
    expect((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(app_())).rows[0]!.n).toBe(0);
    expect((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where tenant_id = ${b.tenantId}`.execute(h.server.db)).rows[0]!.n).toBeGreaterThan(0);
    // Moving B's rows into A (or anywhere) while bound to A touches nothing.
    const moved = await withTenant(app_(), h.school.tenantId, (trx) => sql`update ${sql.table(table)} set _seq = _seq where tenant_id = ${b.tenantId}`.execute(trx)).catch((e: Error) => e);
    if (!(moved instanceof Error)) expect(Number(moved.numAffectedRows ?? 0)).toBe(0);
  });

  it('messages and read receipts are insert-only; a conflict changes only its resolution', async () => {
    for (const table of ['messages', 'message_reads', 'record_conflicts']) {
      await expect(withTenant(app_(), b.tenantId, (trx) => sql`delete from ${sql.table(table)}`.execute(trx))).rejects.toThrow(/permission denied/);
    }
    await expect(withTenant(app_(), b.tenantId, (trx) => sql`update messages set body = 'x'`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(withTenant(app_(), b.tenantId, (trx) => sql`update message_reads set read_at = 'x'`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(withTenant(app_(), b.tenantId, (trx) => sql`update record_conflicts set kept_value = 'x'`.execute(trx))).rejects.toThrow(/permission denied/);
    await expect(withTenant(app_(), h.school.tenantId, (trx) =>
      trx.insertInto('messages').values({ tenant_id: b.tenantId, id: uuidv7(), sender_id: b.adminId, sender_name: 'x', to_staff_ids: '[]', to_label: '', subject: 'x', body: '', sent_at: '', device_id: deviceB.deviceId, _seq: 999_999 }).execute(),
    )).rejects.toThrow(/row-level security/);
  });
});

describe.each(BACKENDS)('migration 0007 of an existing school on %s', (kind) => {
  if (backendSkipped(kind)) return;

  it("turns each class name into a class its students point at, and gives the built-in roles the new permissions, as changes", async () => {
    const backend = await freshBackend(kind);
    const server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    try {
      const school = await makeSchool(server.db, 'OLD');
      const migrator = new Migrator({ db: server.db, provider: migrationProvider });
      expect((await migrator.migrateTo('0006_bursary')).error).toBeUndefined();
      await sql`update roles set permissions = permissions - 'classes.manage' - 'scores.enter' - 'events.manage' where tenant_id = ${school.tenantId}`.execute(server.db);
      // Students as 0006 stored them (no profile columns yet).
      let n = 0;
      const oldStudent = async (className: string | null) => {
        const id = uuidv7();
        await server.db.transaction().execute(async (trx) => {
          const seq = await allocateSeqs(trx, school.tenantId, 1);
          await sql`insert into students (tenant_id, id, admission_no, first_name, last_name, class_name, status, guardian_phone, _seq)
            values (${school.tenantId}, ${id}, ${`OLD/${++n}`}, 'Old', 'Student', ${className}, 'enrolled', null, ${seq})`.execute(trx);
        });
        return id;
      };
      const s1 = await oldStudent('Grade 4 A');
      const s2 = await oldStudent(' Grade 4 A ');
      const s3 = await oldStudent('PP2');
      const s4 = await oldStudent(null);
      const before = (await server.db.selectFrom('tenants').select('last_seq').where('id', '=', school.tenantId).executeTakeFirstOrThrow()).last_seq;

      await migrateToLatest(server.db);

      const classes = await sql<{ row: string; _seq: number }>`select jsonb_build_object('id', id, 'grade', grade, 'level', level, 'stream', stream,
          'academic_year', academic_year, 'class_teacher_id', class_teacher_id, 'grading_scale_id', grading_scale_id, 'name', name, 'deleted', deleted, 'meta', meta)::text as row, _seq
        from classes where tenant_id = ${school.tenantId} order by name`.execute(server.db);
      const rows = classes.rows.map((c) => ClassRow.parse(JSON.parse(c.row)));
      expect(rows.map((c) => [c.name, c.level, c.stream])).toEqual([['Grade 4 A', 4, ''], ['PP2', 2, '']]);
      const year = new Date().getUTCFullYear();
      expect(rows.every((c) => c.academic_year === year)).toBe(true);
      const students = await server.db.selectFrom('students').select(['id', 'class_id', 'class_name']).where('tenant_id', '=', school.tenantId).execute();
      const byId = new Map(students.map((s) => [s.id, s]));
      expect(byId.get(s1)!.class_id).toBe(rows[0]!.id);
      expect(byId.get(s2)).toMatchObject({ class_id: rows[0]!.id, class_name: 'Grade 4 A' });
      expect(byId.get(s3)!.class_id).toBe(rows[1]!.id);
      expect(byId.get(s4)!.class_id).toBeNull();

      const roles = await server.db.selectFrom('roles').select(['key', 'permissions']).where('tenant_id', '=', school.tenantId).execute();
      const perms = (key: string) => roles.find((r) => r.key === key)!.permissions.filter((p) => ['classes.manage', 'scores.enter', 'events.manage'].includes(p)).sort();
      expect(perms('administrator')).toEqual(['classes.manage', 'events.manage', 'scores.enter']);
      expect(perms('registrar')).toEqual(['classes.manage', 'events.manage']);
      expect(perms('teacher')).toEqual(['scores.enter']);
      expect(perms('bursar')).toEqual([]);

      // Every change logged: 4 roles, 2 classes, 3 students; each row as its schema has it.
      const changes = await server.db.selectFrom('sync_changes').select(['table_name', 'row']).where('tenant_id', '=', school.tenantId).where('seq', '>', before).execute();
      expect(changes.map((c) => c.table_name).sort()).toEqual(['classes', 'classes', 'roles', 'roles', 'roles', 'roles', 'students', 'students', 'students']);
      for (const c of changes.filter((x) => x.table_name === 'roles')) RoleRow.parse(c.row);
      const after = (await server.db.selectFrom('tenants').select('last_seq').where('id', '=', school.tenantId).executeTakeFirstOrThrow()).last_seq;
      expect(after).toBe(before + 9);

      // Down and up again: the same class ids (derived), nothing duplicated.
      expect((await migrator.migrateTo('0006_bursary')).error).toBeUndefined();
      await migrateToLatest(server.db);
      const again = await sql<{ id: string }>`select id from classes where tenant_id = ${school.tenantId} order by name`.execute(server.db);
      expect(again.rows.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    } finally {
      await server.close();
      await backend.drop();
    }
  }, 60_000);
});
