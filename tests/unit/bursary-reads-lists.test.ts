// The bursary's lists on the device: payments, charges, expenses and arrears, keyset-paged with
// their filters (every row once, none missing, totals right), refused bad filters, and query
// plans that walk an index in the list's order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDevice, staffFor, TEST_CATEGORIES, TEST_STAFF, type TestDevice } from '../support/local-device.js';
import { OTHER_DEVICE, pulledLedger, type PulledLedger } from '../support/pulled-ledger.js';
import { Prng } from '../../sync-server/src/demo/big/prng.js';
import { schoolDate } from '../../shared/domain/ledger-math.js';
import { PAYMENT_METHODS, METHODS_WITH_REFERENCE, type PaymentMethod } from '../../shared/domain/payments.js';
import type { ArrearsListItem, ChargeListItem, ExpenseListItem, LedgerFilter, PaymentListItem } from '../../shared/domain/bursary-views.js';
import type { ExpenseStatus } from '../../shared/domain/expenses.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { paymentsPageQuery } from '../../electron/core/queries/payments-list.js';
import { chargesPageQuery } from '../../electron/core/queries/charges-list.js';
import { expensesPageQuery } from '../../electron/core/queries/expenses-list.js';
import { arrearsPageQuery } from '../../electron/core/queries/arrears.js';

const TZ = 'Africa/Nairobi';
const STAFF = TEST_STAFF.slice(0, 3).map((s) => s.id);
const EXPENSE_CATEGORIES = ['Stationery', 'Repairs', 'Fuel', 'Cleaning'];

interface Seeded {
  id: string;
  at: string;
  studentId?: string;
  className?: string | null;
  method?: PaymentMethod;
  staffId?: string | null;
  categoryId?: string;
  category?: string;
  status?: ExpenseStatus;
  voided: boolean;
}

let device: TestDevice;
let ledger: PulledLedger;
const payments: Seeded[] = [];
const charges: Seeded[] = [];
const expenses: Seeded[] = [];
const balances = new Map<string, number>();
const dup: Record<string, string> = {};

const at = (day: number, minutes: number) => new Date(Date.UTC(2026, 2, day) + minutes * 60_000).toISOString();
const student = (id: string) => device.students.find((s) => s.id === id)!;
const addBalance = (studentId: string, delta: number) => balances.set(studentId, (balances.get(studentId) ?? 0) + delta);

beforeAll(async () => {
  device = await openTestDevice({ students: 240 });
  ledger = pulledLedger(device);
  await ledger.rows('devices', [{ ...OTHER_DEVICE, profile: 'office', enrolled_at: '2026-01-02T06:00:00.000Z', revoked_at: null }]);
  const prng = new Prng(7);
  const students = device.students;
  await ledger.batch(async () => {
    for (let i = 0; i < 300; i++) {
      const s = prng.pick(students);
      const categoryId = prng.pick(TEST_CATEGORIES.slice(0, 2)).id;
      const amount = 100 * prng.int(50, 400);
      const postedAt = at(prng.int(1, 20), prng.int(0, 1439));
      const id = await ledger.charge({ studentId: s.id, categoryId, amountMinor: amount, dueOn: '2026-03-31', postedAt });
      const voided = i % 13 === 0;
      if (voided) await ledger.void('charges', id, 'Charged twice');
      else addBalance(s.id, amount);
      charges.push({ id, at: postedAt, studentId: s.id, className: s.class_name, categoryId, voided });
    }
    // Five payments at the same instant: the id orders them.
    const sameInstant = at(10, 600);
    for (let i = 0; i < 520; i++) {
      const s = prng.pick(students);
      const method = prng.pick(PAYMENT_METHODS);
      const staffId = prng.chance(0.2) ? null : prng.pick(STAFF);
      const amount = 100 * prng.int(10, 300);
      const recordedAt = i < 5 ? sameInstant : at(prng.int(1, 20), prng.int(0, 1439));
      const reference = METHODS_WITH_REFERENCE.includes(method) ? `REF${i}` : null;
      const { id } = await ledger.payment({ studentId: s.id, amountMinor: amount, method, reference, recordedAt, recordedById: staffId });
      const voided = i % 17 === 0;
      if (voided) await ledger.void('payments', id, 'Entered twice');
      else addBalance(s.id, -amount);
      payments.push({ id, at: recordedAt, studentId: s.id, className: s.class_name, method, staffId, voided });
    }
    for (let i = 0; i < 400; i++) {
      const category = prng.pick(EXPENSE_CATEGORIES);
      const method = prng.pick(['cash', 'mobile_money'] as const);
      const staffId = prng.pick(STAFF);
      const recordedAt = at(prng.int(1, 20), prng.int(0, 1439));
      const id = await ledger.expense({ amountMinor: 100 * prng.int(5, 500), recordedAt, category, method, reference: method === 'cash' ? null : `EXP${i}`, recordedById: staffId });
      const r = prng.next();
      let status: ExpenseStatus = 'pending';
      if (r < 0.3) status = 'approved';
      else if (r < 0.5) status = 'rejected';
      if (status !== 'pending') await ledger.decide(id, status as 'approved' | 'rejected', at(21, i), status === 'rejected' ? 'No receipt' : '');
      if (i % 9 === 0) {
        await ledger.void('expenses', id, 'Recorded twice');
        status = 'voided';
      }
      expenses.push({ id, at: recordedAt, method, staffId, category, status, voided: status === 'voided' });
    }
  });
  // Either side of midnight in Nairobi (UTC+3): 23:59:59.999 on 9 March, 00:00 on 10 March.
  const s = students[0]!;
  for (const [recordedAt, key] of [
    ['2026-03-09T20:59:59.999Z', 'lastOf9th'],
    ['2026-03-09T21:00:00.000Z', 'firstOf10th'],
  ] as const) {
    const { id } = await ledger.payment({ studentId: s.id, amountMinor: 100, recordedAt });
    addBalance(s.id, -100);
    payments.push({ id, at: recordedAt, studentId: s.id, className: s.class_name, method: 'cash', staffId: null, voided: false });
    dup[key] = id;
  }
  // Duplicate references: the same mobile-money message twice, the same text as a bank
  // reference (another method: not a duplicate), and a pair whose other half is voided.
  const refs: [string, PaymentMethod, string, boolean][] = [
    ['twiceA', 'mobile_money', 'QK7PL2M9XZ', false],
    ['twiceB', 'mobile_money', 'QK7PL2M9XZ', false],
    ['otherMethod', 'bank_transfer', 'QK7PL2M9XZ', false],
    ['voidedHalf', 'mobile_money', 'RB1234ABCD', true],
    ['liveHalf', 'mobile_money', 'RB1234ABCD', false],
  ];
  for (const [key, method, reference, voided] of refs) {
    const s2 = students[1]!;
    const { id } = await ledger.payment({ studentId: s2.id, amountMinor: 1_000, method, reference, recordedAt: at(25, 60) });
    if (voided) await ledger.void('payments', id, 'Entered twice');
    else addBalance(s2.id, -1_000);
    payments.push({ id, at: at(25, 60), studentId: s2.id, className: s2.class_name, method, staffId: null, voided });
    dup[key] = id;
  }
}, 60_000);
afterAll(() => device.dispose());

async function ok<T>(method: string, input: unknown): Promise<T> {
  const reply = await device.core.dispatch(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as T;
}

type Page<R> = { rows: R[]; next: unknown; total: number | null };

/** Every page of a list, following the cursors to the end. */
async function pageAll<R>(method: string, filter: LedgerFilter, limit: number): Promise<{ rows: R[]; total: number | null; laterTotals: (number | null)[] }> {
  const rows: R[] = [];
  const laterTotals: (number | null)[] = [];
  let total: number | null = null;
  let after: unknown = null;
  for (let n = 0; n < 1000; n++) {
    const page = await ok<Page<R>>(method, { filter, after, limit, withTotal: n === 0 });
    if (n === 0) total = page.total;
    else laterTotals.push(page.total);
    rows.push(...page.rows);
    if (!page.next) break;
    after = page.next;
  }
  return { rows, total, laterTotals };
}

const newestFirst = (a: Seeded, b: Seeded) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1);

function expectedIds(list: Seeded[], filter: LedgerFilter): string[] {
  return list
    .filter(
      (r) =>
        (!filter.from || schoolDate(r.at, TZ) >= filter.from) &&
        (!filter.to || schoolDate(r.at, TZ) <= filter.to) &&
        (!filter.className || r.className === filter.className) &&
        (!filter.method || r.method === filter.method) &&
        (!filter.staffId || r.staffId === filter.staffId) &&
        (!filter.studentId || r.studentId === filter.studentId) &&
        (!filter.categoryId || r.categoryId === filter.categoryId) &&
        (!filter.expenseCategory || r.category?.toLowerCase() === filter.expenseCategory.toLowerCase()) &&
        (!filter.expenseStatus || r.status === filter.expenseStatus),
    )
    .sort(newestFirst)
    .map((r) => r.id);
}

describe('ledger.payments', () => {
  const filters: [string, () => LedgerFilter][] = [
    ['no filter', () => ({})],
    ['a class', () => ({ className: 'Grade 3' })],
    ['a method', () => ({ method: 'mobile_money' })],
    ['the person who took them', () => ({ staffId: STAFF[1] })],
    ['one student', () => ({ studentId: payments[7]!.studentId })],
    ['school dates', () => ({ from: '2026-03-05', to: '2026-03-12' })],
    ['a class and dates and a method', () => ({ className: 'Grade 5', from: '2026-03-03', method: 'cash' })],
  ];
  for (const [what, filter] of filters) {
    it(`filtered by ${what}: newest first, every row once across pages, total right`, async () => {
      const expected = expectedIds(payments, filter());
      expect(expected.length).toBeGreaterThan(2);
      const { rows, total, laterTotals } = await pageAll<PaymentListItem>('ledger.payments', filter(), 13);
      expect(rows.map((r) => r.id)).toEqual(expected);
      expect(total).toBe(expected.length);
      expect(laterTotals.every((t) => t === null)).toBe(true);
    });
  }

  it('bounds school dates at midnight in the school’s time zone', async () => {
    const on10th = await pageAll<PaymentListItem>('ledger.payments', { from: '2026-03-10', to: '2026-03-10' }, 200);
    expect(on10th.rows.map((r) => r.id)).toContain(dup.firstOf10th);
    expect(on10th.rows.map((r) => r.id)).not.toContain(dup.lastOf9th);
    const on9th = await pageAll<PaymentListItem>('ledger.payments', { to: '2026-03-09' }, 500);
    expect(on9th.rows.map((r) => r.id)).toContain(dup.lastOf9th);
    expect(on9th.rows.map((r) => r.id)).not.toContain(dup.firstOf10th);
  });

  it('flags a reference another live payment of the same method carries, and names the student, class, device and void', async () => {
    const { rows } = await pageAll<PaymentListItem>('ledger.payments', { studentId: device.students[1]!.id }, 50);
    const flag = (key: string) => rows.find((r) => r.id === dup[key])!.duplicateReference;
    expect([flag('twiceA'), flag('twiceB'), flag('otherMethod'), flag('voidedHalf'), flag('liveHalf')]).toEqual([true, true, false, true, false]);
    const s = device.students[1]!;
    expect(rows.find((r) => r.id === dup.voidedHalf)).toMatchObject({
      studentName: `${s.first_name} ${s.last_name}`,
      admissionNo: s.admission_no,
      className: s.class_name,
      deviceName: 'Accounts PC',
      voided: true,
      pending: false,
      reference: 'RB1234ABCD',
    });
  });
});

describe('ledger.charges', () => {
  const filters: [string, () => LedgerFilter][] = [
    ['no filter', () => ({})],
    ['a class', () => ({ className: 'Grade 2' })],
    ['a fee category', () => ({ categoryId: TEST_CATEGORIES[1]!.id })],
    ['one student', () => ({ studentId: charges[3]!.studentId })],
    ['school dates and a category', () => ({ from: '2026-03-04', to: '2026-03-15', categoryId: TEST_CATEGORIES[0]!.id })],
  ];
  for (const [what, filter] of filters) {
    it(`filtered by ${what}: newest first, every row once across pages, total right`, async () => {
      const expected = expectedIds(charges, filter());
      expect(expected.length).toBeGreaterThan(0);
      const { rows, total } = await pageAll<ChargeListItem>('ledger.charges', filter(), 11);
      expect(rows.map((r) => r.id)).toEqual(expected);
      expect(total).toBe(expected.length);
    });
  }

  it('names the category and marks voided charges', async () => {
    const voided = charges.find((c) => c.voided)!;
    const { rows } = await pageAll<ChargeListItem>('ledger.charges', { studentId: voided.studentId }, 100);
    expect(rows.find((r) => r.id === voided.id)).toMatchObject({ voided: true, category: TEST_CATEGORIES.find((c) => c.id === voided.categoryId)!.name, pending: false });
  });
});

describe('expenses.list', () => {
  const filters: [string, LedgerFilter][] = [
    ['no filter', {}],
    ['approved', { expenseStatus: 'approved' }],
    ['rejected', { expenseStatus: 'rejected' }],
    ['pending', { expenseStatus: 'pending' }],
    ['voided', { expenseStatus: 'voided' }],
    ['a category, in any case', { expenseCategory: 'stationery' }],
    ['the person who recorded them, by method', { staffId: STAFF[0], method: 'cash' }],
    ['school dates', { from: '2026-03-02', to: '2026-03-09' }],
  ];
  for (const [what, filter] of filters) {
    it(`filtered by ${what}: newest first, every row once across pages, total right`, async () => {
      const expected = expectedIds(expenses, filter);
      expect(expected.length).toBeGreaterThan(0);
      const { rows, total } = await pageAll<ExpenseListItem>('expenses.list', filter, 6);
      expect(rows.map((r) => r.id)).toEqual(expected);
      expect(total).toBe(expected.length);
      for (const r of rows) expect(r.status).toBe(expenses.find((e) => e.id === r.id)!.status);
    });
  }

  it('lists the categories in use, once each, sorted', async () => {
    expect(await ok('expenses.categories', {})).toEqual({ categories: [...EXPENSE_CATEGORIES].sort() });
  });
});

describe('ledger.arrears', () => {
  const byName = (a: StudentRow, b: StudentRow) => {
    const k = (s: StudentRow) => [s.last_name.toLowerCase(), s.first_name.toLowerCase(), s.id];
    const [x, y] = [k(a), k(b)];
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  };

  for (const className of [undefined, 'Grade 4']) {
    it(`pages through the students who owe${className ? ` in ${className}` : ''}, by name, each once, with their balance`, async () => {
      const expected = [...balances]
        .filter(([id, b]) => b > 0 && (!className || student(id).class_name === className))
        .map(([id]) => student(id))
        .sort(byName);
      expect(expected.length).toBeGreaterThan(5);
      const { rows, total } = await pageAll<ArrearsListItem>('ledger.arrears', className ? { className } : {}, 7);
      expect(rows.map((r) => r.studentId)).toEqual(expected.map((s) => s.id));
      expect(total).toBe(expected.length);
      for (const r of rows) {
        expect(r.balanceMinor).toBe(balances.get(r.studentId));
        // Everything was due on 31 March 2026: overdue, whatever today is after it.
        expect(r.notDueMinor + r.d0to30Minor + r.d31to60Minor + r.d61to90Minor + r.d90plusMinor).toBe(r.balanceMinor);
      }
    });
  }
});

describe('bad filters', () => {
  const bad: [string, string, Record<string, unknown>, string][] = [
    ['an end date before the start date', 'ledger.payments', { filter: { from: '2026-03-10', to: '2026-03-01' } }, 'filter.to'],
    ['an unknown payment method', 'ledger.payments', { filter: { method: 'bitcoin' } }, 'filter.method'],
    ['a date that does not exist', 'ledger.charges', { filter: { from: '2026-02-30' } }, 'filter.from'],
    ['an unknown expense status', 'expenses.list', { filter: { expenseStatus: 'paid' } }, 'filter.expenseStatus'],
    ['a page of none', 'ledger.arrears', { limit: 0 }, 'limit'],
    ['a malformed cursor', 'ledger.payments', { after: { at: 5 } }, 'after.at'],
  ];
  for (const [what, method, input, path] of bad) {
    it(`refuses ${what}`, async () => {
      const reply = await device.core.dispatch(method, input);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: expect.arrayContaining([expect.objectContaining({ path })]) } });
    });
  }
  it('says what is wrong with the dates in words', async () => {
    const reply = await device.core.dispatch('ledger.payments', { filter: { from: '2026-03-10', to: '2026-03-01' } });
    expect(!reply.ok && reply.error.message).toMatch(/end date is before the start date/);
  });
});

describe('entries written on this device', () => {
  it('are pending in the lists and name this computer until the devices table knows it', async () => {
    const here = await openTestDevice({ students: 3 });
    try {
      const call = async <T>(method: string, input: unknown) => {
        const reply = await here.core.dispatch(method, input);
        if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
        return reply.value as T;
      };
      const s = here.students[0]!;
      const bursar = staffFor('bursar').id;
      const paid = await call<{ id: string }>('payments.record', { studentId: s.id, amountMinor: 2_500 });
      const charged = await call<{ id: string }>('charges.post', { studentId: s.id, categoryId: TEST_CATEGORIES[0]!.id, amountMinor: 4_000, dueOn: '2026-12-31' });
      const spent = await call<{ id: string }>('expenses.record', { category: 'Stationery', payee: 'Chalk Ltd', amountMinor: 1_500, spentOn: '2026-03-01' });
      expect((await call<Page<PaymentListItem>>('ledger.payments', { filter: { staffId: bursar } })).rows).toEqual([
        expect.objectContaining({ id: paid.id, pending: true, deviceName: 'Office PC', recordedBy: 'Bursar Person', recordedById: bursar, voided: false, duplicateReference: false }),
      ]);
      expect((await call<Page<ChargeListItem>>('ledger.charges', {})).rows).toEqual([expect.objectContaining({ id: charged.id, pending: true, category: 'Tuition', postedBy: 'Bursar Person' })]);
      expect((await call<Page<ExpenseListItem>>('expenses.list', { filter: { staffId: bursar } })).rows).toEqual([
        expect.objectContaining({ id: spent.id, pending: true, status: 'pending', recordedById: bursar, attachments: [] }),
      ]);
    } finally {
      await here.dispose();
    }
  });
});

describe('list query plans', () => {
  // Its own school, large enough that SQLite's statistics (after ANALYZE) describe a real
  // office's tables rather than a handful of rows it would rather scan and sort.
  let big: TestDevice;
  const cursor = { at: '2026-03-10T12:00:00.000Z', id: '0' };
  const named = { lastName: 'Gitau', firstName: 'Esther', id: '0' };

  beforeAll(async () => {
    big = await openTestDevice({ students: 3000, signInAs: null });
    const rows = pulledLedger(big);
    const prng = new Prng(11);
    await rows.batch(async () => {
      for (let i = 0; i < 4000; i++) {
        const s = prng.pick(big.students);
        await rows.charge({ studentId: s.id, categoryId: prng.pick(TEST_CATEGORIES.slice(0, 2)).id, amountMinor: 10_000, dueOn: '2026-03-31', postedAt: at(prng.int(1, 28), prng.int(0, 1439)) });
      }
      for (let i = 0; i < 9000; i++) {
        const method = prng.pick(PAYMENT_METHODS);
        await rows.payment({
          studentId: prng.pick(big.students).id,
          amountMinor: 5_000,
          method,
          reference: METHODS_WITH_REFERENCE.includes(method) ? `R${i}` : null,
          recordedAt: at(prng.int(1, 28), prng.int(0, 1439)),
          recordedById: prng.pick(STAFF),
          deviceId: prng.pick([OTHER_DEVICE.id, big.core.device.device_id]),
        });
      }
      for (let i = 0; i < 1000; i++) await rows.expense({ amountMinor: 1_000, recordedAt: at(prng.int(1, 28), prng.int(0, 1439)), category: prng.pick(EXPENSE_CATEGORIES), recordedById: prng.pick(STAFF) });
    });
  }, 120_000);
  afterAll(() => big.dispose());

  const ctx = () => ({ timeZone: TZ, deviceId: big.core.device.device_id, deviceName: 'Office PC' });

  function plan(q: { compile(): { sql: string; parameters: readonly unknown[] } }): { detail: string; parent: number }[] {
    const compiled = q.compile();
    return big.core.store.sqlite.prepare(`explain query plan ${compiled.sql}`).all(...compiled.parameters) as { detail: string; parent: number }[];
  }

  /** The list's own table is walked by `index` in the list's order (from the cursor, when
   * `seek` names its bound): no full scan, no sort. */
  function expectIndexed(details: { detail: string; parent: number }[], alias: string, index: RegExp, seek?: string) {
    const top = details.filter((d) => d.parent === 0);
    const walk = top.find((d) => new RegExp(`^(SCAN|SEARCH) ${alias} `).test(d.detail))?.detail;
    expect(walk).toMatch(index);
    if (seek) expect(walk).toContain(seek);
    expect(details.filter((d) => new RegExp(`^SCAN (${alias}|s)$`).test(d.detail))).toEqual([]);
    expect(top.filter((d) => d.detail.includes('TEMP B-TREE'))).toEqual([]);
    // Students are looked up by their key, never scanned.
    for (const d of details.filter((x) => /^(SCAN|SEARCH) s /.test(x.detail))) expect(d.detail).toMatch(/USING (COVERING )?INDEX (sqlite_autoindex_students_1|students_by_)/);
  }

  for (const analyzed of [false, true]) {
    const when = analyzed ? ' (after ANALYZE)' : '';
    it(`payments${when}: the time index, or the student's index for one student`, () => {
      if (analyzed) big.core.store.sqlite.exec('analyze');
      const { db } = big.core.store;
      const variants: [LedgerFilter, string, RegExp][] = [
        [{}, 'p', /USING INDEX payments_by_time/],
        // A class: its range of class_payments (class, time, id), each payment then by its key.
        [{ className: 'Grade 3' }, 'k', /USING PRIMARY KEY \(class_name=\?/],
        [{ className: 'Grade 3', from: '2026-03-02', studentId: big.students[0]!.id }, 'k', /USING PRIMARY KEY \(class_name=\? AND recorded_at>\?/],
        [{ from: '2026-03-02', to: '2026-03-04' }, 'p', /USING INDEX payments_by_time \(recorded_at>\? AND \(recorded_at,id\)<\(\?,\?\)\)/],
        [{ method: 'cash', staffId: STAFF[0] }, 'p', /USING INDEX payments_by_time/],
        [{ studentId: big.students[0]!.id }, 'p', /USING INDEX payments_by_student \(student_id=\?/],
      ];
      for (const [filter, alias, index] of variants) {
        for (const after of [null, cursor]) {
          const details = plan(paymentsPageQuery(db, filter, after, 50, ctx()));
          expectIndexed(details, alias, index, after ? '(recorded_at,id)<(?,?)' : undefined);
          if (alias === 'k') expect(details.map((d) => d.detail)).toContain('SEARCH p USING INDEX sqlite_autoindex_payments_1 (id=?)');
        }
      }
    });

    it(`charges and expenses${when}: their time indexes, or the student's index`, () => {
      const { db } = big.core.store;
      for (const after of [null, cursor]) {
        const charged = after ? '(posted_at,id)<(?,?)' : undefined;
        expectIndexed(plan(chargesPageQuery(db, { className: 'Grade 2', categoryId: TEST_CATEGORIES[0]!.id, from: '2026-03-01', to: '2026-03-20' }, after, 50, TZ)), 'c', /USING INDEX charges_by_time/, charged);
        expectIndexed(plan(chargesPageQuery(db, { studentId: big.students[0]!.id }, after, 50, TZ)), 'c', /USING INDEX charges_by_student \(student_id=\?/, charged);
        const spent = after ? '(recorded_at,id)<(?,?)' : undefined;
        expectIndexed(plan(expensesPageQuery(db, { expenseStatus: 'approved', expenseCategory: 'Fuel', staffId: STAFF[0], to: '2026-03-20' }, after, 50, TZ)), 'e', /USING INDEX expenses_by_time/, spent);
      }
    });

    it(`arrears${when}: the name index, each balance from its ledger_balances row`, () => {
      const { db } = big.core.store;
      for (const [filter, index] of [
        [{}, /USING (COVERING )?INDEX students_by_name/],
        [{ className: 'Grade 4' }, /USING (COVERING )?INDEX students_by_class_name/],
      ] as const) {
        for (const after of [null, named]) {
          const details = plan(arrearsPageQuery(db, filter, after, 50));
          expectIndexed(details, 's', index);
          expect(details.map((d) => d.detail)).toContain('SEARCH b USING PRIMARY KEY (student_id=?)');
        }
      }
    });
  }
});
