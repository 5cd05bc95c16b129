// A rebuild's sweep (must-refetch, protocol upgrade) in bounded steps: rows the snapshot brought
// and rows pending mutations wrote stay, every other synced row goes (with its search entry),
// and refetch_seen is emptied a step at a time after the rebuild ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import { STUDENT_PROFILE_DEFAULTS, type StudentRow } from '../../shared/domain/students.js';
import type { PaymentRow } from '../../shared/domain/payments.js';
import { openLocalStore, type LocalStore } from '../../electron/core/store/open-store.js';
import { applyChanges, beginRefetch, finishRefetch, isRefetching } from '../../electron/core/sync/apply-changes.js';
import { checkPulled } from '../../electron/core/sync/pulled-changes.js';
import { clearSeenStep, SWEEP_START, sweepStep, type SweepCursor } from '../../electron/core/sync/refetch-sweep.js';

const student = (n: number): StudentRow => ({
  ...STUDENT_PROFILE_DEFAULTS,
  id: uuidv7(),
  admission_no: `KHS/${n}`,
  first_name: `Pupil${n}`,
  last_name: 'Otieno',
  class_name: 'Grade 3',
  status: 'enrolled',
  guardian_phone: null,
});
const payment = (s: StudentRow, n: number): PaymentRow => ({
  id: uuidv7(),
  student_id: s.id,
  amount_minor: 1500,
  currency: 'KES',
  method: 'cash',
  reference: null,
  receipt_no: `KHS-D1-${String(n).padStart(6, '0')}`,
  recorded_at: '2027-01-10T08:00:00.000Z',
  recorded_by: 'Bursar',
  recorded_by_id: null,
  device_id: uuidv7(),
  allocations: [],
});

let dir: string;
let store: LocalStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'schoolhouse-sweep-'));
  store = await openLocalStore(join(dir, 'device.sqlite'));
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function pull(rows: { table: string; row: { id: string } }[]): void {
  const { changes } = checkPulled(rows.map(({ table, row }) => ({ table, id: row.id, row })));
  store.sqlite.transaction(() => applyChanges(store.sqlite, changes))();
}

const ids = (table: string) => new Set(store.sqlite.prepare(`select id from ${table}`).pluck().all() as string[]);
const found = (word: string) => store.sqlite.prepare('select count(*) from students_fts where students_fts match ?').pluck().get(word) as number;

describe('the sweep at the end of a rebuild', () => {
  it('in steps of a few rows keeps what the snapshot brought and what pending mutations wrote, and drops the rest', () => {
    const students = Array.from({ length: 7 }, (_, i) => student(i));
    const payments = students.map((s, i) => payment(s, i));
    pull([...students.map((row) => ({ table: 'students', row })), ...payments.map((row) => ({ table: 'payments', row }))]);

    store.sqlite.transaction(() => beginRefetch(store.sqlite))();
    const brought = [students[0]!, students[3]!, students[6]!];
    pull([...brought.map((row) => ({ table: 'students', row })), { table: 'payments', row: payments[0]! }]);
    // A student this device edited and has not sent yet: the snapshot did not bring it, it stays.
    const pendingStudent = students[4]!;
    const seq = store.sqlite.prepare(`insert into outbox (mutation_id, name, args, schema_version, created_at) values (?, 'students.save', '{}', 1, ?) returning seq`).pluck().get(uuidv7(), new Date().toISOString());
    store.sqlite.prepare('insert into outbox_rows (outbox_seq, table_name, row_id) values (?, ?, ?)').run(seq, 'students', pendingStudent.id);
    expect(found('Pupil1')).toBe(1);

    let cursor: SweepCursor | null = SWEEP_START;
    let steps = 0;
    let largest = 0;
    while (cursor) {
      const step = sweepStep(store.sqlite, cursor, 2);
      largest = Math.max(largest, step.examined);
      cursor = step.next;
      steps++;
    }
    expect(largest).toBe(2);
    expect(steps).toBeGreaterThan(7);
    expect(ids('students')).toEqual(new Set([...brought, pendingStudent].map((s) => s.id)));
    expect(ids('payments')).toEqual(new Set([payments[0]!.id]));
    expect(found('Pupil1')).toBe(0);
    expect(found('Pupil3')).toBe(1);
    expect(isRefetching(store.sqlite)).toBe(true);

    finishRefetch(store.sqlite);
    expect(isRefetching(store.sqlite)).toBe(false);
    const removed: number[] = [];
    for (let n = clearSeenStep(store.sqlite, 3); n > 0; n = clearSeenStep(store.sqlite, 3)) removed.push(n);
    expect(removed).toEqual([3, 1]);
    expect(store.sqlite.prepare('select count(*) from refetch_seen').pluck().get()).toBe(0);
  });

  it('cut short and started again from the beginning drops nothing the snapshot brought', () => {
    const students = Array.from({ length: 4 }, (_, i) => student(i));
    pull(students.map((row) => ({ table: 'students', row })));
    store.sqlite.transaction(() => beginRefetch(store.sqlite))();
    pull([{ table: 'students', row: students[1]! }]);
    sweepStep(store.sqlite, SWEEP_START, 2); // a crash after one step: the rebuild is still on
    let cursor: SweepCursor | null = SWEEP_START;
    while (cursor) cursor = sweepStep(store.sqlite, cursor, 2).next;
    expect(ids('students')).toEqual(new Set([students[1]!.id]));
  });
});
