import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { baseVersions, changedFields, mergeFields, type RecordMeta } from '../../shared/domain/records.js';
import { saveArgs } from '../../shared/domain/records.js';
import { StudentFields } from '../../shared/domain/students.js';

const DEV_A = '0190d000-0000-7000-8000-00000000000a';
const DEV_B = '0190d000-0000-7000-8000-00000000000b';
const ANN = '0190e000-0000-7000-8000-000000000001';
const BEN = '0190e000-0000-7000-8000-000000000002';

const row = { first_name: 'Amina', last_name: 'Achieng', class_id: null as string | null, medical_notes: null as string | null };
/** Written at seq 10 by device A (Ann): every field. */
const meta: RecordMeta = { f: { first_name: { v: 10, d: DEV_A, a: ANN }, last_name: { v: 10, d: DEV_A, a: ANN }, class_id: { v: 10, d: DEV_A, a: ANN } } };

describe('mergeFields: the field-by-field rule of DESIGN §3', () => {
  it('creates a record: every field written and stamped, nothing to conflict with', () => {
    const r = mergeFields(null, null, row, {}, { seq: 5, deviceId: DEV_A, authorId: ANN }, 'other-device');
    expect(r.patch).toEqual(row);
    expect(r.conflicts).toEqual([]);
    expect(r.meta.f.first_name).toEqual({ v: 5, d: DEV_A, a: ANN });
  });

  it('applies an edit based on the current version without a conflict', () => {
    const r = mergeFields(row, meta, { last_name: 'Otieno' }, { last_name: 10 }, { seq: 11, deviceId: DEV_B, authorId: BEN }, 'other-device');
    expect(r.patch).toEqual({ last_name: 'Otieno' });
    expect(r.conflicts).toEqual([]);
    expect(r.meta.f.last_name).toEqual({ v: 11, d: DEV_B, a: BEN });
    expect(r.meta.f.first_name).toEqual(meta.f.first_name);
  });

  it('keeps the newer write of a field another device changed since, and reports what it replaced', () => {
    const later = { f: { ...meta.f, last_name: { v: 12, d: DEV_A, a: ANN } } };
    const current = { ...row, last_name: 'Wanjiru' };
    const r = mergeFields(current, later, { last_name: 'Otieno' }, { last_name: 10 }, { seq: 13, deviceId: DEV_B, authorId: BEN }, 'other-device');
    expect(r.patch).toEqual({ last_name: 'Otieno' });
    expect(r.conflicts).toEqual([{ field: 'last_name', lostValue: 'Wanjiru', lostStamp: { v: 12, d: DEV_A, a: ANN }, keptValue: 'Otieno' }]);
  });

  it('merges different fields edited on two devices from the same version without a conflict', () => {
    const first = mergeFields(row, meta, { first_name: 'Aminah' }, { first_name: 10 }, { seq: 11, deviceId: DEV_A, authorId: ANN }, 'other-device');
    const afterFirst = { ...row, ...first.patch };
    const second = mergeFields(afterFirst, first.meta, { class_id: DEV_B }, { class_id: 10 }, { seq: 12, deviceId: DEV_B, authorId: BEN }, 'other-device');
    expect({ ...afterFirst, ...second.patch }).toEqual({ ...row, first_name: 'Aminah', class_id: DEV_B });
    expect([...first.conflicts, ...second.conflicts]).toEqual([]);
  });

  it('does not call a device overwriting its own earlier edit a conflict', () => {
    const mine = { f: { ...meta.f, last_name: { v: 12, d: DEV_B, a: BEN } } };
    const r = mergeFields({ ...row, last_name: 'Wanjiru' }, mine, { last_name: 'Otieno' }, { last_name: 10 }, { seq: 13, deviceId: DEV_B, authorId: BEN }, 'other-device');
    expect(r.conflicts).toEqual([]);
  });

  it("under 'other-author', the same person on two computers is not a conflict but another person is", () => {
    const byAnnElsewhere = { f: { status: { v: 12, d: DEV_A, a: ANN } } };
    const current = { status: 'absent' };
    const same = mergeFields(current, byAnnElsewhere, { status: 'late' }, { status: 0 }, { seq: 13, deviceId: DEV_B, authorId: ANN }, 'other-author');
    expect(same.conflicts).toEqual([]);
    const other = mergeFields(current, byAnnElsewhere, { status: 'late' }, { status: 0 }, { seq: 13, deviceId: DEV_B, authorId: BEN }, 'other-author');
    expect(other.conflicts.map((c) => [c.field, c.lostValue, c.keptValue])).toEqual([['status', 'absent', 'late']]);
  });

  it('changes nothing and raises nothing for a value the field already holds (the same edit made twice)', () => {
    const later = { f: { ...meta.f, last_name: { v: 12, d: DEV_A, a: ANN } } };
    const r = mergeFields({ ...row, last_name: 'Otieno' }, later, { last_name: 'Otieno' }, { last_name: 10 }, { seq: 13, deviceId: DEV_B, authorId: BEN }, 'other-device');
    expect(r.patch).toEqual({});
    expect(r.conflicts).toEqual([]);
    expect(r.meta.f.last_name).toEqual({ v: 12, d: DEV_A, a: ANN });
  });

  it('compares structured values by content (grading bands, recipient lists)', () => {
    const bands = [{ grade: 'A', min: 80, max: 100, remark: 'Excellent' }];
    const r = mergeFields({ bands }, { f: { bands: { v: 3, d: DEV_A, a: ANN } } }, { bands: JSON.parse(JSON.stringify(bands)) }, { bands: 0 }, { seq: 4, deviceId: DEV_B, authorId: BEN }, 'other-device');
    expect(r.patch).toEqual({});
    expect(r.conflicts).toEqual([]);
  });

  it('converges: applying the same writes in server order gives one result, and a lost value is always reported', () => {
    // Each write: which device, which value, and whether it was based on the latest version it could have seen.
    const write = fc.record({ device: fc.constantFrom(DEV_A, DEV_B), value: fc.constantFrom('x', 'y', 'z'), stale: fc.boolean() });
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 12 }), (writes) => {
        let current: Record<string, unknown> | null = null;
        let m: RecordMeta | null = null;
        let seq = 0;
        for (const w of writes) {
          seq++;
          const base = w.stale ? 0 : (m?.f.v?.v ?? 0);
          const r = mergeFields(current, m, { v: w.value }, { v: base }, { seq, deviceId: w.device, authorId: null }, 'other-device');
          const before = current?.v;
          current = { ...(current ?? {}), ...r.patch };
          // A value replaced by a stale write of another device is never silently dropped.
          const replacedByOther = before !== undefined && before !== w.value && w.stale && m?.f.v && m.f.v.v > 0 && m.f.v.d !== w.device;
          if (replacedByOther) expect(r.conflicts.map((c) => c.lostValue)).toEqual([before]);
          m = r.meta;
        }
        // The newest write in server order always holds.
        expect(current?.v).toBe(writes.at(-1)!.value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('what a device sends', () => {
  it('sends only changed fields, each with the version it read (0 for a field it never saw)', () => {
    const changed = changedFields({ first_name: 'Amina', last_name: 'Achieng', class_id: null }, { first_name: 'Amina', last_name: 'Otieno', class_id: null });
    expect(changed).toEqual({ last_name: 'Otieno' });
    expect(baseVersions(meta, ['last_name', 'medical_notes'])).toEqual({ last_name: 10, medical_notes: 0 });
  });

  it('refuses a save carrying a field that is not the table’s, or a bad value, naming it', () => {
    const args = saveArgs(StudentFields);
    const id = '0190f000-0000-7000-8000-000000000001';
    const unknown = args.safeParse({ rows: [{ id, create: false, fields: { balance: 5 } }] });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('balance');
    const badDate = args.safeParse({ rows: [{ id, create: false, fields: { date_of_birth: '2019-02-30' } }] });
    expect(badDate.success).toBe(false);
    expect(badDate.error?.issues[0]?.message).toBe('That date does not exist.');
    expect(args.safeParse({ rows: [] }).success).toBe(false);
  });
});
