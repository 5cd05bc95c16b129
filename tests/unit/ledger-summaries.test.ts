// The ledger's derived tables (migration 0017) against the ledger itself: after any sequence of
// pulled charges, payments (with allocations), discounts, refunds, voids (twice for one entry,
// before their target, refused and removed), removed entries and students moving class, the
// totals the triggers keep, the class index of payments and the settled charge positions equal
// a from-scratch aggregate and settle() over each student's rows, and so does a rebuild.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type Sqlite from 'better-sqlite3';
import { openTestDevice, TEST_CATEGORIES, type TestDevice } from '../support/local-device.js';
import { OTHER_DEVICE, pulledLedger, type PulledLedger } from '../support/pulled-ledger.js';
import { mutationArgs, paymentRowFromArgs } from '../../shared/sync/mutations.js';
import { applyChanges, validateChange } from '../../electron/core/sync/apply-changes.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';
import { rebuildLedgerSummaries } from '../../electron/core/store/ledger-summaries.js';
import { settleUnsettled } from '../../electron/core/queries/ledger-positions.js';
import { loadStudentLedgers } from '../../electron/core/queries/student-ledger.js';
import { listArrears } from '../../electron/core/queries/arrears.js';
import { uuidv7 } from '../../shared/ids.js';
import type { SyncedTable } from '../../shared/sync/protocol.js';
import type { VoidableTable } from '../../shared/domain/fees.js';

const CLASSES = ['Grade 1', 'Grade 2', 'Grade 3', null];

let device: TestDevice;
let ledger: PulledLedger;
let seq = 5_000_000;
let early = 0;
/** Every ledger entry made so far (some since removed), and every void row. */
const entries: { table: VoidableTable; id: string; studentId: string }[] = [];
const voids: string[] = [];

const sqliteOf = <T>(work: (sqlite: Sqlite.Database) => T) => withSqlite(device.core.store, work);
const removeRow = (table: SyncedTable, id: string) =>
  sqliteOf((sqlite) => sqlite.transaction(() => applyChanges(sqlite, [validateChange({ table, id, seq: ++seq, deleted: true })]))());

/** What the derived tables must hold, worked out from the ledger with no help from them. */
function fromScratch(sqlite: Sqlite.Database) {
  const live = (a: string) => `not exists (select 1 from voids v where v.target_id = ${a}.id)`;
  const balances = sqlite
    .prepare(
      `select s.id, (select coalesce(sum(amount_minor), 0) from charges c where c.student_id = s.id and ${live('c')}),
         (select coalesce(sum(amount_minor), 0) from payments p where p.student_id = s.id and ${live('p')}),
         (select coalesce(sum(amount_minor), 0) from discounts d where d.student_id = s.id and ${live('d')}),
         (select coalesce(sum(amount_minor), 0) from refunds r where r.student_id = s.id and ${live('r')})
       from students s order by s.id`,
    )
    .raw()
    .all() as [string, number, number, number, number][];
  const classPayments = sqlite
    .prepare('select s.class_name, p.recorded_at, p.id from payments p join students s on s.id = p.student_id where s.class_name is not null order by 1, 2, 3')
    .raw()
    .all();
  return { balances, classPayments };
}

function derived(sqlite: Sqlite.Database) {
  const kept = new Map((sqlite.prepare('select student_id, charged, paid, discounted, refunded from ledger_balances').raw().all() as [string, ...number[]][]).map(([id, ...t]) => [id, t]));
  const students = sqlite.prepare('select id from students order by id').pluck().all() as string[];
  // A student with no totals row has nothing live (all four zero).
  const balances = students.map((id) => [id, ...(kept.get(id) ?? [0, 0, 0, 0])]);
  const classPayments = sqlite.prepare('select class_name, recorded_at, id from class_payments order by 1, 2, 3').raw().all();
  return { balances, classPayments };
}

async function positionsMatchSettle(): Promise<void> {
  await sqliteOf((sqlite) => sqlite.transaction(() => settleUnsettled(sqlite))());
  const rows = await sqliteOf(
    (sqlite) => sqlite.prepare('select student_id, charge_id, amount_minor, owed_minor from charge_positions order by 1, 2').raw().all() as [string, string, number, number][],
  );
  const ids = device.students.map((s) => s.id);
  const ledgers = await loadStudentLedgers(device.core.store.db, ids);
  const expected = ids
    .flatMap((id) => ledgers.get(id)!.charges.map((c) => [id, c.id, c.amountMinor, ledgers.get(id)!.outstanding.get(c.id) ?? 0] as [string, string, number, number]))
    .sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
  expect(rows).toEqual(expected);
  const unsettled = await sqliteOf((sqlite) => sqlite.prepare('select count(*) from ledger_balances where settled = 0').pluck().get());
  expect(unsettled).toBe(0);
}

type Op =
  | { kind: 'charge' | 'payment' | 'discount' | 'refund'; student: number; amount: number; allocate: boolean; day: number }
  | { kind: 'void'; entry: number; early: boolean }
  | { kind: 'unvoid'; which: number }
  | { kind: 'remove'; entry: number }
  | { kind: 'move'; student: number; to: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constantFrom('charge', 'payment', 'discount', 'refund'), student: fc.nat(), amount: fc.integer({ min: 1, max: 50_000 }), allocate: fc.boolean(), day: fc.integer({ min: 1, max: 28 }) }) as fc.Arbitrary<Op> },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('void' as const), entry: fc.nat(), early: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unvoid' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), entry: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), student: fc.nat(), to: fc.nat() }) },
);

async function run(o: Op): Promise<void> {
  const at = (day: number) => new Date(Date.UTC(2026, 2, day, 8, entries.length % 60)).toISOString();
  switch (o.kind) {
    case 'charge':
    case 'payment':
    case 'discount':
    case 'refund': {
      const s = device.students[o.student % device.students.length]!;
      const studentId = s.id;
      let id: string;
      if (o.kind === 'charge') id = await ledger.charge({ studentId, amountMinor: o.amount, dueOn: `2026-03-${String(o.day).padStart(2, '0')}`, postedAt: at(o.day), categoryId: TEST_CATEGORIES[o.day % 2]!.id });
      else if (o.kind === 'payment') {
        // Allocations name one of the student's charges (possibly more than it still owes: settle caps it).
        const charge = o.allocate ? entries.find((e) => e.table === 'charges' && e.studentId === studentId) : undefined;
        const allocations = charge ? [{ chargeId: charge.id, amountMinor: Math.max(1, Math.floor(o.amount / 2)) }] : [];
        id = (await ledger.payment({ studentId, amountMinor: o.amount, recordedAt: at(o.day), allocations })).id;
      } else if (o.kind === 'discount') id = await ledger.discount({ studentId, amountMinor: o.amount, postedAt: at(o.day), categoryId: o.allocate ? TEST_CATEGORIES[1]!.id : null });
      else id = await ledger.refund({ studentId, amountMinor: o.amount, refundedAt: at(o.day) });
      entries.push({ table: `${o.kind === 'discount' ? 'discounts' : o.kind === 'refund' ? 'refunds' : `${o.kind}s`}` as VoidableTable, id, studentId });
      return;
    }
    case 'void': {
      // A void for an entry not here yet (it arrives later in the same pull order), or one of the entries so far.
      if (o.early || entries.length === 0) {
        // The void arrives before its payment (another shape order): the payment must not count.
        const s = device.students[o.entry % device.students.length]!;
        const id = uuidv7();
        await ledger.void('payments', id, 'Entered twice');
        voids.push(await lastVoidId());
        const args = mutationArgs['payments.record'].parse({
          id,
          studentId: s.id,
          amountMinor: 1_000 + (o.entry % 5_000),
          currency: 'KES',
          method: 'cash',
          reference: null,
          receiptNo: `EARLY-D9-${String(++early).padStart(6, "0")}`,
          recordedAt: at(3),
          recordedBy: 'Accounts Clerk',
          allocations: [],
        });
        await ledger.rows('payments', [paymentRowFromArgs(args, OTHER_DEVICE.id, null)]);
        entries.push({ table: 'payments', id, studentId: s.id });
        return;
      }
      const e = entries[o.entry % entries.length]!;
      await ledger.void(e.table, e.id, 'Entered twice');
      voids.push(await lastVoidId());
      return;
    }
    case 'unvoid': {
      if (voids.length === 0) return;
      const [id] = voids.splice(o.which % voids.length, 1);
      await removeRow('voids', id!);
      return;
    }
    case 'remove': {
      if (entries.length === 0) return;
      const e = entries[o.entry % entries.length]!;
      await removeRow(e.table, e.id);
      return;
    }
    case 'move': {
      const i = o.student % device.students.length;
      const s = { ...device.students[i]!, class_name: CLASSES[o.to % CLASSES.length]! };
      device.students[i] = s;
      await ledger.rows('students', [s]);
      return;
    }
  }
}

const lastVoidId = () => sqliteOf((sqlite) => sqlite.prepare('select id from voids order by rowid desc limit 1').pluck().get() as string);

beforeAll(async () => {
  device = await openTestDevice({ students: 6 });
  ledger = pulledLedger(device);
}, 60_000);
afterAll(() => device.dispose());

describe('ledger summaries kept by triggers', () => {
  it('equal a from-scratch aggregate after any sequence of ledger changes, and so does a rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        for (const o of ops) await run(o);
        const { scratch, kept } = await sqliteOf((sqlite) => ({ scratch: fromScratch(sqlite), kept: derived(sqlite) }));
        expect(kept).toEqual(scratch);
        // Arrears read from the ledger (students unsettled) and from charge_positions agree.
        const arrears = () => listArrears(device.core.store.db, { filter: {}, after: null, limit: 50, withTotal: true }, '2026-04-20');
        const fromLedger = await arrears();
        await positionsMatchSettle();
        expect(await arrears()).toEqual(fromLedger);
      }),
      { numRuns: 25 },
    );
    expect(entries.length).toBeGreaterThan(50);
    // A rebuild from the ledger gives the same tables, every student unsettled until settled again.
    const before = await sqliteOf((sqlite) => sqlite.prepare('select * from ledger_balances order by student_id').raw().all());
    await sqliteOf((sqlite) => rebuildLedgerSummaries(sqlite));
    const after = await sqliteOf((sqlite) => ({ kept: derived(sqlite), scratch: fromScratch(sqlite), unsettled: sqlite.prepare('select count(*) from ledger_balances where settled = 0').pluck().get() }));
    expect(after.kept).toEqual(after.scratch);
    expect(after.unsettled).toBe((before as unknown[]).length);
    await positionsMatchSettle();
  }, 300_000);

  it('a student moving class takes their payments to the new class in the class index', async () => {
    const s = { ...device.students[0]!, class_name: 'Grade 9' };
    device.students[0] = s;
    await ledger.payment({ studentId: s.id, amountMinor: 500, recordedAt: '2026-03-02T08:00:00.000Z' });
    await ledger.rows('students', [s]);
    const count = (className: string) => sqliteOf((sqlite) => sqlite.prepare('select count(*) from class_payments where class_name = ?').pluck().get(className) as number);
    const theirs = await sqliteOf((sqlite) => sqlite.prepare('select count(*) from payments where student_id = ?').pluck().get(s.id) as number);
    expect(await count('Grade 9')).toBe(theirs);
    await ledger.rows('students', [{ ...s, class_name: null }]);
    expect(await count('Grade 9')).toBe(0);
  });
});
