// Conflict review on a real device store: conflicts raised by the server arrive like any synced
// row and are listed in words (record, field, both values, who and which computer); "Keep" and
// "Restore the replaced value" queue conflicts.resolve, restore puts the value back here at once,
// and someone without the record's permission is refused with nothing saved.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, refusal, signInAs, staffFor, storeCounts, type TestDevice } from '../support/local-device.js';
import { uuidv7 } from '../../shared/ids.js';
import { EMPTY_META } from '../../shared/domain/records.js';
import type { ConflictRow } from '../../shared/domain/conflicts.js';
import { attendanceRecordId, attendanceSessionId } from '../../shared/domain/attendance.js';
import { fieldLabel, valueWords } from '../../shared/domain/conflict-views.js';

const OTHER_DEVICE = uuidv7();
const CLASS_ID = uuidv7();

function conflict(over: Partial<ConflictRow>): ConflictRow {
  return {
    id: uuidv7(),
    kind: 'overwritten',
    table_name: 'students',
    row_id: uuidv7(),
    field: 'first_name',
    kept_value: '"Amina"',
    lost_value: '"Aminah"',
    kept_by: staffFor('registrar').id,
    kept_device: OTHER_DEVICE,
    lost_by: staffFor('head_teacher').id,
    lost_device: null,
    other_row_id: null,
    raised_at: '2026-11-20T10:00:00.000Z',
    resolved_at: null,
    resolved_by: null,
    resolution: null,
    ...over,
  };
}

describe('conflicts', () => {
  let d: TestDevice;
  let amina: TestDevice['students'][number];
  let brian: TestDevice['students'][number];

  beforeEach(async () => {
    d = await openTestDevice({ students: 2, signInAs: 'registrar' });
    [amina, brian] = d.students as [typeof amina, typeof brian];
    await pullRows(d.core, 'devices', [{ id: OTHER_DEVICE, name: 'Front office', profile: 'office', receipt_series: 'T-D2', enrolled_at: '2026-01-01T00:00:00.000Z', revoked_at: null }]);
    await pullRows(d.core, 'classes', [{ id: CLASS_ID, grade: 'Grade 4', level: 4, stream: 'A', academic_year: 2026, class_teacher_id: null, grading_scale_id: null, name: 'Grade 4 A', deleted: false, meta: EMPTY_META }]);
  });
  afterEach(() => d.dispose());

  it('lists open conflicts in words: the record, the field, the value kept and replaced, by whom, from which computer', async () => {
    const sessionId = attendanceSessionId(CLASS_ID, '2026-11-20', '');
    await pullRows(d.core, 'attendance_sessions', [{ id: sessionId, class_id: CLASS_ID, date: '2026-11-20', period: '', taken_by: null, note: '', deleted: false, meta: EMPTY_META }]);
    const recordId = attendanceRecordId(sessionId, brian.id);
    await pullRows(d.core, 'attendance_records', [{ id: recordId, session_id: sessionId, student_id: brian.id, status: 'present', reason: null, deleted: false, meta: EMPTY_META }]);
    const c1 = conflict({ row_id: amina.id, raised_at: '2026-11-20T10:00:00.000Z' });
    const c2 = conflict({ table_name: 'attendance_records', row_id: recordId, field: 'status', kept_value: '"present"', lost_value: '"absent"', kept_by: staffFor('teacher').id, lost_by: staffFor('head_teacher').id, lost_device: d.core.device.device_id, raised_at: '2026-11-21T10:00:00.000Z' });
    const c3 = conflict({ row_id: amina.id, field: 'class_id', kept_value: JSON.stringify(CLASS_ID), lost_value: 'null', raised_at: '2026-11-22T10:00:00.000Z' });
    await pullRows(d.core, 'record_conflicts', [c2, c1, c3]);

    const page = await call(d.core, 'conflicts.list', { state: 'open' });
    expect(page.openCount).toBe(3);
    expect(page.rows.map((r) => r.id)).toEqual([c1.id, c2.id, c3.id]);
    expect(page.rows[0]).toMatchObject({
      record: `${amina.first_name} ${amina.last_name} (${amina.admission_no})`,
      fieldLabel: 'First name',
      kept: { value: 'Amina', by: staffFor('registrar').display_name, device: 'Front office' },
      replaced: { value: 'Aminah', by: staffFor('head_teacher').display_name, device: 'the server' },
      studentIds: [amina.id],
      resolution: null,
    });
    expect(page.rows[1]).toMatchObject({
      record: `Grade 4 A register, 2026-11-20: ${brian.first_name} ${brian.last_name}`,
      fieldLabel: 'Status',
      kept: { value: 'present', by: staffFor('teacher').display_name },
      replaced: { value: 'absent', device: 'this computer' },
      studentIds: [brian.id],
    });
    expect(page.rows[2]).toMatchObject({ fieldLabel: 'Class', kept: { value: 'Grade 4 A' }, replaced: { value: '(empty)' } });
    const first = await call(d.core, 'conflicts.list', { state: 'open', limit: 2 });
    expect((await call(d.core, 'conflicts.list', { state: 'open', after: first.next, limit: 2 })).rows.map((r) => r.id)).toEqual([c3.id]);
    expect(await call(d.core, 'conflicts.openCount', {})).toEqual({ count: 3 });
  });

  it('"Keep" closes the conflict (queued as conflicts.resolve) and lists it under resolved; the record is unchanged', async () => {
    const c = conflict({ row_id: amina.id });
    await pullRows(d.core, 'record_conflicts', [c]);
    const kept = await call(d.core, 'conflicts.resolve', { id: c.id, resolution: 'kept' });
    expect(kept).toMatchObject({ resolution: 'kept', resolvedBy: staffFor('registrar').display_name, resolvedAt: expect.any(String) });
    const args = JSON.parse(d.core.store.sqlite.prepare("select args from outbox where name = 'conflicts.resolve'").pluck().get() as string);
    expect(args).toMatchObject({ conflictId: c.id, resolution: 'kept' });
    expect((await call(d.core, 'conflicts.list', { state: 'open' })).rows).toEqual([]);
    expect((await call(d.core, 'conflicts.list', { state: 'resolved' })).rows.map((r) => r.id)).toEqual([c.id]);
    expect(d.core.store.sqlite.prepare('select first_name from students where id = ?').pluck().get(amina.id)).toBe(amina.first_name);
    expect((await refusal(d.core, 'conflicts.resolve', { id: c.id, resolution: 'restored' })).message).toMatch(/already resolved/);
  });

  it('"Restore" puts the replaced value back in the record here at once, and search finds it', async () => {
    const c = conflict({ row_id: amina.id, kept_value: JSON.stringify(amina.first_name), lost_value: '"Zawadi"' });
    await pullRows(d.core, 'record_conflicts', [c]);
    await call(d.core, 'conflicts.resolve', { id: c.id, resolution: 'restored' });
    expect(d.core.store.sqlite.prepare('select first_name from students where id = ?').pluck().get(amina.id)).toBe('Zawadi');
    expect((await call(d.core, 'students.list', { search: 'zawadi' })).rows.map((r) => r.id)).toEqual([amina.id]);
    expect((await call(d.core, 'conflicts.list', { state: 'resolved' })).rows[0]).toMatchObject({ resolution: 'restored' });
  });

  it('refuses someone without the record’s permission, and an unknown conflict, saving nothing', async () => {
    const c = conflict({ row_id: amina.id });
    await pullRows(d.core, 'record_conflicts', [c]);
    await signInAs(d.core, 'teacher');
    const before = storeCounts(d.core);
    const refused = await refusal(d.core, 'conflicts.resolve', { id: c.id, resolution: 'restored' });
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toMatch(/Edit students/);
    expect((await refusal(d.core, 'conflicts.resolve', { id: uuidv7(), resolution: 'kept' })).message).toMatch(/not on this device/);
    expect(storeCounts(d.core)).toEqual(before);
    expect(d.core.store.sqlite.prepare('select resolved_at from record_conflicts').pluck().get()).toBeNull();
    // A teacher may resolve a conflict in a register (attendance.mark).
    const mark = conflict({ table_name: 'attendance_records', row_id: uuidv7(), field: 'status', kept_value: '"late"', lost_value: '"present"' });
    await pullRows(d.core, 'record_conflicts', [mark]);
    expect(await call(d.core, 'conflicts.resolve', { id: mark.id, resolution: 'kept' })).toMatchObject({ resolution: 'kept', record: expect.stringMatching(/not on this computer yet/) });
  });

  it('a duplicate admission number names both students and can only be marked dealt with', async () => {
    const c = conflict({ kind: 'duplicate', row_id: brian.id, other_row_id: amina.id, field: 'admission_no', kept_value: JSON.stringify(amina.admission_no), lost_value: JSON.stringify(amina.admission_no) });
    await pullRows(d.core, 'record_conflicts', [c]);
    const [row] = (await call(d.core, 'conflicts.list', { state: 'open' })).rows;
    expect(row).toMatchObject({ kind: 'duplicate', fieldLabel: 'Admission number', other: { rowId: amina.id, record: expect.stringContaining(amina.first_name) }, studentIds: [brian.id, amina.id] });
    expect((await refusal(d.core, 'conflicts.resolve', { id: c.id, resolution: 'restored' })).message).toMatch(/change the number of one of them/);
    expect(await call(d.core, 'conflicts.resolve', { id: c.id, resolution: 'kept' })).toMatchObject({ resolution: 'kept' });
  });

  it('words fields and values', () => {
    expect(fieldLabel('middle_name')).toBe('Middle name');
    expect(fieldLabel('guardian_id')).toBe('Guardian');
    expect(fieldLabel('pays_fees')).toBe('Pays fees');
    expect(valueWords('true', 'pays_fees', new Map())).toBe('Yes');
    expect(valueWords('true', 'deleted', new Map())).toBe('Removed');
    expect(valueWords('37.5', 'score', new Map())).toBe('37.5');
    expect(valueWords('""', 'note', new Map())).toBe('(empty)');
  });
});
