// The sync protocol's version registry (shared/sync/versions.ts), the `v` parameter, what an
// older app makes of columns added after its version, the device's rebuild after an upgrade and
// how it sets aside changes for tables it does not know.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { AppError } from '../../shared/api/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { STUDENT_PROFILE_DEFAULTS, type StudentRow } from '../../shared/domain/students.js';
import type { PaymentRow } from '../../shared/domain/payments.js';
import type { ChargeRow } from '../../shared/domain/fees.js';
import { PROFILE_TABLES, rowSchemas, SYNCED_TABLES, type SyncedTable } from '../../shared/sync/protocol.js';
import {
  columnsAfter,
  parseProtocolVersion,
  PROTOCOL_HISTORY,
  PROTOCOL_VERSION,
  TABLE_SINCE,
  tablesKnownAt,
  UNSTATED_PROTOCOL_VERSION,
} from '../../shared/sync/versions.js';
import { openLocalStore, type LocalStore } from '../../electron/core/store/open-store.js';
import { applyChanges } from '../../electron/core/sync/apply-changes.js';
import { checkPulled } from '../../electron/core/sync/pulled-changes.js';
import { rebuildForProtocolVersion } from '../../electron/core/sync/protocol-upgrade.js';

const student: StudentRow = {
  ...STUDENT_PROFILE_DEFAULTS,
  id: uuidv7(),
  admission_no: 'KHS/1',
  first_name: 'Amani',
  last_name: 'Otieno',
  class_name: 'Grade 3',
  status: 'enrolled',
  guardian_phone: null,
  middle_name: 'Wanjiku',
};
const payment: PaymentRow = {
  id: uuidv7(),
  student_id: student.id,
  amount_minor: 1500,
  currency: 'KES',
  method: 'cash',
  reference: null,
  receipt_no: 'KHS-D1-000001',
  recorded_at: '2027-01-10T08:00:00.000Z',
  recorded_by: 'Bursar',
  recorded_by_id: uuidv7(),
  device_id: uuidv7(),
  allocations: [],
};
const charge: ChargeRow = {
  id: uuidv7(),
  student_id: student.id,
  category_id: uuidv7(),
  description: 'Tuition',
  amount_minor: 20_000,
  currency: 'KES',
  term: 'Term 1',
  due_on: '2027-01-15',
  posted_at: '2027-01-04T08:00:00.000Z',
  posted_by: 'Bursar',
  device_id: uuidv7(),
  structure_id: uuidv7(),
};
const CURRENT_ROWS: Partial<Record<SyncedTable, Record<string, unknown>>> = { students: student, payments: payment, charges: charge };

describe('the protocol version registry', () => {
  it('introduces every synced table exactly once, in versions 1, 2, 3 … with the current one last', () => {
    const introduced = PROTOCOL_HISTORY.flatMap((h) => [...h.tables]);
    expect([...introduced].sort()).toEqual([...SYNCED_TABLES].sort());
    expect(PROTOCOL_HISTORY.map((h) => h.version)).toEqual(PROTOCOL_HISTORY.map((_, i) => i + 1));
    expect(PROTOCOL_VERSION).toBe(PROTOCOL_HISTORY.at(-1)!.version);
    expect(UNSTATED_PROTOCOL_VERSION).toBeLessThanOrEqual(PROTOCOL_VERSION);
  });

  it('names only real columns, added to tables an earlier version introduced', () => {
    for (const h of PROTOCOL_HISTORY) {
      for (const [table, columns] of Object.entries(h.columns) as [SyncedTable, readonly string[]][]) {
        expect(TABLE_SINCE[table], table).toBeLessThan(h.version);
        const shape = (rowSchemas[table] as unknown as z.ZodObject).shape;
        for (const c of columns) expect(Object.keys(shape), `${table}.${c}`).toContain(c);
      }
    }
  });

  it('follows the store: the bursary before the school office', () => {
    expect(tablesKnownAt(1)).toEqual(['students', 'payments']);
    expect(tablesKnownAt(4)).toContain('expenses');
    expect(tablesKnownAt(4)).not.toContain('classes');
    expect(tablesKnownAt(4)).not.toContain('record_conflicts');
    expect(tablesKnownAt(PROTOCOL_VERSION)).toEqual([...SYNCED_TABLES]);
    // A profile's tables are narrowed, never widened, and keep their order.
    expect(tablesKnownAt(3, PROFILE_TABLES.teacher_room)).toEqual(['roles', 'staff', 'students']);
    expect(columnsAfter(3, 'payments')).toEqual(['recorded_by_id', 'allocations']);
    expect(columnsAfter(4, 'payments')).toEqual([]);
    expect(columnsAfter(4, 'students')).toContain('middle_name');
  });
});

describe('the v parameter', () => {
  it('reads a stated version, and none as a build from before versions were stated', () => {
    expect(parseProtocolVersion(undefined)).toBe(UNSTATED_PROTOCOL_VERSION);
    expect(parseProtocolVersion('4')).toBe(4);
    expect(parseProtocolVersion(String(PROTOCOL_VERSION))).toBe(PROTOCOL_VERSION);
  });

  it.each([['abc'], ['0'], ['-1'], ['4.5'], [''], [['4', '5']], ['1e3']])('refuses %j with a clear message', (raw) => {
    expect(() => parseProtocolVersion(raw)).toThrow(AppError);
    expect(() => parseProtocolVersion(raw)).toThrow(/"v" parameter .* is not a protocol version: send one whole number from 1 to \d+/);
  });

  it('refuses a version newer than this server, saying to update the server', () => {
    const raw = String(PROTOCOL_VERSION + 1);
    expect(() => parseProtocolVersion(raw)).toThrow(`This app speaks sync protocol ${raw}, newer than this sync server (up to ${PROTOCOL_VERSION}): update the sync server`);
  });
});

describe('columns added after an app version', () => {
  it("are dropped by that version's row schemas, which accept the rest of the row", () => {
    let checked = 0;
    for (let v = 1; v < PROTOCOL_VERSION; v++) {
      for (const table of tablesKnownAt(v)) {
        const later = columnsAfter(v, table);
        if (later.length === 0) continue;
        const row = CURRENT_ROWS[table];
        expect(row, `a sample ${table} row`).toBeDefined();
        // The row schema as that version had it: without the later columns.
        const older = (rowSchemas[table] as unknown as z.ZodObject).omit(Object.fromEntries(later.map((c) => [c, true])) as never);
        const parsed = older.parse(row) as Record<string, unknown>;
        for (const c of later) expect(parsed, `${table}.${c} at v${v}`).not.toHaveProperty(c);
        expect(parsed.id).toBe(row!.id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});

describe('on the device', () => {
  let dir: string;
  let store: LocalStore;

  async function open(): Promise<LocalStore> {
    dir = mkdtempSync(join(tmpdir(), 'schoolhouse-versions-'));
    store = await openLocalStore(join(dir, 'schoolhouse.sqlite'));
    return store;
  }

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a row that carries a column this app does not know, without it', async () => {
    await open();
    const { changes, unknownTables } = checkPulled([{ table: 'students', id: student.id, seq: 1, deleted: false, row: { ...student, nickname: 'Ami' } }]);
    expect(unknownTables).toEqual([]);
    expect(changes[0]!.change.row).not.toHaveProperty('nickname');
    store.sqlite.transaction(() => applyChanges(store.sqlite, changes))();
    expect(store.sqlite.prepare('select middle_name from students where id = ?').pluck().get(student.id)).toBe('Wanjiku');
  });

  it('sets aside changes for a table it does not know, names the table, and keeps the rest of the batch', async () => {
    await open();
    const batch = checkPulled([
      { table: 'library_loans', id: uuidv7(), seq: 1, deleted: false, row: { title: 'Kidagaa' } },
      { table: 'students', id: student.id, seq: 2, deleted: false, row: student },
      { table: 'library_loans', id: uuidv7(), seq: 3, deleted: true, row: null },
    ]);
    expect(batch.unknownTables).toEqual(['library_loans']);
    expect(batch.changes.map((c) => c.table)).toEqual(['students']);
    // A malformed row of a known table still refuses the whole batch.
    expect(() => checkPulled([{ table: 'students', id: student.id, seq: 4, deleted: false, row: { ...student, last_name: '' } }])).toThrow(/students row this app cannot accept/);
  });

  it('rebuilds its synced tables after an upgrade, keeping the outbox; not before its first sync', async () => {
    await open();
    const state = () => store.sqlite.prepare('select shape_handle, shape_offset, refetching, protocol_version from sync_state').get();
    // A store from before versions were stated was filled at version 5.
    expect(state()).toMatchObject({ protocol_version: 5, shape_handle: null });
    // First start of an app stating 4 (nothing synced yet): no rebuild, only the version noted.
    expect(rebuildForProtocolVersion(store.sqlite, 4)).toBe(false);
    expect(state()).toMatchObject({ protocol_version: 4, refetching: 0 });

    store.sqlite.prepare("update sync_state set shape_handle = 'h-1', shape_offset = '40_0'").run();
    store.sqlite.prepare("insert into outbox (mutation_id, name, args, schema_version, created_at) values (?, 'payments.record', '{}', 1, '2027-01-10T08:00:00Z')").run(uuidv7());
    expect(rebuildForProtocolVersion(store.sqlite, 4)).toBe(false);
    expect(state()).toMatchObject({ shape_handle: 'h-1', shape_offset: '40_0', refetching: 0 });

    // The app is upgraded: a rebuild from a fresh snapshot starts, the outbox is untouched.
    expect(rebuildForProtocolVersion(store.sqlite, 5)).toBe(true);
    expect(state()).toEqual({ shape_handle: null, shape_offset: null, refetching: 1, protocol_version: 5 });
    expect(store.sqlite.prepare('select count(*) from outbox').pluck().get()).toBe(1);
    expect(rebuildForProtocolVersion(store.sqlite, 5)).toBe(false);
  });
});
