// A first sync's bulk load (store/bulk-load.ts): phase-1 tables still empty are stored without
// their secondary indexes and search triggers, which come back at the end of phase 1, or at the
// next open when the app died in between. Afterwards the schema is exactly a fresh store's and
// the search indexes hold exactly what the triggers would have written row by row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../shared/ids.js';
import { EMPTY_META } from '../../shared/domain/records.js';
import type { GuardianRow } from '../../shared/domain/students.js';
import { openLocalStore, type LocalStore } from '../../electron/core/store/open-store.js';
import { beginBulkLoad, bulkLoadPending, fillFromTrigger, restoreBulkLoad, restoreBulkStep } from '../../electron/core/store/bulk-load.js';
import { applyChanges, beginRefetch, inPulledTransaction } from '../../electron/core/sync/apply-changes.js';
import { checkPulled } from '../../electron/core/sync/pulled-changes.js';
import { emptySummary, makeStudentRows, planClasses, schoolRows } from '../../sync-server/src/demo/big/school-source.js';
import { SNAPSHOT_PHASE } from '../../shared/sync/snapshot.js';
import type { SyncedTable } from '../../shared/sync/protocol.js';
import { TEST_ROLES, TEST_STAFF, staffFor } from '../support/local-device.js';
import { Prng } from '../../sync-server/src/demo/big/prng.js';

let dir: string;
const stores: LocalStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'schoolhouse-bulk-'));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function open(name: string): Promise<LocalStore> {
  const store = await openLocalStore(join(dir, `${name}.sqlite`));
  stores.push(store);
  return store;
}

/** Students with every search field (phones included) and guardians, as the server sends them. */
function pulledRows(count: number) {
  const prng = new Prng(11);
  const students = makeStudentRows(prng, planClasses(prng), count);
  const guardians: GuardianRow[] = students.slice(0, count / 2).map((s, i) => ({
    id: uuidv7(),
    name: `Guardian of ${s.first_name} ${s.last_name}`,
    phone: `+254 7${String(10_000_000 + i).slice(-8)}`,
    alt_phone: i % 3 === 0 ? `07${String(20_000_000 + i).slice(-8)}` : null,
    email: null,
    address: null,
    deleted: false,
    meta: EMPTY_META,
  }));
  const values = [
    ...students.map((row) => ({ table: 'students', id: row.id, deleted: false, row })),
    ...guardians.map((row) => ({ table: 'guardians', id: row.id, deleted: false, row })),
  ];
  return checkPulled(values).changes;
}

type Changes = ReturnType<typeof pulledRows>;

/** Stores `changes` in steps as a pull does; a bulk load starts in the first step when `bulk`. */
function store(sqlite: Sqlite.Database, changes: Changes, bulk: boolean, step = 97): number {
  let dropped = 0;
  for (let i = 0; i < changes.length; i += step) {
    inPulledTransaction(sqlite, () => {
      if (bulk && i === 0) dropped = beginBulkLoad(sqlite, 'current');
      applyChanges(sqlite, changes.slice(i, i + step));
    });
  }
  return dropped;
}

/** sqlite_master without root pages, in a stable order. */
function schema(sqlite: Sqlite.Database): unknown[] {
  return sqlite.prepare('select type, name, tbl_name, sql from sqlite_master order by type, name').all();
}

/** Every token of a search index with the row, column and position it came from. */
function searchEntries(sqlite: Sqlite.Database, fts: string): unknown[] {
  sqlite.exec(`create virtual table if not exists temp.${fts}_terms using fts5vocab(main, ${fts}, instance)`);
  return sqlite.prepare(`select term, doc, col, offset from temp.${fts}_terms order by term, doc, col, offset`).all();
}

function searchIds(sqlite: Sqlite.Database, q: string): string[] {
  return sqlite
    .prepare('select s.id from students_fts f join students s on s.rowid = f.rowid where students_fts match ? order by s.id')
    .pluck()
    .all(q) as string[];
}

describe('bulk load of a first sync', () => {
  it('takes the secondary indexes and search triggers off empty phase-1 tables, then leaves the schema and search exactly as row-by-row storing does', async () => {
    const changes = pulledRows(600);
    const fresh = await open('fresh');
    const rowByRow = await open('row-by-row');
    const bulk = await open('bulk');
    store(rowByRow.sqlite, changes, false);

    const dropped = store(bulk.sqlite, changes, true);
    const studentIndexes = bulk.sqlite.prepare("select count(*) from sqlite_master where tbl_name = 'students' and type = 'index' and sql is not null").pluck().get();
    expect(studentIndexes).toBe(0);
    expect(bulk.sqlite.prepare("select name from sqlite_master where type = 'trigger' and name like '%fts%'").pluck().all()).toEqual([]);
    expect(dropped).toBe(bulk.sqlite.prepare('select count(*) from bulk_load').pluck().get());
    expect(dropped).toBeGreaterThanOrEqual(8 + 3 + 3);
    expect(searchEntries(bulk.sqlite, 'students_fts')).toEqual([]);

    let steps = 0;
    while (bulkLoadPending(bulk.sqlite)) {
      inPulledTransaction(bulk.sqlite, () => restoreBulkStep(bulk.sqlite));
      steps++;
    }
    expect(steps).toBe(dropped - 4); // one step per index, one per table's search triggers (3 each)

    expect(schema(bulk.sqlite)).toEqual(schema(fresh.sqlite));
    expect(searchEntries(bulk.sqlite, 'students_fts')).toEqual(searchEntries(rowByRow.sqlite, 'students_fts'));
    expect(searchEntries(bulk.sqlite, 'guardians_fts')).toEqual(searchEntries(rowByRow.sqlite, 'guardians_fts'));
    expect(searchEntries(bulk.sqlite, 'students_fts').length).toBeGreaterThan(600 * 5);
    // Row for row the same tables.
    const rows = (s: Sqlite.Database) => s.prepare('select * from students order by rowid').all();
    expect(rows(bulk.sqlite)).toEqual(rows(rowByRow.sqlite));
    // The list queries' plans use the rebuilt indexes again.
    const plan = (bulk.sqlite.prepare('explain query plan select id from students order by last_name, first_name, id limit 50').all() as { detail: string }[]).map((r) => r.detail).join();
    expect(plan).toContain('students_by_name');

    // The triggers are back: a row stored afterwards is searchable at once, an edit moves its entry.
    const late = pulledRows(2)[0]!;
    const lateRow = { ...(late.change.row as Record<string, unknown>), id: uuidv7(), first_name: 'Zebedeo', admission_no: 'LATE/1' };
    inPulledTransaction(bulk.sqlite, () => applyChanges(bulk.sqlite, checkPulled([{ table: 'students', id: lateRow.id, deleted: false, row: lateRow }]).changes));
    expect(searchIds(bulk.sqlite, 'zebedeo*')).toEqual([lateRow.id]);
    bulk.sqlite.prepare("update students set first_name = 'Yohana' where id = ?").run(lateRow.id);
    expect(searchIds(bulk.sqlite, 'zebedeo*')).toEqual([]);
    expect(searchIds(bulk.sqlite, 'yohana*')).toEqual([lateRow.id]);
  });

  it('after a crash mid-load (between steps of putting things back), the next open has every index and trigger back and a correct search index', async () => {
    const changes = pulledRows(400);
    const fresh = await open('fresh');
    const rowByRow = await open('row-by-row');
    store(rowByRow.sqlite, changes, false);
    const file = join(dir, 'crashed.sqlite');
    const crashed = await openLocalStore(file);
    store(crashed.sqlite, changes.slice(0, 300), true);
    // Two indexes back, then the app dies with the rest still off.
    restoreBulkStep(crashed.sqlite);
    restoreBulkStep(crashed.sqlite);
    expect(bulkLoadPending(crashed.sqlite)).toBe(true);
    await crashed.close();

    const reopened = await openLocalStore(file);
    stores.push(reopened);
    expect(bulkLoadPending(reopened.sqlite)).toBe(false);
    expect(schema(reopened.sqlite)).toEqual(schema(fresh.sqlite));
    // The sync goes on row by row (the device now holds an offset) and search stays right.
    inPulledTransaction(reopened.sqlite, () => applyChanges(reopened.sqlite, changes.slice(300)));
    expect(searchEntries(reopened.sqlite, 'students_fts')).toEqual(searchEntries(rowByRow.sqlite, 'students_fts'));
    expect(searchEntries(reopened.sqlite, 'guardians_fts')).toEqual(searchEntries(rowByRow.sqlite, 'guardians_fts'));
  });

  it('a crash inside the first step leaves nothing dropped (the record and the drops share its transaction)', async () => {
    const changes = pulledRows(50);
    const fresh = await open('fresh');
    const file = join(dir, 'cut.sqlite');
    const cut = await openLocalStore(file);
    expect(() =>
      inPulledTransaction(cut.sqlite, () => {
        beginBulkLoad(cut.sqlite, 'current');
        applyChanges(cut.sqlite, changes);
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(bulkLoadPending(cut.sqlite)).toBe(false);
    expect(schema(cut.sqlite)).toEqual(schema(fresh.sqlite));
    await cut.close();
  });

  it('keeps indexes on tables that already hold rows, and starts no bulk load when the device holds an offset or is rebuilding', async () => {
    const changes = pulledRows(40);
    const students = changes.filter((c) => c.table === 'students');
    const withRows = await open('with-rows');
    store(withRows.sqlite, students.slice(0, 5), false);
    const dropped = store(withRows.sqlite, changes, true);
    expect(dropped).toBeGreaterThan(0); // guardians was empty
    expect(withRows.sqlite.prepare("select distinct tbl_name from bulk_load").pluck().all()).not.toContain('students');
    restoreBulkLoad(withRows.sqlite);

    const holdsOffset = await open('holds-offset');
    holdsOffset.sqlite.prepare("update sync_state set shape_handle = 'h', shape_offset = '10_1' where id = 1").run();
    expect(store(holdsOffset.sqlite, changes, true)).toBe(0);

    const rebuilding = await open('rebuilding');
    inPulledTransaction(rebuilding.sqlite, () => beginRefetch(rebuilding.sqlite));
    expect(store(rebuilding.sqlite, changes, true)).toBe(0);
    expect(bulkLoadPending(rebuilding.sqlite)).toBe(false);
  });

  it('stores history in bulk (indexes and derived-table triggers off, even on a table with rows), then rebuilds balances, the class index of payments and attendance history exactly as row-by-row storing keeps them', async () => {
    const summary = emptySummary();
    const generated = [...schoolRows({ students: 240, payments: 2_400, attendance: 2_000, seed: 5 }, { registerTakerId: staffFor('teacher').id }, summary)];
    const pulled = (table: SyncedTable, rows: readonly { id: string }[]) => checkPulled(rows.map((row) => ({ table, id: row.id, deleted: false, row }))).changes;
    const people = [...pulled('roles', TEST_ROLES), ...pulled('staff', TEST_STAFF)];
    const current = generated.filter((b) => SNAPSHOT_PHASE[b.table] === 'current').flatMap((b) => pulled(b.table, b.rows));
    const history = generated.filter((b) => SNAPSHOT_PHASE[b.table] === 'history').flatMap((b) => pulled(b.table, b.rows));
    expect(summary.attendanceRecords).toBeGreaterThan(1_000);
    // A void of the first payment, and a payment recorded on the device before history came (a table with rows).
    const firstPayment = history.find((c) => c.table === 'payments')!;

    const fresh = await open('fresh-history');
    const rowByRow = await open('row-by-row-history');
    const bulk = await open('bulk-history');
    for (const s of [rowByRow, bulk]) store(s.sqlite, [...people, ...current, firstPayment], false);
    store(rowByRow.sqlite, history, false);

    let dropped = 0;
    for (let i = 0; i < history.length; i += 500) {
      inPulledTransaction(bulk.sqlite, () => {
        if (i === 0) dropped = beginBulkLoad(bulk.sqlite, 'history');
        else expect(beginBulkLoad(bulk.sqlite, 'history')).toBe(0);
        applyChanges(bulk.sqlite, history.slice(i, i + 500));
      });
    }
    const taken = bulk.sqlite.prepare('select name from bulk_load').pluck().all() as string[];
    expect(dropped).toBe(taken.length);
    expect(taken).toEqual(expect.arrayContaining(['charges_by_time', 'attendance_records_by_student', 'ledger_balances_payments_insert', 'class_payments_insert', 'attendance_history_record_insert']));
    expect(taken).not.toContain('payments_by_time'); // payments held a row: its indexes stay
    expect(bulk.sqlite.prepare('select count(*) from attendance_history').pluck().get()).toBe(0);
    // Phase 1's restore (the page leaving phase 1) leaves history's record alone.
    expect(bulkLoadPending(bulk.sqlite, 'history')).toBe(false);
    expect(restoreBulkStep(bulk.sqlite, 'history')).toBe(false);
    expect(bulkLoadPending(bulk.sqlite)).toBe(true);

    while (restoreBulkStep(bulk.sqlite));
    expect(schema(bulk.sqlite)).toEqual(schema(fresh.sqlite));
    for (const table of ['ledger_balances', 'class_payments', 'attendance_history', 'charge_positions']) {
      const all = (s: Sqlite.Database) => s.prepare(`select * from ${table} order by 1, 2, 3`).all();
      expect(all(bulk.sqlite), table).toEqual(all(rowByRow.sqlite));
    }
    expect(bulk.sqlite.prepare('select count(*) from attendance_history').pluck().get()).toBe(summary.attendanceRecords);
    expect(bulk.sqlite.prepare('select count(*) from class_payments').pluck().get()).toBeGreaterThan(2_000);
  });

  it('refills a search index with the insert trigger’s own expressions, and refuses a trigger it cannot read', () => {
    expect(fillFromTrigger('t', "CREATE TRIGGER t_fts_insert after insert on t begin insert into t_fts(rowid, a) values (new.rowid, coalesce(new.a, '') || ' ' || upper(new.b)); end")).toBe(
      "insert into t_fts(rowid, a) select t.rowid, coalesce(t.a, '') || ' ' || upper(t.b) from t",
    );
    expect(() => fillFromTrigger('t', 'CREATE TRIGGER x after insert on t begin delete from y; end')).toThrow(/Cannot refill/);
  });
});
