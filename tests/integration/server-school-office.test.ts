// The school office on the sync server: editable records merged field by field through the real
// push route (both backends): offline edits of different and of the same fields, duplicate
// admission numbers, registers marked twice, derived columns kept in step, tombstones, refusals
// that change nothing, conflicts resolved, messages, and what a teacher-room device receives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import { attendanceRecordId, attendanceSessionId } from '../../shared/domain/attendance.js';
import { reportCommentId, scoreId } from '../../shared/domain/reports.js';
import { studentGuardianId, type StudentFields } from '../../shared/domain/students.js';
import { messageReadId } from '../../shared/domain/messages.js';
import { PROFILE_TABLES, rowSchemas, type SyncedTable } from '../../shared/sync/protocol.js';
import { addStaff, BACKENDS, backendSkipped, mutation } from '../support/sync-server.js';
import { applied, closeBursaryServer, openBursaryServer, push, refused, shape, shapedRow, type BursaryServer } from '../support/server-bursary.js';
import { conflictsOf, create, edit, save, serverRow } from '../support/server-office.js';

describe.each(BACKENDS)('the school office on the server (%s)', (kind) => {
  if (backendSkipped(kind)) return;

  let h: BursaryServer;
  let registrar: string;
  let teacher2: string;
  let grade4: string;
  let grade5: string;
  let amina: string;
  let brian: string;
  const admin = () => h.school.adminId;

  const student = (o: Partial<StudentFields> = {}): StudentFields => ({
    admission_no: `KHS/${Math.floor(Math.random() * 1e6)}`,
    first_name: 'Amina',
    middle_name: null,
    last_name: 'Achieng',
    date_of_birth: '2016-03-14',
    gender: 'female',
    class_id: grade4,
    status: 'enrolled',
    photo_file: null,
    medical_notes: null,
    ...o,
  });
  const klass = (grade: string, level: number, stream: string) => ({ grade, level, stream, academic_year: 2027, class_teacher_id: null, grading_scale_id: null });

  beforeAll(async () => {
    h = await openBursaryServer(kind);
    registrar = (await addStaff(h.server.db, h.school.tenantId, h.school.roleIds.registrar!, { username: 'registrar', displayName: 'Rose Wanjiru' })).id;
    teacher2 = (await addStaff(h.server.db, h.school.tenantId, h.school.roleIds.teacher!, { username: 'teacher2', displayName: 'Tom Ouma' })).id;
    const c4 = create<'classes'>(klass('Grade 4', 4, 'East'));
    const c5 = create<'classes'>(klass('Grade 5', 5, ''));
    await applied(h, save('classes', [c4, c5], registrar));
    [grade4, grade5] = [c4.id, c5.id];
    const a = create<'students'>(student({ admission_no: 'KHS/1' }));
    const b = create<'students'>(student({ admission_no: 'KHS/2', first_name: 'Brian', last_name: 'Kip', gender: 'male' }));
    await applied(h, save('students', [a, b], registrar));
    [amina, brian] = [a.id, b.id];
  }, 60_000);
  afterAll(async () => {
    await closeBursaryServer(h);
  });

  it('derives the class name, and a student\'s class name, on the server', async () => {
    expect(await serverRow(h, 'classes', grade4)).toMatchObject({ name: 'Grade 4 East', deleted: false });
    expect(await serverRow(h, 'classes', grade5)).toMatchObject({ name: 'Grade 5' });
    const row = await serverRow(h, 'students', amina);
    expect(row).toMatchObject({ class_id: grade4, class_name: 'Grade 4 East', date_of_birth: '2016-03-14', guardian_phone: null });
    expect(await shapedRow(h, h.office, 'students', amina)).toEqual(row);
  });

  it('keeps both of two offline edits of different fields, with no conflict', async () => {
    const e1 = await edit(h, 'students', amina, { middle_name: 'Wanjiku' });
    const e2 = await edit(h, 'students', amina, { medical_notes: 'Asthma' });
    await applied(h, save('students', [e1], registrar), h.office);
    await applied(h, save('students', [e2], admin()), h.otherOffice);
    expect(await serverRow(h, 'students', amina)).toMatchObject({ middle_name: 'Wanjiku', medical_notes: 'Asthma' });
    expect(await conflictsOf(h, amina)).toEqual([]);
  });

  it('lets the later push win an edit of the same field and raises one conflict with both values, authors and devices', async () => {
    const e1 = await edit(h, 'students', brian, { last_name: 'Kiprono' });
    const e2 = await edit(h, 'students', brian, { last_name: 'Kiprotich' });
    await applied(h, save('students', [e1], registrar), h.office);
    await applied(h, save('students', [e2], admin()), h.otherOffice);
    expect(await serverRow(h, 'students', brian)).toMatchObject({ last_name: 'Kiprotich' });
    const conflicts = await conflictsOf(h, brian);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      kind: 'overwritten',
      table_name: 'students',
      field: 'last_name',
      kept_value: '"Kiprotich"',
      lost_value: '"Kiprono"',
      kept_by: admin(),
      kept_device: h.otherOffice.deviceId,
      lost_by: registrar,
      lost_device: h.office.deviceId,
      resolution: null,
    });
    expect(await shapedRow(h, h.office, 'record_conflicts', conflicts[0]!.id)).toEqual(conflicts[0]);
  });

  it('raises no conflict when the same device edits a field twice offline', async () => {
    const first = await edit(h, 'students', amina, { first_name: 'Aminah' });
    await applied(h, save('students', [first], registrar));
    await applied(h, save('students', [{ ...first, fields: { first_name: 'Amina' } }], registrar));
    expect(await serverRow(h, 'students', amina)).toMatchObject({ first_name: 'Amina' });
    expect((await conflictsOf(h, amina)).filter((c) => c.field === 'first_name')).toEqual([]);
  });

  it('saves both students given one admission number offline, and raises a duplicate conflict', async () => {
    const c = create<'students'>(student({ admission_no: 'KHS/2', first_name: 'Cynthia', last_name: 'Moraa' }));
    await applied(h, save('students', [c], admin()), h.otherOffice);
    expect(await serverRow(h, 'students', c.id)).toMatchObject({ admission_no: 'KHS/2', deleted: false });
    const [dup] = await conflictsOf(h, c.id);
    expect(dup).toMatchObject({ kind: 'duplicate', field: 'admission_no', other_row_id: brian, kept_by: admin(), lost_by: registrar, kept_value: '"KHS/2"' });
    // Restoring cannot settle a duplicate; keeping can.
    await refused(h, mutation({ conflictId: dup!.id, resolution: 'restored', resolvedAt: new Date().toISOString() }, { name: 'conflicts.resolve', authorId: registrar }), /another admission number/);
  });

  describe('attendance', () => {
    let session: string;
    beforeAll(async () => {
      session = attendanceSessionId(grade4, '2027-02-01', '');
      await applied(h, save('attendance_sessions', [create<'attendance_sessions'>({ class_id: grade4, date: '2027-02-01', period: '', taken_by: h.staff.teacher, note: '' }, session)], h.staff.teacher), h.teacherRoom);
    });

    it('keeps the later mark of two teachers and logs the other teacher\'s as a conflict', async () => {
      const id = attendanceRecordId(session, amina);
      const mark = (status: 'present' | 'absent') => create<'attendance_records'>({ session_id: session, student_id: amina, status, reason: null }, id);
      await applied(h, save('attendance_records', [mark('present')], h.staff.teacher), h.teacherRoom);
      await applied(h, save('attendance_records', [mark('absent')], teacher2), h.office);
      expect(await serverRow(h, 'attendance_records', id)).toMatchObject({ status: 'absent' });
      const conflicts = await conflictsOf(h, id);
      expect(conflicts.map((c) => [c.field, c.kept_value, c.lost_value, c.lost_by, c.kept_by])).toEqual([['status', '"absent"', '"present"', h.staff.teacher, teacher2]]);
    });

    it('raises nothing when one teacher corrects a mark from two devices', async () => {
      const id = attendanceRecordId(session, brian);
      const mark = (status: 'present' | 'late') => create<'attendance_records'>({ session_id: session, student_id: brian, status, reason: null }, id);
      await applied(h, save('attendance_records', [mark('present')], h.staff.teacher), h.teacherRoom);
      await applied(h, save('attendance_records', [mark('late')], h.staff.teacher), h.office);
      expect(await serverRow(h, 'attendance_records', id)).toMatchObject({ status: 'late' });
      expect(await conflictsOf(h, id)).toEqual([]);
    });

    it('refuses a mark for a student who is not in the register\'s class, changing nothing', async () => {
      const d = create<'students'>(student({ admission_no: 'KHS/9', first_name: 'Dan', last_name: 'Otieno', class_id: grade5 }));
      await applied(h, save('students', [d], registrar));
      const id = attendanceRecordId(session, d.id);
      await refused(
        h,
        save('attendance_records', [create<'attendance_records'>({ session_id: session, student_id: d.id, status: 'present', reason: null }, id)], h.staff.teacher),
        /^Dan Otieno is not in Grade 4 East, so cannot be marked in its register of 2027-02-01; nothing was changed\.$/,
      );
    });
  });

  describe('bad input is refused with the reason, and nothing changes', () => {
    it('a score above the assessment\'s maximum', async () => {
      const subject = create<'subjects'>({ name: 'Mathematics', code: 'MATH' });
      await applied(h, save('subjects', [subject], registrar));
      const cat = create<'assessments'>({ class_id: grade4, subject_id: subject.id, term: 'Term 1 2027', name: 'CAT 1', weight: 30, max_score: 100 });
      await applied(h, save('assessments', [cat], h.staff.teacher));
      const id = scoreId(cat.id, amina);
      await refused(h, save('scores', [create<'scores'>({ assessment_id: cat.id, student_id: amina, score: 112 }, id)], h.staff.teacher), /^Amina Achieng's score 112 in CAT 1 is above its maximum of 100; nothing was changed\.$/);
      await applied(h, save('scores', [create<'scores'>({ assessment_id: cat.id, student_id: amina, score: 87.5 }, id)], h.staff.teacher));
      expect(await serverRow(h, 'scores', id)).toMatchObject({ score: 87.5 });
      await refused(h, save('assessments', [await edit(h, 'assessments', cat.id, { max_score: 50 })], h.staff.teacher), /1 score is in CAT 1 above the new maximum of 50/);
    });

    it('an event that ends before it starts', async () => {
      const e = create<'events'>({ title: 'Sports day', type: 'sports', starts_on: '2027-03-10', ends_on: '2027-03-09', start_time: null, end_time: null, location: null, description: '', class_id: null });
      await refused(h, save('events', [e], registrar), /^The event ends before it starts \(the event "Sports day"\); nothing was changed\.$/);
    });

    it('an impossible date', async () => {
      await refused(h, save('students', [await edit(h, 'students', amina, { date_of_birth: '2016-02-30' })], registrar), /date_of_birth/);
    });

    it('an unknown class', async () => {
      await refused(h, save('students', [await edit(h, 'students', amina, { class_id: uuidv7() })], registrar), /^The class of Amina Achieng does not exist in this school/);
    });

    it('an update of a record that does not exist', async () => {
      await refused(h, save('students', [{ id: uuidv7(), create: false, fields: { first_name: 'Zed' }, base: {} }], registrar), /^That student does not exist in this school \(it may not have synced yet\); nothing was changed\.$/);
    });

    it('a create missing fields, and a field not in the schema', async () => {
      await refused(h, save('guardians', [{ id: uuidv7(), create: true, fields: { name: 'Jane' }, base: {} }], registrar), /^A new guardian must give every field; missing: phone, alt_phone, email, address\./);
      await refused(h, save('students', [{ id: amina, create: false, fields: { class_name: 'Grade 9' }, base: {} }], registrar), /class_name|Unrecognized/);
    });

    it('a message to an unknown staff id', async () => {
      const args = { id: uuidv7(), toStaffIds: [h.staff.teacher, uuidv7()], toLabel: 'Two people', subject: 'Fees', body: 'Hello', sentAt: new Date().toISOString() };
      await refused(h, mutation(args, { name: 'messages.send', authorId: registrar }), /^1 of the message's recipients is not active staff of this school/);
    });
  });

  it("lets only someone who may publish report cards write the head teacher's comment, whoever writes the class teacher's", async () => {
    const term = 'Term 1 2027';
    const id = reportCommentId(amina, term);
    const teacher = h.staff.teacher;
    const theirs = /^.+ may not write the head teacher's comment for Amina Achieng \(Term 1 2027\): only staff who may publish report cards can\. Ask them to write it; nothing was changed\.$/;
    // A new comment with the head's part filled is refused; with it empty, saved.
    await refused(h, save('report_comments', [create<'report_comments'>({ student_id: amina, term, class_teacher_comment: 'Works hard.', head_teacher_comment: 'Promoted.' }, id)], teacher), theirs);
    expect(await serverRow(h, 'report_comments', id)).toBeUndefined();
    await applied(h, save('report_comments', [create<'report_comments'>({ student_id: amina, term, class_teacher_comment: 'Works hard.', head_teacher_comment: '' }, id)], teacher));
    await refused(h, save('report_comments', [await edit(h, 'report_comments', id, { head_teacher_comment: 'Promoted.' })], teacher), theirs);
    await applied(h, save('report_comments', [await edit(h, 'report_comments', id, { head_teacher_comment: 'Promoted to Grade 5.' })], h.staff.head));
    // The teacher still edits their own part; the head's stays, and cannot be cleared or removed with the record.
    await applied(h, save('report_comments', [await edit(h, 'report_comments', id, { class_teacher_comment: 'Works very hard.' })], teacher));
    await refused(h, save('report_comments', [await edit(h, 'report_comments', id, { head_teacher_comment: '' })], teacher), theirs);
    await refused(h, save('report_comments', [await edit(h, 'report_comments', id, { deleted: true })], teacher), theirs);
    expect(await serverRow(h, 'report_comments', id)).toMatchObject({ class_teacher_comment: 'Works very hard.', head_teacher_comment: 'Promoted to Grade 5.', deleted: false });
  });

  it('changes nothing when a mutation is replayed', async () => {
    const m = save('students', [await edit(h, 'students', amina, { gender: 'other' })], registrar);
    await applied(h, m);
    const row = await serverRow(h, 'students', amina);
    expect(await push(h, h.office, [m])).toEqual([{ mutationId: m.id, status: 'applied' }]);
    expect(await serverRow(h, 'students', amina)).toEqual(row);
  });

  it('keeps students\' class names and guardian phones in step with classes, guardians and links; a tombstone syncs as a row', async () => {
    await applied(h, save('classes', [await edit(h, 'classes', grade4, { stream: 'West' })], registrar));
    expect(await serverRow(h, 'students', amina)).toMatchObject({ class_name: 'Grade 4 West' });

    const g = create<'guardians'>({ name: 'Grace Achieng', phone: '+254 712 000 111', alt_phone: null, email: null, address: null });
    await applied(h, save('guardians', [g], registrar));
    const link = studentGuardianId(amina, g.id);
    await applied(h, save('student_guardians', [create<'student_guardians'>({ student_id: amina, guardian_id: g.id, relationship: 'Mother', pays_fees: true }, link)], registrar));
    expect(await serverRow(h, 'students', amina)).toMatchObject({ guardian_phone: '+254 712 000 111' });
    await applied(h, save('guardians', [await edit(h, 'guardians', g.id, { phone: '+254 733 999 888' })], registrar));
    expect(await serverRow(h, 'students', amina)).toMatchObject({ guardian_phone: '+254 733 999 888' });

    await applied(h, save('student_guardians', [await edit(h, 'student_guardians', link, { deleted: true })], registrar));
    expect(await serverRow(h, 'students', amina)).toMatchObject({ guardian_phone: null });
    expect(await shapedRow(h, h.office, 'student_guardians', link)).toMatchObject({ id: link, deleted: true });

    // A link with an id not made from its student and guardian is refused.
    const g2 = create<'guardians'>({ name: 'Paul Kip', phone: null, alt_phone: null, email: null, address: null });
    await applied(h, save('guardians', [g2], registrar));
    await refused(h, save('student_guardians', [create<'student_guardians'>({ student_id: brian, guardian_id: g2.id, relationship: 'Father', pays_fees: false })], registrar), /does not match/);
  });

  describe('conflicts.resolve', () => {
    const resolve = (conflictId: string, resolution: 'kept' | 'restored', authorId: string) =>
      mutation({ conflictId, resolution, resolvedAt: new Date().toISOString() }, { name: 'conflicts.resolve', authorId });

    async function clash(field: 'middle_name' | 'medical_notes', a: string, b: string): Promise<string> {
      const e1 = await edit(h, 'students', brian, { [field]: a });
      const e2 = await edit(h, 'students', brian, { [field]: b });
      await applied(h, save('students', [e1], registrar), h.office);
      await applied(h, save('students', [e2], admin()), h.otherOffice);
      return (await conflictsOf(h, brian)).find((c) => c.field === field && c.resolution === null)!.id;
    }

    it('keeps, and a second resolution changes nothing', async () => {
      const id = await clash('middle_name', 'Kibet', 'Kiprop');
      await applied(h, resolve(id, 'kept', registrar));
      expect(await serverRow(h, 'record_conflicts', id)).toMatchObject({ resolution: 'kept', resolved_by: registrar });
      const before = await serverRow(h, 'record_conflicts', id);
      await applied(h, resolve(id, 'restored', registrar));
      expect(await serverRow(h, 'record_conflicts', id)).toEqual(before);
      expect(await serverRow(h, 'students', brian)).toMatchObject({ middle_name: 'Kiprop' });
    });

    it('restores the replaced value through the merge', async () => {
      const id = await clash('medical_notes', 'Peanut allergy', 'None');
      await applied(h, resolve(id, 'restored', registrar));
      expect(await serverRow(h, 'students', brian)).toMatchObject({ medical_notes: 'Peanut allergy' });
      expect(await serverRow(h, 'record_conflicts', id)).toMatchObject({ resolution: 'restored' });
      expect((await conflictsOf(h, brian)).filter((c) => c.resolution === null && c.field === 'medical_notes')).toEqual([]);
    });

    it('refuses to restore a field changed again since, and refuses someone without the permission', async () => {
      const id = await clash('middle_name', 'A', 'B');
      await refused(h, resolve(id, 'kept', h.staff.bursar), /edit students/i);
      await applied(h, save('students', [await edit(h, 'students', brian, { middle_name: 'C' })], registrar));
      await refused(h, resolve(id, 'restored', registrar), /^The middle name of this student changed again since the conflict was raised; open the record and fix it by hand\./);
    });
  });

  it('delivers a message to its recipients; the first read counts', async () => {
    const args = { id: uuidv7(), toStaffIds: [h.staff.teacher, teacher2], toLabel: 'Grade 4 teachers', subject: 'Sports day', body: 'Bring the kits.', sentAt: new Date().toISOString() };
    await applied(h, mutation(args, { name: 'messages.send', authorId: registrar }));
    expect(await serverRow(h, 'messages', args.id)).toMatchObject({ sender_id: registrar, sender_name: 'Rose Wanjiru', to_staff_ids: [h.staff.teacher, teacher2], device_id: h.office.deviceId });
    const read = (authorId: string) => mutation({ messageId: args.id, readAt: new Date().toISOString() }, { name: 'messages.read', authorId });
    await applied(h, read(h.staff.teacher), h.teacherRoom);
    const first = await serverRow(h, 'message_reads', messageReadId(args.id, h.staff.teacher));
    await applied(h, read(h.staff.teacher), h.teacherRoom);
    expect(await serverRow(h, 'message_reads', messageReadId(args.id, h.staff.teacher))).toEqual(first);
    await refused(h, read(h.staff.bursar), /^Only a recipient of a message can mark it read/);
  });

  it('sends a teacher-room device the school office but no bursary data, every row in its schema', async () => {
    const tables = new Set((await shape(h, h.teacherRoom)).map((m) => m.value?.table).filter(Boolean) as SyncedTable[]);
    for (const t of ['classes', 'students', 'attendance_records', 'attendance_sessions', 'messages', 'record_conflicts', 'subjects', 'assessments', 'scores'] as const) expect(tables).toContain(t);
    for (const t of ['payments', 'charges', 'fee_categories', 'devices', 'login_history'] as const) expect(tables).not.toContain(t);
    expect(PROFILE_TABLES.teacher_room).not.toContain('payments');
    for (const m of await shape(h, h.office)) {
      if (!m.value?.row) continue;
      const table = m.value.table as SyncedTable;
      const parsed = rowSchemas[table].safeParse(JSON.parse(m.value.row));
      expect(parsed.success, `${table}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });
});
