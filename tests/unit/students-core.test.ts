// Students' profiles, guardians, search and bulk changes through core, on a real SQLite file:
// every write goes through saveRecords (only changed fields, with the versions read), every
// refusal names the field and leaves rows and outbox as they were.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, pushWithVerdicts, refusal, signInAs, storeCounts, type TestDevice } from '../support/local-device.js';
import { studentsPageQuery, planSearch } from '../../electron/core/queries/students.js';
import { guardianMatchesQuery } from '../../electron/core/queries/guardians.js';
import { toFtsPrefixQuery } from '../../electron/core/queries/fts-query.js';
import { MAX_RECORDS_PER_MUTATION } from '../../shared/domain/records.js';
import type { StudentFields, StudentFilter, StudentRow } from '../../shared/domain/students.js';
import { studentGuardianId } from '../../shared/domain/students.js';
import { uuidv7 } from '../../shared/ids.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 30, signInAs: 'registrar' });
});
afterEach(async () => {
  await device.dispose();
});

const outbox = () =>
  (device.core.store.sqlite.prepare('select name, args from outbox order by seq').all() as { name: string; args: string }[]).map((r) => ({
    name: r.name,
    args: JSON.parse(r.args) as { rows: { id: string; create: boolean; fields: Record<string, unknown>; base: Record<string, number> }[] },
  }));
const studentRow = (id: string) => device.core.store.sqlite.prepare('select * from students where id = ?').get(id) as Record<string, unknown>;

const amina = (overrides: Partial<StudentFields> = {}): StudentFields => ({
  admission_no: 'KHS/2027/00100',
  first_name: 'Amina',
  middle_name: null,
  last_name: 'Achieng',
  date_of_birth: '2015-03-14',
  gender: 'female',
  class_id: null,
  status: 'enrolled',
  photo_file: null,
  medical_notes: null,
  ...overrides,
});

async function newClass(grade = 'Grade 4', stream = 'A', year = 2027, level = 4) {
  return call(device.core, 'classes.save', { values: { grade, level, stream, academic_year: year, class_teacher_id: null, grading_scale_id: null } });
}

describe('a student profile', () => {
  it('creates a student with every field, then queues only the fields an edit changed, with the versions read', async () => {
    const cls = await newClass();
    const created = await call(device.core, 'students.save', { values: amina({ class_id: cls.id }) });
    expect(created.values).toMatchObject({ admission_no: 'KHS/2027/00100', class_id: cls.id, gender: 'female' });
    expect(created.className).toBe('Grade 4 A');
    const save = outbox().filter((m) => m.name === 'students.save');
    expect(save).toHaveLength(1);
    expect(save[0]!.args.rows[0]).toMatchObject({ id: created.id, create: true, base: {} });
    expect(Object.keys(save[0]!.args.rows[0]!.fields).sort()).toEqual(Object.keys(amina()).sort());

    // The server's copy arrives with per-field versions; an edit is based on them.
    const server: StudentRow = {
      ...amina({ class_id: cls.id }),
      id: created.id,
      class_name: 'Grade 4 A',
      guardian_phone: null,
      deleted: false,
      meta: { f: { last_name: { v: 41, d: null, a: null }, status: { v: 40, d: null, a: null } } },
    };
    await pushWithVerdicts(device.core, (m) => ({ mutationId: m.id, status: 'applied' }));
    await pullRows(device.core, 'students', [server]);
    const other = await newClass('Grade 4', 'B');
    const before = outbox().length;
    await call(device.core, 'students.save', { id: created.id, values: amina({ class_id: other.id, last_name: 'Achieng-Otieno' }) });
    const edit = outbox().slice(before).filter((m) => m.name === 'students.save');
    expect(edit).toHaveLength(1);
    expect(edit[0]!.args.rows[0]).toEqual({ id: created.id, create: false, fields: { class_id: other.id, last_name: 'Achieng-Otieno' }, base: { class_id: 0, last_name: 41 } });
    expect(studentRow(created.id)).toMatchObject({ class_name: 'Grade 4 B', last_name: 'Achieng-Otieno' });

    // Saving the form again unchanged queues nothing.
    const again = outbox().length;
    await call(device.core, 'students.save', { id: created.id, values: amina({ class_id: other.id, last_name: 'Achieng-Otieno' }) });
    expect(outbox().length).toBe(again);
  });

  it('refuses a duplicate admission number, an impossible or future birth date and an unknown class, changing nothing', async () => {
    const holder = device.students[3]!;
    const cases: [Partial<StudentFields>, RegExp, string][] = [
      [{ admission_no: holder.admission_no }, new RegExp(`already belongs to ${holder.first_name} ${holder.last_name}`), 'values.admission_no'],
      [{ date_of_birth: '2015-02-30' }, /does not exist/, 'values.date_of_birth'],
      [{ date_of_birth: '2999-01-01' }, /date of birth|plausible/, 'values.date_of_birth'],
      [{ date_of_birth: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10) }, /in the future/, 'values.date_of_birth'],
      [{ class_id: uuidv7() }, /class is not on this device/, 'values.class_id'],
      [{ first_name: '  ' }, /Enter the first name/, 'values.first_name'],
    ];
    const counts = storeCounts(device.core);
    const students = device.core.store.sqlite.prepare('select count(*) from students').pluck().get();
    for (const [change, message, path] of cases) {
      const err = await refusal(device.core, 'students.save', { values: amina(change) });
      expect(err.code).toBe('invalid_input');
      expect(err.message).toMatch(message);
      expect(err.issues?.map((i) => i.path)).toContain(path);
    }
    // Editing another student to take the holder's number is refused too.
    const err = await refusal(device.core, 'students.save', { id: device.students[4]!.id, values: { ...amina(), admission_no: holder.admission_no } });
    expect(err.message).toMatch(/already belongs to/);
    expect(storeCounts(device.core)).toEqual(counts);
    expect(device.core.store.sqlite.prepare('select count(*) from students').pluck().get()).toBe(students);
    expect(studentRow(device.students[4]!.id).admission_no).toBe(device.students[4]!.admission_no);
  });

  it('needs "Edit students": a bursar may look but not save', async () => {
    await signInAs(device.core, 'bursar');
    const err = await refusal(device.core, 'students.save', { values: amina() });
    expect(err.code).toBe('forbidden');
    expect((await call(device.core, 'students.profile', { id: device.students[0]!.id })).values.admission_no).toBe(device.students[0]!.admission_no);
  });
});

describe('guardians', () => {
  it('adds a guardian, links the same guardian to a sibling, finds students by the guardian phone, and unlinks', async () => {
    const [a, b] = [device.students[0]!, device.students[1]!];
    const withMother = await call(device.core, 'guardians.link', {
      studentId: a.id,
      details: { name: 'Mary Wanjiru', phone: '+254 733 111 222', alt_phone: null, email: 'mary@example.com', address: null },
      relationship: 'Mother',
      paysFees: true,
    });
    const mother = withMother.guardians[0]!;
    expect(mother).toMatchObject({ relationship: 'Mother', paysFees: true, values: { name: 'Mary Wanjiru' } });
    expect(withMother.guardianPhone).toBe('+254 733 111 222');

    // A sibling's office finds her by name or phone and links her.
    const found = await call(device.core, 'guardians.search', { search: 'wanj' });
    expect(found.rows.map((g) => g.id)).toEqual([mother.guardianId]);
    expect(found.rows[0]!.children).toBe(`${a.first_name} ${a.last_name}`);
    expect((await call(device.core, 'guardians.search', { search: '733111' })).rows.map((g) => g.id)).toEqual([mother.guardianId]);
    const sibling = await call(device.core, 'guardians.link', { studentId: b.id, guardianId: mother.guardianId, relationship: 'Mother', paysFees: false });
    expect(sibling.siblings.map((s) => s.id)).toEqual([a.id]);
    expect((await call(device.core, 'students.profile', { id: a.id })).siblings.map((s) => s.id)).toEqual([b.id]);

    // Search by the guardian's phone finds both children (the FTS row follows guardian_phone).
    const byPhone = await call(device.core, 'students.list', { search: '733111222' });
    expect(byPhone.rows.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());

    // Editing her phone updates both children's phones.
    await call(device.core, 'guardians.link', {
      studentId: a.id,
      guardianId: mother.guardianId,
      details: { ...mother.values, phone: '+254 799 000 111' },
      relationship: 'Mother',
      paysFees: true,
    });
    expect(studentRow(b.id).guardian_phone).toBe('+254 799 000 111');
    expect((await call(device.core, 'students.list', { search: '799000111' })).rows).toHaveLength(2);

    const unlinked = await call(device.core, 'guardians.unlink', { studentId: b.id, guardianId: mother.guardianId });
    expect(unlinked.guardians).toEqual([]);
    expect(unlinked.siblings).toEqual([]);
    expect(studentRow(b.id).guardian_phone).toBeNull();
    const linkId = studentGuardianId(b.id, mother.guardianId);
    expect(device.core.store.sqlite.prepare('select deleted from student_guardians where id = ?').pluck().get(linkId)).toBe(1);
    const last = outbox().at(-1)!;
    expect(last.name).toBe('studentGuardians.save');
    expect(last.args.rows).toEqual([{ id: linkId, create: false, fields: { deleted: true }, base: { deleted: 0 } }]);

    // Linking again revives the link (no second link row).
    await call(device.core, 'guardians.link', { studentId: b.id, guardianId: mother.guardianId, relationship: 'Mother', paysFees: false });
    expect(device.core.store.sqlite.prepare('select count(*) from student_guardians where student_id = ? and deleted = 0').pluck().get(b.id)).toBe(1);
  });

  it('finds guardians from their FTS index, looking each match up by rowid (no scan of guardians)', async () => {
    const { db, sqlite } = device.core.store;
    const compiled = guardianMatchesQuery(db, toFtsPrefixQuery('mary 0712')!, 20).compile();
    const details = (sqlite.prepare(`explain query plan ${compiled.sql}`).all(...compiled.parameters) as { detail: string }[]).map((r) => r.detail);
    expect(details.some((d) => /SCAN guardians_fts VIRTUAL TABLE/.test(d))).toBe(true);
    expect(details.some((d) => /SEARCH g USING INTEGER PRIMARY KEY \(rowid=\?\)/.test(d))).toBe(true);
    expect(details.filter((d) => /^SCAN g$/.test(d))).toEqual([]);
  });

  it('refuses a new guardian without details, a bad phone and an unknown guardian, changing nothing', async () => {
    const counts = storeCounts(device.core);
    const s = device.students[0]!.id;
    expect((await refusal(device.core, 'guardians.link', { studentId: s, relationship: 'Father', paysFees: false })).message).toMatch(/new guardian's details/);
    const bad = await refusal(device.core, 'guardians.link', {
      studentId: s,
      details: { name: 'John', phone: 'call me', alt_phone: null, email: null, address: null },
      relationship: 'Father',
      paysFees: false,
    });
    expect(bad.issues?.[0]?.path).toBe('details.phone');
    expect((await refusal(device.core, 'guardians.link', { studentId: s, guardianId: uuidv7(), relationship: 'Father', paysFees: false })).message).toMatch(/not on this device/);
    expect((await refusal(device.core, 'guardians.unlink', { studentId: s, guardianId: uuidv7() })).message).toMatch(/not linked/);
    expect(storeCounts(device.core)).toEqual(counts);
  });
});

describe('bulk changes', () => {
  it('moves 600 matching students to a class in one transaction, in one mutation, well under a second', async () => {
    await device.dispose();
    device = await openTestDevice({ students: 620, signInAs: 'registrar' });
    const cls = await newClass();
    const filter: StudentFilter = { status: 'enrolled' };
    const { count } = await call(device.core, 'students.count', filter);
    expect(count).toBeGreaterThanOrEqual(600);
    const started = performance.now();
    const result = await call(device.core, 'students.bulkChange', { target: { filter }, change: { classId: cls.id } });
    const ms = performance.now() - started;
    expect(result).toMatchObject({ selected: count, changed: count });
    expect(result.changedIds).toHaveLength(count);
    expect((await call(device.core, 'students.count', { classId: cls.id })).count).toBe(count);
    expect(outbox().filter((m) => m.name === 'students.save').map((m) => m.args.rows.length)).toEqual([count]);
    expect(ms).toBeLessThan(1000);

    // Doing it again changes nothing and queues nothing.
    const again = await call(device.core, 'students.bulkChange', { target: { filter: { classId: cls.id } }, change: { classId: cls.id } });
    expect(again).toEqual({ selected: count, changed: 0, changedIds: [] });
    expect(outbox().filter((m) => m.name === 'students.save')).toHaveLength(1);
  });

  it('saves more than 1,000 students in transactions and mutations of at most 1,000, and changes status by ids', async () => {
    await device.dispose();
    device = await openTestDevice({ students: 1200, signInAs: 'registrar' });
    const all = await call(device.core, 'students.bulkChange', { target: { filter: { status: 'enrolled' } }, change: { status: 'withdrawn' } });
    expect(all.changed).toBe(all.selected);
    const sizes = outbox().filter((m) => m.name === 'students.save').map((m) => m.args.rows.length);
    expect(sizes).toEqual([MAX_RECORDS_PER_MUTATION, all.changed - MAX_RECORDS_PER_MUTATION]);
    expect((await call(device.core, 'students.count', { status: 'withdrawn' })).count).toBe(1200);
    const ids = device.students.slice(0, 3).map((s) => s.id);
    const back = await call(device.core, 'students.bulkChange', { target: { ids }, change: { status: 'enrolled' } });
    expect(back).toEqual({ selected: 3, changed: 3, changedIds: ids });
    expect(outbox().at(-1)!.args.rows.map((r) => r.fields)).toEqual([{ status: 'enrolled' }, { status: 'enrolled' }, { status: 'enrolled' }]);
  });

  it('refuses unknown students and an unknown class, changing nothing', async () => {
    const counts = storeCounts(device.core);
    const ids = [device.students[0]!.id, uuidv7()];
    expect((await refusal(device.core, 'students.bulkChange', { target: { ids }, change: { status: 'withdrawn' } })).message).toMatch(/1 of the selected students are not on this device/);
    expect((await refusal(device.core, 'students.bulkChange', { target: { ids: [ids[0]!] }, change: { classId: uuidv7() } })).message).toMatch(/class is not on this device/);
    expect((await refusal(device.core, 'students.bulkChange', { target: { filter: { search: 'zzzzqqq' } }, change: { status: 'withdrawn' } })).message).toMatch(/No student matches/);
    expect(storeCounts(device.core)).toEqual(counts);
    expect(studentRow(ids[0]!).status).toBe('enrolled');
  });
});

describe('the list filtered by class, status and gender', () => {
  it('counts and pages with filters combined', async () => {
    const cls = await newClass();
    const ids = device.students.slice(0, 10).map((s) => s.id);
    await call(device.core, 'students.bulkChange', { target: { ids }, change: { classId: cls.id } });
    await call(device.core, 'students.bulkChange', { target: { ids: ids.slice(0, 4) }, change: { status: 'withdrawn' } });
    for (const id of ids.slice(0, 6)) await call(device.core, 'students.save', { id, values: { ...(await call(device.core, 'students.profile', { id })).values, gender: 'female' } });
    expect((await call(device.core, 'students.count', { classId: cls.id })).count).toBe(10);
    expect((await call(device.core, 'students.count', { classId: cls.id, status: 'enrolled' })).count).toBe(6);
    expect((await call(device.core, 'students.count', { classId: cls.id, status: 'enrolled', gender: 'female' })).count).toBe(2);
    const page1 = await call(device.core, 'students.list', { classId: cls.id, limit: 4 });
    const page2 = await call(device.core, 'students.list', { classId: cls.id, limit: 10, after: page1.next });
    expect(new Set([...page1.rows, ...page2.rows].map((r) => r.id))).toEqual(new Set(ids));
  });

  async function plan(filter: StudentFilter, after: boolean): Promise<string[]> {
    const { db, sqlite } = device.core.store;
    const cursor = after ? { lastName: 'Gitau', firstName: 'Esther', id: '0' } : null;
    const compiled = studentsPageQuery(db, filter, await planSearch(db, filter.search), cursor, 50).compile();
    return (sqlite.prepare(`explain query plan ${compiled.sql}`).all(...compiled.parameters) as { detail: string }[]).map((r) => r.detail);
  }

  const filters: [string, StudentFilter, RegExp][] = [
    ['class', { classId: '0190d000-0000-7000-8000-000000000001' }, /students_by_class_id/],
    ['status', { status: 'withdrawn' }, /students_by_status_name/],
    ['gender', { gender: 'male' }, /students_by_gender_name/],
  ];
  for (const [name, filter, index] of filters) {
    for (const after of [false, true]) {
      it(`by ${name}${after ? ' after a cursor' : ''}: an index serves the filter and the order (no scan, no temp b-tree)`, async () => {
        const details = await plan(filter, after);
        expect(details.some((d) => index.test(d))).toBe(true);
        expect(details.filter((d) => /^SCAN students$/.test(d))).toEqual([]);
        expect(details.filter((d) => d.includes('TEMP B-TREE'))).toEqual([]);
      });
    }
  }
});

describe('needs attention', () => {
  it('describes a refused student edit by name, admission number and fields', async () => {
    const s = device.students[5]!;
    const cls = await newClass();
    await call(device.core, 'students.save', { id: s.id, values: { ...(await call(device.core, 'students.profile', { id: s.id })).values, class_id: cls.id, medical_notes: 'Asthma' } });
    await call(device.core, 'students.bulkChange', { target: { ids: device.students.slice(10, 14).map((x) => x.id) }, change: { status: 'withdrawn' } });
    await pushWithVerdicts(device.core, (m) => (m.name === 'students.save' ? { mutationId: m.id, status: 'rejected', reason: 'No.' } : { mutationId: m.id, status: 'applied' }));
    const summaries = (await call(device.core, 'attention.list', {})).rows.map((r) => r.summary);
    expect(summaries).toEqual([`Edit of ${s.first_name} ${s.last_name} (${s.admission_no}): class, medical notes`, 'Edit of 4 students: status']);
  });
});
