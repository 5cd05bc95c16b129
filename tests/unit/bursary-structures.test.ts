// Fee structures on the device: one active per class and term, applied as one charge per
// instalment with ids derived from structure, student, fee and due date (so applying twice, or on
// two computers, charges once), all in one transaction; and a pulled edit rebased under a pending one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestDevice, pullRows, pushWithVerdicts, refusal, storeCounts, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import { structureChargeId } from '../../shared/sync/mutations.js';
import type { FeeStructureRow } from '../../shared/domain/fees.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import type { ApiInput } from '../../shared/api/contract.js';

let device: TestDevice;
beforeEach(async () => {
  device = await openTestDevice({ students: 60 });
});
afterEach(() => device.dispose());

const [tuition, lunch, retired] = TEST_CATEGORIES;
const grade = 'Grade 3';
const inGrade = () => device.students.filter((s) => s.class_name === grade);

const structure = (patch: Partial<ApiInput<'fees.saveStructure'>> = {}): ApiInput<'fees.saveStructure'> => ({
  className: grade,
  term: 'Term 1 2027',
  items: [
    {
      categoryId: tuition!.id,
      amountMinor: 120_000,
      instalments: [
        { dueOn: '2027-01-15', amountMinor: 60_000 },
        { dueOn: '2027-02-15', amountMinor: 60_000 },
      ],
    },
    { categoryId: lunch!.id, amountMinor: 30_000, instalments: [{ dueOn: '2027-01-15', amountMinor: 30_000 }] },
  ],
  ...patch,
});

describe('fees.saveStructure', () => {
  it('saves a structure as a pending editable row and lists it with its class', async () => {
    const saved = await call(device.core, 'fees.saveStructure', structure());
    expect(saved).toMatchObject({
      className: grade,
      term: 'Term 1 2027',
      active: true,
      totalMinor: 150_000,
      studentsInClass: inGrade().filter((s) => s.status === 'enrolled').length,
      studentsCharged: 0,
      pending: true,
    });
    expect(saved.items.map((i) => i.category)).toEqual(['Tuition', 'Lunch']);
    const outbox = JSON.parse(device.core.store.sqlite.prepare("select args from outbox where name = 'fees.saveStructure'").pluck().get() as string);
    expect(outbox).toMatchObject({ id: saved.id, className: grade, term: 'Term 1 2027', active: true });
    expect((await call(device.core, 'fees.structures', {})).structures).toEqual([saved]);

    // Replacing it keeps its id; the latest save is what the row holds.
    const edited = await call(device.core, 'fees.saveStructure', structure({ id: saved.id, items: [structure().items[1]!] }));
    expect(edited).toMatchObject({ id: saved.id, totalMinor: 30_000 });
    expect(storeCounts(device.core).fee_structures).toBe(1);
    expect(device.core.store.sqlite.prepare("select count(*) from outbox where name = 'fees.saveStructure'").pluck().get()).toBe(2);
  });

  it('keeps one active structure per class and term, and refuses fees no longer in use, saving nothing', async () => {
    await call(device.core, 'fees.saveStructure', structure());
    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'fees.saveStructure', structure())).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^Grade 3 already has an active fee structure for Term 1 2027 \(2 fees, KES\s?1,500\.00 in all\)\. Edit that one, or make it inactive first\.$/),
    });
    expect(await refusal(device.core, 'fees.saveStructure', structure({ className: 'grade 3', term: 'TERM 1 2027' }))).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^Grade 3 already has an active fee structure for Term 1 2027 /),
    });
    expect(await refusal(device.core, 'fees.saveStructure', structure({ className: 'Grade 4', items: [{ categoryId: retired!.id, amountMinor: 100, instalments: [{ dueOn: '2027-01-15', amountMinor: 100 }] }] }))).toMatchObject({
      code: 'conflict',
      message: 'The fee category "Old uniform levy" is no longer in use.',
    });
    expect(await refusal(device.core, 'fees.saveStructure', structure({ id: '01900000-0000-7000-8000-00000000abcd' }))).toMatchObject({ code: 'not_found' });
    const badInstalments = structure({ items: [{ categoryId: tuition!.id, amountMinor: 100, instalments: [{ dueOn: '2027-01-15', amountMinor: 99 }] }] });
    expect(await refusal(device.core, 'fees.saveStructure', badInstalments)).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/must add up to the fee/) });
    expect(storeCounts(device.core)).toEqual(before);
    // An inactive second structure for the same class and term is allowed, and so is switching
    // off a structure whose fee has gone out of use since.
    await call(device.core, 'fees.saveStructure', structure({ active: false }));
    const retiredFee = [{ categoryId: retired!.id, amountMinor: 100, instalments: [{ dueOn: '2027-01-15', amountMinor: 100 }] }];
    expect(await call(device.core, 'fees.saveStructure', structure({ className: 'Grade 4', items: retiredFee, active: false }))).toMatchObject({ active: false });
  });
});

describe('fees.applyStructure', () => {
  it('charges each enrolled student of the class once per instalment, and applying again charges nobody', async () => {
    const saved = await call(device.core, 'fees.saveStructure', structure());
    const enrolled = inGrade().filter((s) => s.status === 'enrolled');
    const first = await call(device.core, 'fees.applyStructure', { structureId: saved.id });
    expect(first).toEqual({ studentsCharged: enrolled.length, chargesPosted: enrolled.length * 3, studentsSkipped: 0 });

    const student = enrolled[0]!;
    const charges = device.core.store.sqlite.prepare('select * from charges where student_id = ? order by due_on, category_id').all(student.id) as Record<string, unknown>[];
    expect(charges.map((c) => [c.id, c.category_id, c.amount_minor, c.due_on, c.term, c.description, c.structure_id])).toEqual([
      [structureChargeId(saved.id, student.id, tuition!.id, '2027-01-15'), tuition!.id, 60_000, '2027-01-15', 'Term 1 2027', '', saved.id],
      [structureChargeId(saved.id, student.id, lunch!.id, '2027-01-15'), lunch!.id, 30_000, '2027-01-15', 'Term 1 2027', '', saved.id],
      [structureChargeId(saved.id, student.id, tuition!.id, '2027-02-15'), tuition!.id, 60_000, '2027-02-15', 'Term 1 2027', '', saved.id],
    ]);
    const queued = device.core.store.sqlite.prepare("select args from outbox where name = 'charges.post' order by seq").pluck().all() as string[];
    expect(queued).toHaveLength(enrolled.length * 3);
    expect(JSON.parse(queued[0]!)).toMatchObject({ structureId: saved.id, description: '', term: 'Term 1 2027' });

    const before = storeCounts(device.core);
    const again = await call(device.core, 'fees.applyStructure', { structureId: saved.id });
    expect(again).toEqual({ studentsCharged: 0, chargesPosted: 0, studentsSkipped: enrolled.length });
    expect(storeCounts(device.core)).toEqual(before);
    expect((await call(device.core, 'fees.structures', {})).structures[0]).toMatchObject({ studentsCharged: enrolled.length });
    expect((await call(device.core, 'students.statement', { studentId: student.id })).balanceMinor).toBe(150_000);
  });

  it('charges only what is new after the structure gains a fee, and only the students named', async () => {
    const saved = await call(device.core, 'fees.saveStructure', structure({ items: [structure().items[1]!] }));
    const [a, b] = inGrade().filter((s) => s.status === 'enrolled');
    expect(await call(device.core, 'fees.applyStructure', { structureId: saved.id, studentIds: [a!.id] })).toEqual({ studentsCharged: 1, chargesPosted: 1, studentsSkipped: 0 });
    await call(device.core, 'fees.saveStructure', structure({ id: saved.id }));
    expect(await call(device.core, 'fees.applyStructure', { structureId: saved.id, studentIds: [a!.id, b!.id] })).toEqual({ studentsCharged: 2, chargesPosted: 5, studentsSkipped: 0 });
  });

  it('refuses a structure that is inactive or uses a retired fee, and students who cannot be charged, charging nobody', async () => {
    const inactive = await call(device.core, 'fees.saveStructure', structure({ active: false }));
    const active = await call(device.core, 'fees.saveStructure', structure());
    const withdrawn = device.students.find((s) => s.status === 'withdrawn')!;
    const enrolled = inGrade().find((s) => s.status === 'enrolled')!;
    const before = storeCounts(device.core);
    expect(await refusal(device.core, 'fees.applyStructure', { structureId: inactive.id })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/is inactive/) });
    expect(await refusal(device.core, 'fees.applyStructure', { structureId: active.id, studentIds: [enrolled.id, withdrawn.id] })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(`(${withdrawn.admission_no}) is withdrawn`),
    });
    expect(await refusal(device.core, 'fees.applyStructure', { structureId: active.id, studentIds: [enrolled.id, '01900000-0000-7000-8000-00000000abcd'] })).toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/^One of the students chosen is not on this device/),
    });
    const empty = await call(device.core, 'fees.saveStructure', structure({ className: 'Grade 12' }));
    expect(await refusal(device.core, 'fees.applyStructure', { structureId: empty.id })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/No enrolled student is in Grade 12/) });
    // A fee retired after the structure was saved stops it being applied.
    device.core.store.sqlite.prepare('update fee_categories set active = 0 where id = ?').run(lunch!.id);
    expect(await refusal(device.core, 'fees.applyStructure', { structureId: active.id })).toMatchObject({ code: 'conflict', message: 'The fee category "Lunch" is no longer in use.' });
    expect(storeCounts(device.core)).toEqual({ ...before, fee_structures: before.fee_structures! + 1, outbox: before.outbox! + 1, outbox_rows: before.outbox_rows! + 1, shadow_rows: before.shadow_rows! + 1 });
  });

  it('applies to a class of 600 in one transaction, or not at all', async () => {
    await device.dispose();
    device = await openTestDevice({ students: 4_200 });
    const saved = await call(device.core, 'fees.saveStructure', structure());
    const enrolled = inGrade().filter((s) => s.status === 'enrolled').length;
    expect(enrolled).toBeGreaterThan(580);

    // A failure at the last charge leaves no charge and no queued mutation behind.
    const before = storeCounts(device.core);
    device.core.store.sqlite.exec(`create temp trigger fail_last before insert on charges when (select count(*) from charges) = ${enrolled * 3 - 1} begin select raise(abort, 'disk full'); end`);
    expect(await refusal(device.core, 'fees.applyStructure', { structureId: saved.id })).toMatchObject({ code: 'internal' });
    expect(storeCounts(device.core)).toEqual(before);
    device.core.store.sqlite.exec('drop trigger fail_last');

    const started = performance.now();
    expect(await call(device.core, 'fees.applyStructure', { structureId: saved.id })).toMatchObject({ studentsCharged: enrolled, chargesPosted: enrolled * 3 });
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    const seqs = device.core.store.sqlite.prepare("select seq from outbox where name = 'charges.post' order by seq").pluck().all() as number[];
    expect(seqs.at(-1)! - seqs[0]!).toBe(seqs.length - 1);
  });

  it('does not charge again what another computer applied from the same structure', async () => {
    const saved = await call(device.core, 'fees.saveStructure', structure());
    const [a, b] = inGrade().filter((s) => s.status === 'enrolled');
    // The other office's charges for student a arrive first (same derived ids).
    const fromOtherOffice = structure().items.flatMap((item) =>
      item.instalments.map((i) => ({
        id: structureChargeId(saved.id, a!.id, item.categoryId, i.dueOn),
        student_id: a!.id,
        category_id: item.categoryId,
        description: '',
        amount_minor: i.amountMinor,
        currency: 'KES',
        term: 'Term 1 2027',
        due_on: i.dueOn,
        posted_at: '2027-01-02T08:00:00.000Z',
        posted_by: 'Other Bursar',
        device_id: '0190d000-0000-7000-8000-000000000009',
        structure_id: saved.id,
      })),
    );
    await pullRows(device.core, 'charges', fromOtherOffice);
    const result = await call(device.core, 'fees.applyStructure', { structureId: saved.id, studentIds: [a!.id, b!.id] });
    expect(result).toEqual({ studentsCharged: 1, chargesPosted: 3, studentsSkipped: 1 });
    expect(device.core.store.sqlite.prepare('select count(*) from charges where student_id = ?').pluck().get(a!.id)).toBe(3);
  });
});

describe('a pulled structure under a pending edit (rebase)', () => {
  it('keeps the local edit on screen while it is pending; a refusal puts back the server’s newer row', async () => {
    const saved = await call(device.core, 'fees.saveStructure', structure());
    const serverRow = (items: FeeStructureRow['items'], active = true): FeeStructureRow => ({ id: saved.id, class_name: grade, term: 'Term 1 2027', items, active });
    // The save is acknowledged; then this device edits it again, offline.
    await pushWithVerdicts(device.core, (m) => ({ mutationId: m.id, status: 'applied' }));
    await pullRows(device.core, 'fee_structures', [serverRow(structure().items)]);
    await call(device.core, 'fees.saveStructure', structure({ id: saved.id, items: [structure().items[0]!] }));

    // Another office's edit of the same structure arrives while ours is pending.
    const theirs = serverRow([structure().items[1]!], false);
    await pullRows(device.core, 'fee_structures', [theirs]);
    let view = (await call(device.core, 'fees.structures', {})).structures[0]!;
    expect(view).toMatchObject({ totalMinor: 120_000, active: true, pending: true });

    await pushWithVerdicts(device.core, (m) => ({ mutationId: m.id, status: 'rejected', reason: 'Sam Otieno may no longer manage fees.' }));
    view = (await call(device.core, 'fees.structures', {})).structures[0]!;
    expect(view).toMatchObject({ totalMinor: 30_000, active: false, pending: false });
    expect(storeCounts(device.core)).toMatchObject({ outbox: 0, shadow_rows: 0, needs_attention: 1 });
  });
});

describe('terms.list', () => {
  it('lists the synced terms in order with the one holding the school’s today', async () => {
    expect(await call(device.core, 'terms.list', {})).toEqual({ terms: [], currentTermId: null });
    const today = schoolDate(new Date(), 'Africa/Nairobi');
    const year = Number(today.slice(0, 4));
    const terms = [
      { id: 'term-next', name: `Term 1 ${year + 1}`, starts_on: `${year + 1}-01-06`, ends_on: `${year + 1}-04-04` },
      { id: 'term-now', name: 'This term', starts_on: `${year}-01-01`, ends_on: `${year}-12-31` },
    ];
    await pullRows(device.core, 'terms', terms);
    expect(await call(device.core, 'terms.list', {})).toEqual({ terms: [terms[1], terms[0]], currentTermId: 'term-now' });
  });
});
