// Classes, subjects, optional-subject enrolment and promotion through core on a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, refusal, staffFor, storeCounts, type TestDevice } from '../support/local-device.js';
import { nextClassFields } from '../../shared/domain/student-views.js';
import type { ClassFields } from '../../shared/domain/classes.js';
import { uuidv7 } from '../../shared/ids.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 40, signInAs: 'registrar' });
});
afterEach(async () => {
  await device.dispose();
});

const teacher = () => staffFor('teacher');
const fields = (over: Partial<ClassFields> = {}): ClassFields => ({ grade: 'Grade 4', level: 4, stream: 'A', academic_year: 2027, class_teacher_id: null, grading_scale_id: null, ...over });
const status = (id: string) => device.core.store.sqlite.prepare('select status, class_id, class_name from students where id = ?').get(id) as { status: string; class_id: string | null; class_name: string | null };
const saves = (name: string) => device.core.store.sqlite.prepare('select count(*) from outbox where name = ?').pluck().get(name) as number;

async function classWith(n: number, over: Partial<ClassFields> = {}) {
  const cls = await call(device.core, 'classes.save', { values: fields(over) });
  const ids = device.students.slice(0, n).map((s) => s.id);
  await call(device.core, 'students.bulkChange', { target: { ids }, change: { classId: cls.id } });
  return { cls, ids };
}

describe('classes', () => {
  it('lists a year in level order with class teachers and enrolled counts; renaming a class renames its students', async () => {
    const { cls } = await classWith(6, { class_teacher_id: teacher().id });
    await call(device.core, 'classes.save', { values: fields({ grade: 'Grade 1', level: 1 }) });
    await call(device.core, 'classes.save', { values: fields({ academic_year: 2026 }) });
    await call(device.core, 'students.bulkChange', { target: { ids: [device.students[0]!.id] }, change: { status: 'withdrawn' } });
    const list = await call(device.core, 'classes.list', { year: 2027 });
    expect(list.years).toEqual([2027, 2026]);
    expect(list.classes.map((c) => [c.name, c.enrolled, c.teacherName])).toEqual([
      ['Grade 1 A', 0, null],
      ['Grade 4 A', 5, teacher().display_name],
    ]);
    await call(device.core, 'classes.save', { id: cls.id, values: fields({ stream: 'East', class_teacher_id: teacher().id }) });
    expect(status(device.students[1]!.id).class_name).toBe('Grade 4 East');
    expect((await call(device.core, 'students.list', { className: 'Grade 4 East' })).rows).toHaveLength(6);
  });

  it('refuses a second class of the same name in a year, an unknown teacher, a bad level; nothing changes', async () => {
    await call(device.core, 'classes.save', { values: fields() });
    const counts = storeCounts(device.core);
    expect((await refusal(device.core, 'classes.save', { values: fields() })).message).toMatch(/Grade 4 A already exists for 2027/);
    expect((await refusal(device.core, 'classes.save', { values: fields({ stream: 'B', class_teacher_id: uuidv7() }) })).issues?.[0]?.path).toBe('values.class_teacher_id');
    expect((await refusal(device.core, 'classes.save', { values: fields({ level: 21 }) })).message).toMatch(/level is at most 20/);
    expect(storeCounts(device.core)).toEqual(counts);
    expect((await call(device.core, 'classes.list', {})).classes).toHaveLength(1);
  });

  it('needs "Manage classes": a teacher cannot create one', async () => {
    await call(device.core, 'auth.login', { username: teacher().username, password: 'correct horse battery' });
    expect((await refusal(device.core, 'classes.save', { values: fields() })).code).toBe('forbidden');
    expect((await call(device.core, 'staff.directory', {})).staff.map((s) => s.name)).toContain(teacher().display_name);
  });
});

describe('subjects', () => {
  it('creates subjects with unique codes, teaches them in a class and enrols students in an optional one', async () => {
    const { cls, ids } = await classWith(5);
    const maths = await call(device.core, 'subjects.save', { values: { name: 'Mathematics', code: 'math' } });
    expect(maths.values.code).toBe('MATH');
    const music = await call(device.core, 'subjects.save', { values: { name: 'Music', code: 'MUS' } });
    expect((await refusal(device.core, 'subjects.save', { values: { name: 'Maths again', code: 'MATH' } })).message).toMatch(/already used by Mathematics/);
    expect((await call(device.core, 'subjects.list', {})).subjects.map((s) => s.values.name)).toEqual(['Mathematics', 'Music']);

    await call(device.core, 'classes.saveSubject', { classId: cls.id, subjectId: maths.id, teacherId: teacher().id, compulsory: true });
    const detail = await call(device.core, 'classes.saveSubject', { classId: cls.id, subjectId: music.id, teacherId: null, compulsory: false });
    expect(detail.subjects.map((s) => [s.subjectName, s.teacherName, s.compulsory, s.students])).toEqual([
      ['Mathematics', teacher().display_name, true, 5],
      ['Music', null, false, 0],
    ]);
    // The list carries each class's subjects (what the report screens choose from).
    const listed = (await call(device.core, 'classes.list', {})).classes.find((c) => c.id === cls.id)!;
    expect(listed.subjects).toEqual([
      { subjectId: maths.id, subjectName: 'Mathematics', code: 'MATH', compulsory: true },
      { subjectId: music.id, subjectName: 'Music', code: 'MUS', compulsory: false },
    ]);
    const musicId = detail.subjects[1]!.id;
    expect(await call(device.core, 'classes.enrolSubject', { classSubjectId: musicId, studentIds: ids.slice(0, 3), enrolled: true })).toEqual({ changed: 3 });
    expect((await call(device.core, 'classes.subjectStudents', { classSubjectId: musicId })).studentIds.sort()).toEqual(ids.slice(0, 3).sort());
    expect(await call(device.core, 'classes.enrolSubject', { classSubjectId: musicId, studentIds: ids.slice(2, 5), enrolled: false })).toEqual({ changed: 1 });
    expect((await call(device.core, 'classes.get', { id: cls.id })).subjects[1]!.students).toBe(2);

    const counts = storeCounts(device.core);
    const mathsId = detail.subjects[0]!.id;
    expect((await refusal(device.core, 'classes.enrolSubject', { classSubjectId: mathsId, studentIds: [ids[0]!], enrolled: true })).message).toMatch(/compulsory in Grade 4 A/);
    const outsider = device.students[30]!.id;
    expect((await refusal(device.core, 'classes.enrolSubject', { classSubjectId: musicId, studentIds: [outsider], enrolled: true })).message).toMatch(/1 of the chosen students are not in Grade 4 A/);
    expect(storeCounts(device.core)).toEqual(counts);

    const removed = await call(device.core, 'classes.saveSubject', { classId: cls.id, subjectId: music.id, teacherId: null, compulsory: false, remove: true });
    expect(removed.subjects.map((s) => s.subjectName)).toEqual(['Mathematics']);
  });
});

describe('promotion', () => {
  it('proposes next year\'s class by the grade\'s number', () => {
    expect(nextClassFields(fields({ class_teacher_id: uuidv7() }))).toEqual(fields({ grade: 'Grade 5', level: 5, academic_year: 2028 }));
    expect(nextClassFields(fields({ grade: 'Form 2 (science)', level: 10 }))?.grade).toBe('Form 3 (science)');
    expect(nextClassFields(fields({ grade: 'Nursery', level: 0 }))).toBeNull();
  });

  it('moves the enrolled students to next year\'s class, creating it; withdrawn and graduated students stay', async () => {
    const { cls, ids } = await classWith(8);
    await call(device.core, 'students.bulkChange', { target: { ids: [ids[0]!] }, change: { status: 'withdrawn' } });
    await call(device.core, 'students.bulkChange', { target: { ids: [ids[1]!] }, change: { status: 'graduated' } });
    const plan = await call(device.core, 'classes.promotionPlan', { classId: cls.id });
    expect(plan).toMatchObject({ enrolled: 6, nextName: 'Grade 5 A', nextExistingId: null, finalYear: true, next: { academic_year: 2028, level: 5, stream: 'A' } });
    const before = saves('students.save');
    const result = await call(device.core, 'classes.promote', { classId: cls.id, to: { kind: 'next' } });
    expect(result).toMatchObject({ moved: 6, graduated: 0, targetName: 'Grade 5 A' });
    expect(saves('students.save')).toBe(before + 1);
    expect(status(ids[2]!)).toEqual({ status: 'enrolled', class_id: result.targetClassId, class_name: 'Grade 5 A' });
    expect(status(ids[0]!)).toMatchObject({ status: 'withdrawn', class_id: cls.id });
    expect(status(ids[1]!)).toMatchObject({ status: 'graduated', class_id: cls.id });
    expect((await call(device.core, 'classes.list', { year: 2028 })).classes.map((c) => [c.name, c.enrolled])).toEqual([['Grade 5 A', 6]]);
    // Promoting into an existing class reuses it.
    expect((await call(device.core, 'classes.promotionPlan', { classId: cls.id })).nextExistingId).toBe(result.targetClassId);
  });

  it('graduates a final-year class, and refuses a target in the same year or an empty class', async () => {
    const { cls, ids } = await classWith(4, { grade: 'Grade 8', level: 8 });
    const same = await call(device.core, 'classes.save', { values: fields({ grade: 'Grade 8', level: 8, stream: 'B' }) });
    const counts = storeCounts(device.core);
    expect((await refusal(device.core, 'classes.promote', { classId: cls.id, to: { kind: 'class', classId: same.id } })).message).toMatch(/later year than 2027/);
    expect((await refusal(device.core, 'classes.promote', { classId: same.id, to: { kind: 'graduate' } })).message).toMatch(/no enrolled students/);
    expect(storeCounts(device.core)).toEqual(counts);
    const result = await call(device.core, 'classes.promote', { classId: cls.id, to: { kind: 'graduate' } });
    expect(result).toEqual({ moved: 0, graduated: 4, targetClassId: null, targetName: null });
    expect(ids.map((id) => status(id).status)).toEqual(['graduated', 'graduated', 'graduated', 'graduated']);
  });
});
