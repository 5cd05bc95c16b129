// Report cards on the device, through core on a real SQLite file: grading scales, assessments,
// the scores grid (who is in it, what a save writes, every refusal changing nothing) and the
// figures of a crafted class's cards, checked by hand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Kysely, SqliteDialect } from 'kysely';
import { call, openTestDevice, pullRows, refusal, signInAs, staffFor, type TestDevice } from '../support/local-device.js';
import { STUDENT_PROFILE_DEFAULTS, type StudentRow } from '../../shared/domain/students.js';
import { classSubjectId, studentSubjectId, type ClassRow, type ClassSubjectRow, type StudentSubjectRow, type SubjectRow } from '../../shared/domain/classes.js';
import { attendanceRecordId, attendanceSessionId, type AttendanceRecordRow, type AttendanceSessionRow } from '../../shared/domain/attendance.js';
import { EMPTY_META } from '../../shared/domain/records.js';
import { scoreId, type GradeBand } from '../../shared/domain/reports.js';
import type { TermRow } from '../../shared/domain/terms.js';
import type { ApiInput } from '../../shared/api/contract.js';
import type { LocalDatabase } from '../../electron/core/store/database.js';
import { classReportCards } from '../../electron/core/queries/report-cards.js';
import { scoresGrid } from '../../electron/core/queries/scores.js';
import { parseCsv } from '../../shared/csv.js';

const TERM = 'Term 1 2027';
const TERMS: TermRow[] = [
  { id: 'term-2026-3', name: 'Term 3 2026', starts_on: '2026-09-01', ends_on: '2026-11-27' },
  { id: 'term-2027-1', name: TERM, starts_on: '2027-01-04', ends_on: '2027-04-02' },
];
const id = (n: number) => `0190d000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const record = { deleted: false, meta: EMPTY_META };

const EAST = id(1);
const WEST = id(2);
const MATH = id(11);
const ENG = id(12);
const FRE = id(13);
const AMINA = id(21);
const BRIAN = id(22);
const CHLOE = id(23);
const DAVID = id(24); // withdrawn, still in the class
const ESTHER = id(25); // in another class

const KCSE: GradeBand[] = [
  { grade: 'A', min: 80, max: 100, remark: 'Excellent' },
  { grade: 'B', min: 70, max: 79, remark: 'Very good' },
  { grade: 'C', min: 50, max: 69, remark: 'Good' },
  { grade: 'D', min: 40, max: 49, remark: 'Fair' },
  { grade: 'E', min: 0, max: 39, remark: 'Needs support' },
];

function student(sid: string, first: string, last: string, classId: string, className: string, status: StudentRow['status'] = 'enrolled'): StudentRow {
  return { ...STUDENT_PROFILE_DEFAULTS, id: sid, admission_no: `G7/${sid.slice(-3)}`, first_name: first, last_name: last, class_id: classId, class_name: className, status, guardian_phone: null };
}
const cls = (cid: string, stream: string, teacher: string | null): ClassRow => ({
  ...record,
  id: cid,
  grade: 'Grade 7',
  level: 7,
  stream,
  academic_year: 2027,
  class_teacher_id: teacher,
  grading_scale_id: null,
  name: `Grade 7 ${stream}`,
});
const taught = (classId: string, subjectId: string, compulsory: boolean): ClassSubjectRow => ({ ...record, id: classSubjectId(classId, subjectId), class_id: classId, subject_id: subjectId, teacher_id: null, compulsory });
const chose = (studentId: string, classId: string, subjectId: string): StudentSubjectRow => ({ ...record, id: studentSubjectId(studentId, classSubjectId(classId, subjectId)), student_id: studentId, class_subject_id: classSubjectId(classId, subjectId) });

async function seedSchool(core: TestDevice['core']): Promise<void> {
  await pullRows(core, 'terms', TERMS);
  await pullRows(core, 'classes', [cls(EAST, 'East', staffFor('teacher').id), cls(WEST, 'West', null)]);
  const subjects: SubjectRow[] = [
    { ...record, id: MATH, name: 'Mathematics', code: 'MATH' },
    { ...record, id: ENG, name: 'English', code: 'ENG' },
    { ...record, id: FRE, name: 'French', code: 'FRE' },
  ];
  await pullRows(core, 'subjects', subjects);
  await pullRows(core, 'class_subjects', [taught(EAST, MATH, true), taught(EAST, ENG, true), taught(EAST, FRE, false), taught(WEST, MATH, true)]);
  await pullRows(core, 'students', [
    student(AMINA, 'Amina', 'Achieng', EAST, 'Grade 7 East'),
    student(BRIAN, 'Brian', 'Baraka', EAST, 'Grade 7 East'),
    student(CHLOE, 'Chloe', 'Chege', EAST, 'Grade 7 East'),
    student(DAVID, 'David', 'Dlamini', EAST, 'Grade 7 East', 'withdrawn'),
    student(ESTHER, 'Esther', 'Eze', WEST, 'Grade 7 West'),
  ]);
  await pullRows(core, 'student_subjects', [chose(AMINA, EAST, FRE), chose(CHLOE, EAST, FRE), chose(DAVID, EAST, FRE)]);
}

/** Rows a refused command must leave as they were. */
function counts(core: TestDevice['core']): Record<string, unknown> {
  const q = (sql: string) => core.store.sqlite.prepare(sql).all();
  return {
    scores: q('select id, score, meta from scores order by id'),
    assessments: q('select * from assessments order by id'),
    scales: q('select * from grading_scales order by id'),
    comments: q('select * from report_comments order by id'),
    classes: q('select id, grading_scale_id from classes order by id'),
    outbox: q("select seq, name, args from outbox where name <> 'logins.record' order by seq"),
  };
}

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ signInAs: 'teacher' });
  await seedSchool(device.core);
});
afterEach(() => device.dispose());

/** Which scale a class uses, set as the screen does: the class saved with that field changed. */
async function useScale(classId: string, scaleId: string | null) {
  const { values } = await call(device.core, 'classes.get', { id: classId });
  return call(device.core, 'classes.save', { id: classId, values: { ...values, grading_scale_id: scaleId } });
}

async function defaultScale() {
  await signInAs(device.core, 'head_teacher');
  const scale = await call(device.core, 'gradingScales.save', { name: 'KCSE', bands: KCSE, is_default: false });
  await signInAs(device.core, 'teacher');
  return scale;
}

const assessment = (patch: Partial<ApiInput<'assessments.save'>> = {}): ApiInput<'assessments.save'> => ({
  classId: EAST,
  subjectId: MATH,
  term: TERM,
  name: 'CAT 1',
  weight: 30,
  maxScore: 30,
  ...patch,
});

describe('grading scales', () => {
  it('makes the first scale the default; a later default replaces it; a class may choose another', async () => {
    await signInAs(device.core, 'head_teacher');
    const first = await call(device.core, 'gradingScales.save', { name: 'KCSE', bands: KCSE, is_default: false });
    expect(first).toMatchObject({ name: 'KCSE', isDefault: true, bands: KCSE, classNames: [] });
    const strict = await call(device.core, 'gradingScales.save', {
      name: 'Pass / fail',
      bands: [
        { grade: 'P', min: 50, max: 100, remark: 'Pass' },
        { grade: 'F', min: 0, max: 49, remark: 'Fail' },
      ],
      is_default: false,
    });
    expect(strict.isDefault).toBe(false);
    expect((await useScale(EAST, strict.id)).values.grading_scale_id).toBe(strict.id);
    const { scales } = await call(device.core, 'gradingScales.list', {});
    expect(scales.map((s) => [s.name, s.isDefault, s.classNames])).toEqual([
      ['KCSE', true, []],
      ['Pass / fail', false, ['Grade 7 East']],
    ]);
    const outbox = device.core.store.sqlite.prepare("select name, args from outbox where name in ('gradingScales.save', 'classes.save') order by seq").all() as { name: string; args: string }[];
    expect(outbox.map((o) => o.name)).toEqual(['gradingScales.save', 'gradingScales.save', 'classes.save']);
    expect(JSON.parse(outbox[2]!.args).rows[0]).toMatchObject({ id: EAST, create: false, fields: { grading_scale_id: strict.id } });

    await call(device.core, 'gradingScales.save', { ...strict, is_default: true });
    const after = (await call(device.core, 'gradingScales.list', {})).scales;
    expect(after.filter((s) => s.isDefault).map((s) => s.name)).toEqual(['Pass / fail']);
  });

  it('refuses bands that overlap or leave gaps, naming them; unsetting the default; people without the permission', async () => {
    await signInAs(device.core, 'head_teacher');
    const kcse = await call(device.core, 'gradingScales.save', { name: 'KCSE', bands: KCSE, is_default: true });
    const before = counts(device.core);
    const overlap = await refusal(device.core, 'gradingScales.save', {
      name: 'Broken',
      bands: [
        { grade: 'A', min: 75, max: 100, remark: '' },
        { grade: 'B', min: 60, max: 79, remark: '' },
        { grade: 'C', min: 0, max: 50, remark: '' },
      ],
      is_default: false,
    });
    expect(overlap).toMatchObject({ code: 'invalid_input', message: 'The grading scale "Broken" cannot be saved: No band covers 50 to 60. Bands B and A overlap.' });
    expect(await refusal(device.core, 'gradingScales.save', { ...kcse, is_default: false })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/is the school's default scale/) });
    expect(await refusal(device.core, 'gradingScales.save', { name: 'x', bands: [{ grade: 'A', min: 0, max: 120, remark: '' }], is_default: false })).toMatchObject({ code: 'invalid_input' });
    const east = await call(device.core, 'classes.get', { id: EAST });
    expect(await refusal(device.core, 'classes.save', { id: EAST, values: { ...east.values, grading_scale_id: id(98) } })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/grading scale is not on this device/) });
    await signInAs(device.core, 'teacher');
    expect(await refusal(device.core, 'gradingScales.save', { name: 'Mine', bands: KCSE, is_default: true })).toMatchObject({ code: 'forbidden' });
    expect(counts(device.core)).toEqual(before);
  });
});

describe('assessments', () => {
  it('saves a subject’s assessments and says when their weights do not add up to 100', async () => {
    const cat = await call(device.core, 'assessments.save', assessment());
    expect(cat).toMatchObject({ classId: EAST, subjectId: MATH, subjectName: 'Mathematics', term: TERM, name: 'CAT 1', weight: 30, maxScore: 30 });
    let list = await call(device.core, 'assessments.list', { classId: EAST, subjectId: MATH, term: TERM });
    expect(list).toMatchObject({ weightTotal: 30, weightNote: expect.stringMatching(/^Mathematics: the weights add up to 30%, not 100%/) });
    await call(device.core, 'assessments.save', assessment({ name: 'End of term', weight: 70, maxScore: 100 }));
    list = await call(device.core, 'assessments.list', { classId: EAST, subjectId: MATH, term: TERM });
    expect(list.assessments.map((a) => a.name)).toEqual(['CAT 1', 'End of term']);
    expect(list).toMatchObject({ weightTotal: 100, weightNote: null });
    const row = device.core.store.sqlite.prepare('select * from assessments where id = ?').get(cat.id);
    expect(row).toMatchObject({ class_id: EAST, subject_id: MATH, term: TERM, weight: 30, max_score: 30, deleted: 0 });

    await call(device.core, 'assessments.delete', { id: cat.id });
    list = await call(device.core, 'assessments.list', { classId: EAST, subjectId: MATH, term: TERM });
    expect(list.assessments.map((a) => a.name)).toEqual(['End of term']);
  });

  it('refuses a repeated name, an unknown term, a subject the class does not take, and a maximum below given marks', async () => {
    const cat = await call(device.core, 'assessments.save', assessment());
    await call(device.core, 'scores.save', { classId: EAST, subjectId: MATH, term: TERM, cells: [{ studentId: AMINA, assessmentId: cat.id, score: 24 }] });
    const before = counts(device.core);
    expect(await refusal(device.core, 'assessments.save', assessment({ name: 'cat 1' }))).toMatchObject({
      code: 'invalid_input',
      message: 'Mathematics in Grade 7 East already has an assessment named "cat 1" in Term 1 2027.',
    });
    expect(await refusal(device.core, 'assessments.save', assessment({ term: 'Term 9 2027' }))).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/no term named "Term 9 2027"/) });
    expect(await refusal(device.core, 'assessments.save', assessment({ classId: WEST, subjectId: FRE }))).toMatchObject({ code: 'invalid_input', message: 'French is not taught in Grade 7 West. Add it to the class\'s subjects first.' });
    expect(await refusal(device.core, 'assessments.save', assessment({ id: cat.id, maxScore: 20 }))).toMatchObject({
      code: 'invalid_input',
      message: 'Amina Achieng has 24 in "CAT 1", more than 20 marks. Correct the scores above 20 first.',
    });
    expect(await refusal(device.core, 'assessments.save', assessment({ weight: 0 }))).toMatchObject({ code: 'invalid_input', issues: [{ path: 'weight' }] });
    await signInAs(device.core, 'registrar');
    expect(await refusal(device.core, 'assessments.save', assessment({ name: 'CAT 2' }))).toMatchObject({ code: 'forbidden' });
    expect(counts(device.core)).toEqual(before);
  });
});

describe('the scores grid', () => {
  it('lists every enrolled student of the class for a compulsory subject, only those taking an optional one', async () => {
    const cat = await call(device.core, 'assessments.save', assessment());
    const math = await call(device.core, 'scores.grid', { classId: EAST, subjectId: MATH, term: TERM });
    expect(math).toMatchObject({ className: 'Grade 7 East', subjectName: 'Mathematics', compulsory: true, assessments: [{ id: cat.id }], weightTotal: 30 });
    expect(math.students.map((s) => s.name)).toEqual(['Amina Achieng', 'Brian Baraka', 'Chloe Chege']);
    const french = await call(device.core, 'scores.grid', { classId: EAST, subjectId: FRE, term: TERM });
    expect(french).toMatchObject({ compulsory: false, assessments: [] });
    expect(french.students.map((s) => s.name)).toEqual(['Amina Achieng', 'Chloe Chege']);
    expect(await refusal(device.core, 'scores.grid', { classId: WEST, subjectId: ENG, term: TERM })).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^English is not taught in Grade 7 West/) });
  });

  it('saves only the changed cells, in one mutation; clearing a cell stores "not sat"', async () => {
    const cat = await call(device.core, 'assessments.save', assessment());
    const exam = await call(device.core, 'assessments.save', assessment({ name: 'End of term', weight: 70, maxScore: 100 }));
    const cells = [
      { studentId: AMINA, assessmentId: cat.id, score: 24 },
      { studentId: AMINA, assessmentId: exam.id, score: 65 },
      { studentId: BRIAN, assessmentId: cat.id, score: 30 },
      { studentId: CHLOE, assessmentId: cat.id, score: 17.5 },
      { studentId: CHLOE, assessmentId: exam.id, score: null }, // never written: no change
    ];
    const outboxBefore = device.core.store.sqlite.prepare("select count(*) from outbox where name = 'scores.save'").pluck().get();
    expect(await call(device.core, 'scores.save', { classId: EAST, subjectId: MATH, term: TERM, cells })).toEqual({ saved: 4 });
    expect(device.core.store.sqlite.prepare("select count(*) from outbox where name = 'scores.save'").pluck().get()).toBe(Number(outboxBefore) + 1);

    // The same grid again with one mark changed and one cleared: one mutation with those two.
    const again = cells.map((c) => (c.studentId === BRIAN ? { ...c, score: 29.5 } : c.studentId === AMINA && c.assessmentId === exam.id ? { ...c, score: null } : c));
    expect(await call(device.core, 'scores.save', { classId: EAST, subjectId: MATH, term: TERM, cells: again })).toEqual({ saved: 2 });
    const last = device.core.store.sqlite.prepare("select args from outbox where name = 'scores.save' order by seq desc limit 1").pluck().get() as string;
    const rows = JSON.parse(last).rows as { id: string; create: boolean; fields: Record<string, unknown> }[];
    expect(rows).toEqual([
      { id: scoreId(exam.id, AMINA), create: false, fields: { score: null }, base: { score: 0 } },
      { id: scoreId(cat.id, BRIAN), create: false, fields: { score: 29.5 }, base: { score: 0 } },
    ]);
    expect(await call(device.core, 'scores.save', { classId: EAST, subjectId: MATH, term: TERM, cells: again })).toEqual({ saved: 0 });

    const grid = await call(device.core, 'scores.grid', { classId: EAST, subjectId: MATH, term: TERM });
    expect(grid.students.map((s) => s.scores)).toEqual([{ [cat.id]: 24, [exam.id]: null }, { [cat.id]: 29.5 }, { [cat.id]: 17.5 }]);
  });

  it('refuses a bad mark or a student outside the subject, naming the student and assessment, and saves nothing', async () => {
    const cat = await call(device.core, 'assessments.save', assessment());
    const oral = await call(device.core, 'assessments.save', assessment({ subjectId: FRE, name: 'Oral', weight: 100, maxScore: 20 }));
    await call(device.core, 'scores.save', { classId: EAST, subjectId: MATH, term: TERM, cells: [{ studentId: AMINA, assessmentId: cat.id, score: 20 }] });
    const before = counts(device.core);
    const math = (cells: ApiInput<'scores.save'>['cells']) => ({ classId: EAST, subjectId: MATH, term: TERM, cells });
    const cases: [ApiInput<'scores.save'>, string][] = [
      [math([{ studentId: AMINA, assessmentId: cat.id, score: 31 }]), 'Amina Achieng, CAT 1: 31 is above the most marks, 30. Nothing was saved.'],
      [math([{ studentId: BRIAN, assessmentId: cat.id, score: -1 }]), 'Brian Baraka, CAT 1: -1 is below 0. Nothing was saved.'],
      [math([{ studentId: CHLOE, assessmentId: cat.id, score: 12.3 }]), 'Chloe Chege, CAT 1: 12.3 is not a whole or half mark. Nothing was saved.'],
      [math([{ studentId: ESTHER, assessmentId: cat.id, score: 10 }]), 'Esther Eze is not an enrolled student of Grade 7 East. Nothing was saved.'],
      [math([{ studentId: DAVID, assessmentId: cat.id, score: 10 }]), 'David Dlamini is not an enrolled student of Grade 7 East. Nothing was saved.'],
      [{ classId: EAST, subjectId: FRE, term: TERM, cells: [{ studentId: BRIAN, assessmentId: oral.id, score: 10 }] }, 'Brian Baraka does not take French. Nothing was saved.'],
      [math([{ studentId: AMINA, assessmentId: oral.id, score: 10 }]), "Amina Achieng: that assessment is not one of Mathematics's in Term 1 2027 (it may have been removed). Nothing was saved."],
      [
        math([
          { studentId: AMINA, assessmentId: cat.id, score: 25 },
          { studentId: BRIAN, assessmentId: cat.id, score: 40 },
        ]),
        'Brian Baraka, CAT 1: 40 is above the most marks, 30. Nothing was saved.',
      ],
    ];
    for (const [input, message] of cases) expect(await refusal(device.core, 'scores.save', input)).toMatchObject({ code: 'invalid_input', message });
    const many = await refusal(device.core, 'scores.save', math([AMINA, BRIAN, CHLOE].flatMap((s) => [{ studentId: s, assessmentId: cat.id, score: 99 }, { studentId: s, assessmentId: cat.id, score: 98 }])));
    expect(many.issues).toHaveLength(6);
    expect(many.message).toMatch(/ And 1 more\. Nothing was saved\.$/);
    await signInAs(device.core, 'bursar');
    expect(await refusal(device.core, 'scores.save', math([{ studentId: AMINA, assessmentId: cat.id, score: 21 }]))).toMatchObject({ code: 'forbidden' });
    expect(counts(device.core)).toEqual(before);
  });
});

/** Attendance registers pulled as the server would send them. */
async function seedAttendance(core: TestDevice['core']): Promise<void> {
  const marks: [string, string, string][] = [
    ['2027-01-05', '', 'present'],
    ['2027-01-06', '', 'absent'],
    ['2027-01-07', '', 'late'],
    ['2027-01-08', '', 'present'],
    ['2027-01-05', 'P1', 'absent'], // a lesson's register: not a day
    ['2026-11-02', '', 'absent'], // last term
  ];
  const sessions: AttendanceSessionRow[] = [];
  const records: AttendanceRecordRow[] = [];
  for (const [date, period, status] of marks) {
    const sid = attendanceSessionId(EAST, date, period);
    if (!sessions.some((s) => s.id === sid)) sessions.push({ ...record, id: sid, class_id: EAST, date, period, taken_by: staffFor('teacher').id, note: '' });
    records.push({ ...record, id: attendanceRecordId(sid, AMINA), session_id: sid, student_id: AMINA, status: status as AttendanceRecordRow['status'], reason: null });
  }
  await pullRows(core, 'attendance_sessions', sessions);
  await pullRows(core, 'attendance_records', records);
}

async function enterCraftedScores() {
  const a = async (subjectId: string, name: string, weight: number, maxScore: number) => (await call(device.core, 'assessments.save', assessment({ subjectId, name, weight, maxScore }))).id;
  const cat = await a(MATH, 'CAT 1', 30, 30);
  const exam = await a(MATH, 'End of term', 70, 100);
  const essay = await a(ENG, 'Essay', 50, 50);
  const paper = await a(ENG, 'Paper', 40, 100);
  const oral = await a(FRE, 'Oral', 100, 20);
  const save = (subjectId: string, cells: [string, string, number | null][]) =>
    call(device.core, 'scores.save', { classId: EAST, subjectId, term: TERM, cells: cells.map(([studentId, assessmentId, score]) => ({ studentId, assessmentId, score })) });
  await save(MATH, [
    [AMINA, cat, 24],
    [AMINA, exam, 65],
    [BRIAN, cat, 30],
    [BRIAN, exam, 100],
    [CHLOE, cat, 24],
    [CHLOE, exam, 65],
  ]);
  await save(ENG, [
    [AMINA, essay, 40],
    [AMINA, paper, 70],
    [BRIAN, essay, null],
    [BRIAN, paper, 80],
    [CHLOE, essay, 25],
    [CHLOE, paper, 50],
  ]);
  await save(FRE, [
    [AMINA, oral, 15.5],
    [CHLOE, oral, 16],
  ]);
}

describe('report cards', () => {
  it('works out a crafted class’s figures as done by hand', async () => {
    await defaultScale();
    await seedAttendance(device.core);
    await enterCraftedScores();
    await call(device.core, 'reportCards.saveComments', { studentId: AMINA, term: TERM, classTeacherComment: 'Works hard.', headTeacherComment: '' });
    await signInAs(device.core, 'head_teacher');
    await call(device.core, 'reportCards.saveComments', { studentId: AMINA, term: TERM, classTeacherComment: 'Works hard.', headTeacherComment: 'Well done.' });

    const { cards } = await call(device.core, 'reportCards.forClass', { classId: EAST, term: TERM });
    expect(cards.map((c) => c.student.name)).toEqual(['Amina Achieng', 'Brian Baraka', 'Chloe Chege']);
    const [amina, brian, chloe] = cards;
    // Mathematics: CAT 24/30 at 30% + exam 65/100 at 70% = 24 + 45.5 = 69.5 (Amina and Chloe tie; Brian 100).
    // English weights add to 90: Amina (40 + 28)/90 = 75.6; Brian sat only the paper: 80.0; Chloe (25 + 20)/90 = 50.0.
    // French (optional, Amina and Chloe): 15.5/20 = 77.5; 16/20 = 80.0.
    expect(amina).toMatchObject({
      schoolName: 'Test School',
      student: { name: 'Amina Achieng', admissionNo: 'G7/021' },
      className: 'Grade 7 East',
      classTeacher: 'Teacher Person',
      term: TERM,
      termStarts: '2027-01-04',
      termEnds: '2027-04-02',
      scaleName: 'KCSE',
      attendance: { present: 2, absent: 1, late: 1, excused: 0 },
      comments: { classTeacher: 'Works hard.', headTeacher: 'Well done.' },
      overall: { total: 222.6, average: 74.2, grade: 'B', remark: 'Very good', position: 2, outOf: 3, subjects: 3 },
    });
    expect(amina!.subjects.map((s) => [s.name, s.percent, s.grade, s.position, s.outOf])).toEqual([
      ['English', 75.6, 'B', 2, 3],
      ['French', 77.5, 'B', 2, 2],
      ['Mathematics', 69.5, 'C', 2, 3],
    ]);
    expect(amina!.subjects[2]!.assessments).toEqual([
      { name: 'CAT 1', weight: 30, maxScore: 30, score: 24 },
      { name: 'End of term', weight: 70, maxScore: 100, score: 65 },
    ]);
    expect(amina!.notes).toEqual([expect.stringMatching(/^English: the weights add up to 90%/)]);
    expect(brian!.subjects.map((s) => [s.name, s.percent, s.grade, s.position])).toEqual([
      ['English', 80, 'A', 1],
      ['Mathematics', 100, 'A', 1],
    ]);
    expect(brian!.subjects[0]!.assessments[0]).toMatchObject({ name: 'Essay', score: null });
    expect(brian!.overall).toMatchObject({ total: 180, average: 90, grade: 'A', position: 1 });
    expect(brian!.attendance).toEqual({ present: 0, absent: 0, late: 0, excused: 0 });
    expect(chloe!.subjects.map((s) => [s.name, s.percent, s.grade, s.position])).toEqual([
      ['English', 50, 'C', 3],
      ['French', 80, 'A', 1],
      ['Mathematics', 69.5, 'C', 2],
    ]);
    expect(chloe!.overall).toMatchObject({ total: 199.5, average: 66.5, grade: 'C', position: 3 });

    // One student's card is the same card; a student who left still gets theirs.
    expect(await call(device.core, 'reportCards.get', { studentId: AMINA, term: TERM })).toEqual(amina);
    const david = await call(device.core, 'reportCards.get', { studentId: DAVID, term: TERM });
    expect(david.subjects.map((s) => [s.name, s.percent, s.position])).toEqual([
      ['English', null, null],
      ['French', null, null],
      ['Mathematics', null, null],
    ]);

    // The class's results as CSV.
    const csv = await call(device.core, 'reportCards.exportCsv', { classId: EAST, term: TERM });
    expect(csv.filename).toBe('results Grade 7 East Term 1 2027.csv');
    const parsed = parseCsv(csv.csv);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.records[0]!.fields).toEqual(['Admission no', 'Name', 'ENG %', 'ENG grade', 'ENG position', 'FRE %', 'FRE grade', 'FRE position', 'MATH %', 'MATH grade', 'MATH position', 'Total', 'Average %', 'Grade', 'Position']);
    expect(parsed.records.slice(1).map((r) => r.fields)).toEqual([
      ['G7/021', 'Amina Achieng', '75.6', 'B', '2', '77.5', 'B', '2', '69.5', 'C', '2', '222.6', '74.2', 'B', '2'],
      ['G7/022', 'Brian Baraka', '80', 'A', '1', '', '', '', '100', 'A', '1', '180', '90', 'A', '1'],
      ['G7/023', 'Chloe Chege', '50', 'C', '3', '80', 'A', '1', '69.5', 'C', '2', '199.5', '66.5', 'C', '3'],
    ]);
  });

  it('leaves grades blank and says so without a scale; uses the class’s own scale when it has one', async () => {
    await enterCraftedScores();
    const [amina] = (await call(device.core, 'reportCards.forClass', { classId: EAST, term: TERM })).cards;
    expect(amina!.subjects.every((s) => s.grade === null)).toBe(true);
    expect(amina!.notes).toContain('No grading scale is set up yet, so grades are left blank.');
    await defaultScale();
    await signInAs(device.core, 'head_teacher');
    const pf = await call(device.core, 'gradingScales.save', {
      name: 'Pass / fail',
      bands: [
        { grade: 'P', min: 70, max: 100, remark: 'Pass' },
        { grade: 'F', min: 0, max: 69, remark: 'Fail' },
      ],
      is_default: false,
    });
    await useScale(EAST, pf.id);
    const card = await call(device.core, 'reportCards.get', { studentId: AMINA, term: TERM });
    expect(card.scaleName).toBe('Pass / fail');
    expect(card.subjects.map((s) => s.grade)).toEqual(['P', 'P', 'F']);
  });

  it("keeps the head teacher's comment the head teacher's; refusals change nothing", async () => {
    await call(device.core, 'reportCards.saveComments', { studentId: BRIAN, term: TERM, classTeacherComment: 'Keen in class.', headTeacherComment: '' });
    const before = counts(device.core);
    expect(await refusal(device.core, 'reportCards.saveComments', { studentId: BRIAN, term: TERM, classTeacherComment: 'Keen in class.', headTeacherComment: 'Promoted.' })).toMatchObject({
      code: 'forbidden',
      message: "Only someone who publishes report cards (the head teacher) can write the head teacher's comment for Brian Baraka.",
    });
    expect(await refusal(device.core, 'reportCards.saveComments', { studentId: BRIAN, term: TERM, classTeacherComment: 'x'.repeat(501), headTeacherComment: '' })).toMatchObject({ code: 'invalid_input', issues: [{ path: 'classTeacherComment' }] });
    expect(await refusal(device.core, 'reportCards.saveComments', { studentId: id(98), term: TERM, classTeacherComment: 'Hello', headTeacherComment: '' })).toMatchObject({ code: 'not_found' });
    expect(counts(device.core)).toEqual(before);
    const row = device.core.store.sqlite.prepare('select * from report_comments').get();
    expect(row).toMatchObject({ student_id: BRIAN, term: TERM, class_teacher_comment: 'Keen in class.', head_teacher_comment: '' });
  });
});

describe('reads', () => {
  /** A second Kysely over the same file, logging every statement with its parameters. */
  function logged(core: TestDevice['core']) {
    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    const db = new Kysely<LocalDatabase>({ dialect: new SqliteDialect({ database: core.store.sqlite }), log: (e) => void (e.level === 'query' && statements.push(e.query)) });
    return { db, statements };
  }

  it('reads a class of 40 students in 8 subjects in as many statements as a class of 3, each by index', async () => {
    const { db: small, statements: smallStatements } = logged(device.core);
    await defaultScale();
    await seedAttendance(device.core);
    await enterCraftedScores();
    await classReportCards(small, { school_name: 'Test School' }, EAST, TERM);

    const big = id(3);
    await pullRows(device.core, 'classes', [cls(big, 'North', null)]);
    const subjects: SubjectRow[] = Array.from({ length: 8 }, (_, i) => ({ ...record, id: id(100 + i), name: `Subject ${i}`, code: `S${i}` }));
    await pullRows(device.core, 'subjects', subjects);
    await pullRows(device.core, 'class_subjects', subjects.map((s, i) => taught(big, s.id, i < 6)));
    const pupils = Array.from({ length: 40 }, (_, i) => student(id(200 + i), `Pupil${i}`, `Name${i % 13}`, big, 'Grade 7 North'));
    await pullRows(device.core, 'students', pupils);
    await pullRows(device.core, 'student_subjects', pupils.filter((_, i) => i % 2 === 0).flatMap((p) => [chose(p.id, big, subjects[6]!.id), chose(p.id, big, subjects[7]!.id)]));
    for (const s of subjects) {
      const a = await call(device.core, 'assessments.save', { classId: big, subjectId: s.id, term: TERM, name: 'Exam', weight: 100, maxScore: 100 });
      const takers = (await call(device.core, 'scores.grid', { classId: big, subjectId: s.id, term: TERM })).students;
      await call(device.core, 'scores.save', { classId: big, subjectId: s.id, term: TERM, cells: takers.map((t, i) => ({ studentId: t.id, assessmentId: a.id, score: (i * 7) % 101 })) });
    }
    const { db: large, statements } = logged(device.core);
    const cards = await classReportCards(large, { school_name: 'Test School' }, big, TERM);
    expect(cards).toHaveLength(40);
    expect(cards[0]!.subjects).toHaveLength(8);
    expect(statements.length).toBe(smallStatements.length);
    expect(statements.length).toBeLessThanOrEqual(10);

    const grid = logged(device.core);
    await scoresGrid(grid.db, big, subjects[7]!.id, TERM);
    expect(grid.statements.length).toBeLessThanOrEqual(6);

    for (const s of [...statements, ...grid.statements]) {
      const plan = (device.core.store.sqlite.prepare(`explain query plan ${s.sql}`).all(...s.parameters) as { detail: string }[]).map((r) => r.detail);
      // Every table is reached by an index or its key: no full scan, no sort for an ORDER BY.
      expect(plan.filter((d) => /^SCAN /.test(d) && !/USING (COVERING )?INDEX/.test(d)), s.sql).toEqual([]);
      expect(plan.filter((d) => d.includes('TEMP B-TREE FOR ORDER BY')), s.sql).toEqual([]);
    }
  });
});
