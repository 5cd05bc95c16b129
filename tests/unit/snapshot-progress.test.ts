// The snapshot's offsets (shared/sync/snapshot.ts) as the server parses them, the device's
// progress bookkeeping (electron/core/sync/snapshot-progress.ts) on a real SQLite file, and how
// it sizes and commits the transactions a pulled page is stored in.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/errors.js';
import { PROFILE_TABLES, SYNCED_TABLES } from '../../shared/sync/protocol.js';
import { formatPosition, parsePosition, SNAPSHOT_PHASE, tablesOfPhase, type ShapePosition } from '../../shared/sync/snapshot.js';
import { parseOffset } from '../../sync-server/src/shape/offset.js';
import { openLocalStore, type LocalStore } from '../../electron/core/store/open-store.js';
import { recordStoredPage, SnapshotRate, type StoredPage, type StoredProgress } from '../../electron/core/sync/snapshot-progress.js';
import { BatchSize } from '../../electron/core/sync/batch-size.js';
import { inPulledTransaction } from '../../electron/core/sync/apply-changes.js';

describe('snapshot offsets', () => {
  it('round-trips every kind of position through its offset string', () => {
    const positions: ShapePosition[] = [
      { kind: 'log', seq: 0 },
      { kind: 'log', seq: 123_456 },
      { kind: 'current', seq: 0 },
      { kind: 'current', seq: 99 },
      { kind: 'history', seq: 0, currentEnd: 0 },
      { kind: 'history', seq: 5_000, currentEnd: 12_345 },
    ];
    for (const p of positions) expect(parsePosition(formatPosition(p))).toEqual(p);
    expect(formatPosition({ kind: 'current', seq: 7 })).toBe('7_1');
    expect(formatPosition({ kind: 'history', seq: 7, currentEnd: 40 })).toBe('7_42');
  });

  it('the server parses -1, now, log and snapshot offsets', () => {
    expect(parseOffset('-1')).toEqual({ kind: 'initial' });
    expect(parseOffset('now')).toEqual({ kind: 'now' });
    expect(parseOffset('42_0')).toEqual({ kind: 'after', seq: 42 });
    expect(parseOffset('42_1')).toEqual({ kind: 'snapshot', position: { kind: 'current', seq: 42 } });
    expect(parseOffset('42_9')).toEqual({ kind: 'snapshot', position: { kind: 'history', seq: 42, currentEnd: 7 } });
  });

  it('refuses malformed offsets with a clear invalid_input error', () => {
    for (const raw of ['', '42', '_1', '1_', '1_2_3', '-2', 'x_1', '1_x', '1234567890123456_0', '1_1234567890123456', ' 1_0', 42]) {
      let error: unknown;
      try {
        parseOffset(raw);
      } catch (e) {
        error = e;
      }
      expect(error, String(raw)).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('invalid_input');
      expect((error as AppError).message).toMatch(/"offset" parameter .* is not valid: use -1, now, or an offset like 42_0/);
    }
    expect(() => parseOffset(undefined)).toThrow(/"offset" parameter is required/);
  });

  it('places every synced table in exactly one phase; people and set-up first, ledger and logs after', () => {
    expect(Object.keys(SNAPSHOT_PHASE).sort()).toEqual([...SYNCED_TABLES].sort());
    const current = tablesOfPhase(SYNCED_TABLES, 'current');
    const history = tablesOfPhase(SYNCED_TABLES, 'history');
    expect([...current, ...history].sort()).toEqual([...SYNCED_TABLES].sort());
    for (const t of ['roles', 'staff', 'students', 'guardians', 'student_guardians', 'classes', 'fee_structures', 'terms'] as const) expect(current).toContain(t);
    for (const t of ['payments', 'charges', 'attendance_records', 'scores', 'login_history', 'messages'] as const) expect(history).toContain(t);
    // A teacher's room gets its profile's tables only, split the same way.
    expect(tablesOfPhase(PROFILE_TABLES.teacher_room, 'history')).not.toContain('payments');
  });
});

describe('snapshot progress on the device', () => {
  let store: LocalStore;
  let dir: string;

  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(): Promise<LocalStore> {
    dir = mkdtempSync(join(tmpdir(), 'schoolhouse-progress-'));
    store = await openLocalStore(join(dir, 'db.sqlite'));
    return store;
  }

  const stored = (s: LocalStore) =>
    s.sqlite.prepare('select snapshot_phase, snapshot_rows_total, snapshot_rows_done, snapshot_started_at, last_sync_at from sync_state').get() as StoredProgress & {
      last_sync_at: string | null;
    };
  const page = (over: Partial<StoredPage>): StoredPage => ({ offsetBefore: null, offsetAfter: '10_1', rows: 10, refetch: false, upToDate: false, rowsTotal: 100, now: '2026-11-22T08:00:00.000Z', ...over });

  it('starts at the first page from no offset, counts pages, switches phase once current records are in, and clears at up-to-date', async () => {
    const s = await open();
    recordStoredPage(s.sqlite, page({}));
    expect(stored(s)).toMatchObject({ snapshot_phase: 'current', snapshot_rows_total: 100, snapshot_rows_done: 10, snapshot_started_at: '2026-11-22T08:00:00.000Z', last_sync_at: null });

    recordStoredPage(s.sqlite, page({ offsetBefore: '10_1', offsetAfter: '0_42', rows: 30, now: '2026-11-22T08:00:05.000Z' }));
    expect(stored(s)).toMatchObject({ snapshot_phase: 'history', snapshot_rows_done: 40, last_sync_at: '2026-11-22T08:00:05.000Z' });

    recordStoredPage(s.sqlite, page({ offsetBefore: '0_42', offsetAfter: '40_0', rows: 60, now: '2026-11-22T08:00:09.000Z' }));
    // Still the snapshot (the log after phase 2 is not up to date yet); last sync stays at the phase switch.
    expect(stored(s)).toMatchObject({ snapshot_phase: 'history', snapshot_rows_done: 100, last_sync_at: '2026-11-22T08:00:05.000Z' });

    recordStoredPage(s.sqlite, page({ offsetBefore: '40_0', offsetAfter: '41_0', rows: 1, upToDate: true }));
    expect(stored(s)).toMatchObject({ snapshot_phase: null, snapshot_rows_total: 0, snapshot_rows_done: 0, snapshot_started_at: null });
  });

  it('live pages after the snapshot leave progress alone; a must-refetch clears it for the rebuild to start again', async () => {
    const s = await open();
    recordStoredPage(s.sqlite, page({ offsetBefore: '50_0', offsetAfter: '60_0', rows: 10 }));
    expect(stored(s).snapshot_phase).toBeNull();
    recordStoredPage(s.sqlite, page({}));
    recordStoredPage(s.sqlite, page({ offsetBefore: '10_1', offsetAfter: '-1', rows: 0, refetch: true }));
    expect(stored(s)).toMatchObject({ snapshot_phase: null, snapshot_rows_done: 0 });
  });

  it('estimates time left from this run\'s rate and never shows more done than total', () => {
    const rate = new SnapshotRate();
    const progress = (done: number, total = 1_000): StoredProgress => ({ snapshot_phase: 'history', snapshot_rows_total: total, snapshot_rows_done: done, snapshot_started_at: '2026-11-22T08:00:00.000Z' });
    rate.restart(0);
    expect(rate.progress(progress(400), 0)?.secondsLeft).toBeNull();
    rate.stored(200);
    // 200 rows in 2 s = 100 rows/s; 600 left.
    expect(rate.progress(progress(400), 2_000)).toEqual({ phase: 'history', rowsDone: 400, rowsTotal: 1_000, startedAt: '2026-11-22T08:00:00.000Z', secondsLeft: 6 });
    expect(rate.progress(progress(1_003), 2_000)).toMatchObject({ rowsDone: 1_003, rowsTotal: 1_003, secondsLeft: 0 });
    expect(rate.progress({ ...progress(0), snapshot_phase: null, snapshot_started_at: null }, 2_000)).toBeNull();
  });
});

describe('storing a pulled page', () => {
  it('sizes each step from the time the last one took, within bounds, ignoring a short tail', () => {
    const size = new BatchSize(20, 50, 2_000);
    const first = size.rows;
    size.took(first, 5); // four times faster than the target: grows, halfway
    expect(size.rows).toBe(Math.round((first + first * 4) / 2));
    for (let i = 0; i < 20; i++) size.took(size.rows, 1);
    expect(size.rows).toBe(2_000);
    for (let i = 0; i < 20; i++) size.took(size.rows, 1_000);
    expect(size.rows).toBe(50);
    size.took(10, 10_000);
    expect(size.rows).toBe(50);
  });

  it('commits pulled rows at synchronous=NORMAL and puts FULL back, also when the work fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-pulled-'));
    const store = await openLocalStore(join(dir, 'db.sqlite'));
    try {
      const level = () => store.sqlite.pragma('synchronous', { simple: true });
      expect(level()).toBe(2);
      let during: unknown;
      inPulledTransaction(store.sqlite, () => {
        during = level();
        store.sqlite.prepare("update sync_state set shape_offset = '5_0'").run();
      });
      expect(during).toBe(1);
      expect(level()).toBe(2);
      expect(() =>
        inPulledTransaction(store.sqlite, () => {
          store.sqlite.prepare("update sync_state set shape_offset = '9_0'").run();
          throw new Error('bad row');
        }),
      ).toThrow('bad row');
      expect(level()).toBe(2);
      expect(store.sqlite.prepare('select shape_offset from sync_state').pluck().get(), 'a failed page leaves nothing behind').toBe('5_0');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
