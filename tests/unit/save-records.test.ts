import { afterEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, storeCounts, type TestDevice } from '../support/local-device.js';
import { saveRecords } from '../../electron/core/commands/save-records.js';
import { uuidv7 } from '../../shared/ids.js';
import { EMPTY_META } from '../../shared/domain/records.js';
import type { ClassRow } from '../../shared/domain/classes.js';
import { studentGuardianId } from '../../shared/domain/students.js';
import { AppError } from '../../shared/api/errors.js';

const AUTHOR = '0190b000-0000-7000-8000-000000000001';
let device: TestDevice;
afterEach(async () => device?.dispose());

/** The mutations queued (the offline sign-in's own login record aside). */
function outbox(d: TestDevice) {
  return d.core.store.sqlite
    .prepare("select name, args from outbox where name != 'logins.record' order by seq")
    .all()
    .map((r) => {
      const row = r as { name: string; args: string };
      return { name: row.name, args: JSON.parse(row.args) as { rows: { id: string; create: boolean; fields: Record<string, unknown>; base: Record<string, number> }[] } };
    });
}

const grade4: ClassRow = {
  id: '0190c100-0000-7000-8000-000000000004',
  grade: 'Grade 4',
  level: 4,
  stream: 'A',
  academic_year: 2026,
  class_teacher_id: null,
  grading_scale_id: null,
  name: 'Grade 4 A',
  deleted: false,
  meta: { f: { grade: { v: 7, d: null, a: null }, stream: { v: 7, d: null, a: null } } },
};

describe('saveRecords: the one write path of editable records', () => {
  it('queues only the changed fields with the versions read, and shows the change at once with its derived columns', async () => {
    device = await openTestDevice({ students: 3 });
    await pullRows(device.core, 'classes', [grade4]);
    const student = device.students[0]!;
    await pullRows(device.core, 'students', [{ ...student, meta: { f: { class_id: { v: 9, d: null, a: null }, first_name: { v: 3, d: null, a: null } } } }]);

    await device.core.store.db.transaction().execute((tx) =>
      saveRecords(tx, 'students', [{ id: student.id, values: { first_name: student.first_name, class_id: grade4.id, medical_notes: 'Asthma: inhaler in the office' } }], AUTHOR),
    );

    const [m] = outbox(device);
    expect(m!.name).toBe('students.save');
    expect(m!.args.rows).toEqual([{ id: student.id, create: false, fields: { class_id: grade4.id, medical_notes: 'Asthma: inhaler in the office' }, base: { class_id: 9, medical_notes: 0 } }]);
    const local = device.core.store.sqlite.prepare('select class_id, class_name, medical_notes, first_name from students where id = ?').get(student.id);
    expect(local).toEqual({ class_id: grade4.id, class_name: 'Grade 4 A', medical_notes: 'Asthma: inhaler in the office', first_name: student.first_name });
    // The server's copy is kept, to be put back if the server refuses the edit.
    const shadow = device.core.store.sqlite.prepare("select row from shadow_rows where table_name = 'students' and row_id = ?").pluck().get(student.id) as string;
    expect(JSON.parse(shadow)).toMatchObject({ id: student.id, class_name: student.class_name, medical_notes: null });
  });

  it('queues nothing when nothing changed', async () => {
    device = await openTestDevice({ students: 1 });
    const s = device.students[0]!;
    const before = storeCounts(device.core);
    const writes = await device.core.store.db.transaction().execute((tx) => saveRecords(tx, 'students', [{ id: s.id, values: { first_name: s.first_name, status: s.status } }], AUTHOR));
    expect(writes).toEqual([]);
    expect(storeCounts(device.core)).toEqual(before);
  });

  it('creates a record with every field, a tombstone flag and no versions yet', async () => {
    device = await openTestDevice();
    const id = uuidv7();
    await device.core.store.db.transaction().execute((tx) =>
      saveRecords(tx, 'classes', [{ id, values: { grade: 'Grade 5', level: 5, stream: 'B', academic_year: 2027, class_teacher_id: null, grading_scale_id: null } }], AUTHOR),
    );
    const [m] = outbox(device);
    expect(m!.name).toBe('classes.save');
    expect(m!.args.rows[0]).toMatchObject({ id, create: true, base: {} });
    expect(m!.args.rows[0]!.fields).toMatchObject({ grade: 'Grade 5', stream: 'B', level: 5 });
    const row = device.core.store.sqlite.prepare('select name, deleted, meta from classes where id = ?').get(id);
    expect(row).toEqual({ name: 'Grade 5 B', deleted: 0, meta: JSON.stringify(EMPTY_META) });
  });

  it('refuses a new record missing a field, or a bad value, naming the field, and writes nothing', async () => {
    device = await openTestDevice({ students: 1 });
    const before = storeCounts(device.core);
    const missing = device.core.store.db.transaction().execute((tx) => saveRecords(tx, 'classes', [{ id: uuidv7(), values: { grade: 'Grade 5' } }], AUTHOR));
    await expect(missing).rejects.toThrow(AppError);
    await expect(missing).rejects.toThrow(/level/);
    const badDate = device.core.store.db.transaction().execute((tx) => saveRecords(tx, 'students', [{ id: device.students[0]!.id, values: { date_of_birth: '2015-13-01' } }], AUTHOR));
    await expect(badDate).rejects.toThrow(/date_of_birth: That date does not exist/);
    expect(storeCounts(device.core)).toEqual(before);
    expect(device.core.store.sqlite.prepare('select count(*) from classes').pluck().get()).toBe(0);
  });

  it("keeps students' class names and guardian phones in step with the rows they derive from", async () => {
    device = await openTestDevice({ students: 2 });
    await pullRows(device.core, 'classes', [grade4]);
    const [a, b] = device.students;
    const guardian = uuidv7();
    await device.core.store.db.transaction().execute(async (tx) => {
      await saveRecords(tx, 'students', [a!, b!].map((s) => ({ id: s.id, values: { class_id: grade4.id } })), AUTHOR);
      await saveRecords(tx, 'guardians', [{ id: guardian, values: { name: 'Mary Achieng', phone: '+254 711 000 111', alt_phone: null, email: null, address: null } }], AUTHOR);
      await saveRecords(
        tx,
        'student_guardians',
        [a!, b!].map((s) => ({ id: studentGuardianId(s.id, guardian), values: { student_id: s.id, guardian_id: guardian, relationship: 'Mother', pays_fees: true } })),
        AUTHOR,
      );
      await saveRecords(tx, 'classes', [{ id: grade4.id, values: { stream: 'East' } }], AUTHOR);
    });
    const rows = device.core.store.sqlite.prepare('select class_name, guardian_phone from students where id in (?, ?)').all(a!.id, b!.id);
    expect(rows).toEqual([
      { class_name: 'Grade 4 East', guardian_phone: '+254 711 000 111' },
      { class_name: 'Grade 4 East', guardian_phone: '+254 711 000 111' },
    ]);
    // Unlinking (a tombstone) takes the phone off that student only.
    await device.core.store.db.transaction().execute((tx) => saveRecords(tx, 'student_guardians', [{ id: studentGuardianId(a!.id, guardian), values: {}, delete: true }], AUTHOR));
    expect(device.core.store.sqlite.prepare('select guardian_phone from students where id = ?').pluck().get(a!.id)).toBeNull();
    const unlink = outbox(device).at(-1)!;
    expect(unlink.args.rows[0]).toMatchObject({ fields: { deleted: true }, create: false });
  });

  it('writes rows with different changes in one save, each column stored as its kind, and search follows only searched columns', async () => {
    device = await openTestDevice({ students: 4 });
    await pullRows(device.core, 'classes', [grade4]);
    const [a, b, c, d] = device.students;
    const scale = uuidv7();
    const bands = [{ grade: 'A', min: 50, max: 100, remark: 'Pass' }, { grade: 'F', min: 0, max: 49, remark: 'Fail' }];
    await device.core.store.db.transaction().execute(async (tx) => {
      await saveRecords(
        tx,
        'students',
        [
          { id: a!.id, values: { first_name: 'Zebedee' } },
          { id: b!.id, values: { class_id: grade4.id } },
          { id: c!.id, values: { medical_notes: '0123', date_of_birth: '2015-02-03' } },
          { id: d!.id, values: { first_name: 'Quintus', class_id: grade4.id } },
        ],
        AUTHOR,
      );
      await saveRecords(tx, 'grading_scales', [{ id: scale, values: { name: 'Pass / fail', bands, is_default: true } }], AUTHOR);
    });
    const q = (text: string, ...params: unknown[]) => device.core.store.sqlite.prepare(text).all(...params);
    expect(q('select first_name, class_name, medical_notes, typeof(medical_notes) as t, date_of_birth from students where id in (?, ?, ?, ?) order by id', a!.id, b!.id, c!.id, d!.id)).toEqual([
      { first_name: 'Zebedee', class_name: a!.class_name, medical_notes: null, t: 'null', date_of_birth: null },
      { first_name: b!.first_name, class_name: 'Grade 4 A', medical_notes: null, t: 'null', date_of_birth: null },
      { first_name: c!.first_name, class_name: c!.class_name, medical_notes: '0123', t: 'text', date_of_birth: '2015-02-03' },
      { first_name: 'Quintus', class_name: 'Grade 4 A', medical_notes: null, t: 'null', date_of_birth: null },
    ]);
    expect(q('select name, typeof(is_default) as t, is_default, bands from grading_scales')).toEqual([{ name: 'Pass / fail', t: 'integer', is_default: 1, bands: JSON.stringify(bands) }]);
    // One queued row per record with its own fields; the server's copies kept for each.
    expect(outbox(device)[0]!.args.rows.map((r) => Object.keys(r.fields).sort())).toEqual([['first_name'], ['class_id'], ['date_of_birth', 'medical_notes'], ['class_id', 'first_name']]);
    expect(q("select count(*) as n from shadow_rows where table_name = 'students'")).toEqual([{ n: 4 }]);

    const found = async (search: string) => (await call(device.core, 'students.list', { search })).rows.map((r) => r.id);
    expect(await found('Zebedee')).toEqual([a!.id]);
    expect(await found('Quintus')).toEqual([d!.id]);
    expect(await found(b!.admission_no)).toEqual([b!.id]);
    // A class move leaves the search entry as it was; a phone arriving by a guardian link updates it.
    const guardian = uuidv7();
    await device.core.store.db.transaction().execute(async (tx) => {
      await saveRecords(tx, 'guardians', [{ id: guardian, values: { name: 'Mary', phone: '+254 733 444 555', alt_phone: null, email: null, address: null } }], AUTHOR);
      await saveRecords(tx, 'student_guardians', [{ id: studentGuardianId(b!.id, guardian), values: { student_id: b!.id, guardian_id: guardian, relationship: 'Mother', pays_fees: true } }], AUTHOR);
    });
    expect(await found('733444555')).toEqual([b!.id]);
  });

  it('scores keep half marks as numbers', async () => {
    device = await openTestDevice({ students: 1 });
    const id = uuidv7();
    await device.core.store.db.transaction().execute((tx) => saveRecords(tx, 'scores', [{ id, values: { assessment_id: uuidv7(), student_id: device.students[0]!.id, score: 37.5 } }], AUTHOR));
    expect(device.core.store.sqlite.prepare('select score, typeof(score) as t from scores where id = ?').get(id)).toEqual({ score: 37.5, t: 'real' });
  });

  it('splits a save of more than 1,000 records into several mutations, all in one transaction', async () => {
    device = await openTestDevice({ students: 1205 });
    await pullRows(device.core, 'classes', [grade4]);
    await device.core.store.db.transaction().execute((tx) => saveRecords(tx, 'students', device.students.map((s) => ({ id: s.id, values: { class_id: grade4.id } })), AUTHOR));
    expect(outbox(device).map((m) => m.args.rows.length)).toEqual([1000, 205]);
    expect(device.core.store.sqlite.prepare('select count(*) from students where class_name = ?').pluck().get('Grade 4 A')).toBe(1205);
  });
});
