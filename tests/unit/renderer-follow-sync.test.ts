// How open screens follow a sync, without a window: the one signal they read again on (a sync
// that landed, not the status polled again), a keyset list read again as long as it was shown,
// a form that keeps what was typed while taking what another computer changed, and a register
// that is only read again while it has no unsaved marks.
import { afterEach, describe, expect, it } from 'vitest';
import type { RegisterRow } from '../../shared/domain/attendance-views.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import { followSync, setReason, setStatus } from '../../renderer/src/features/attendance/registerDraft.js';
import { draftFrom } from '../../renderer/src/features/students/studentDraft.js';
import { onSyncLanded, useSync } from '../../renderer/src/features/sync/store.js';
import { rebaseDraft, sameFields } from '../../renderer/src/lib/useFollowedDraft.js';
import { rereadPages } from '../../renderer/src/lib/rereadPages.js';

const status = (lastSyncAt: string | null, extra: Partial<SyncStatus> = {}): SyncStatus => ({
  online: true,
  pending: 0,
  oldestPendingAt: null,
  lastSyncAt,
  lastError: null,
  lastErrorAt: null,
  needsAttention: 0,
  initialSync: null,
  lastBackupAt: null,
  ...extra,
});

describe('onSyncLanded: the signal open screens follow', () => {
  afterEach(() => useSync.setState({ status: null, error: null }));

  it('fires once per sync that landed, not for the same status polled again or a failed poll', () => {
    let calls = 0;
    const stop = onSyncLanded(() => calls++);
    useSync.setState({ status: status(null) }); // never synced yet
    expect(calls).toBe(0);
    useSync.setState({ status: status('2026-11-20T07:30:00.000Z') });
    expect(calls).toBe(1);
    // The next second's poll: a new object, the same sync (the pending count moved meanwhile).
    useSync.setState({ status: status('2026-11-20T07:30:00.000Z', { pending: 2 }) });
    expect(calls).toBe(1);
    useSync.setState({ status: status('2026-11-20T07:30:20.000Z') });
    expect(calls).toBe(2);
    // A failed poll keeps the status; going offline changes nothing that was synced.
    useSync.setState({ error: null, status: status('2026-11-20T07:30:20.000Z', { online: false }) });
    expect(calls).toBe(2);
    stop();
    useSync.setState({ status: status('2026-11-20T07:31:00.000Z') });
    expect(calls).toBe(2);
  });

  it('tells every open screen (each listens on its own)', () => {
    const heard: string[] = [];
    const stops = ['conflicts', 'messages'].map((screen) => onSyncLanded(() => heard.push(screen)));
    useSync.setState({ status: status('2026-11-20T08:00:00.000Z') });
    for (const stop of stops) stop();
    expect(heard).toEqual(['conflicts', 'messages']);
  });
});

// A newest-first keyset list as core pages it: (at desc, id desc), the cursor the last row's key.
interface Item {
  id: string;
  at: string;
}
type Cursor = { at: string; id: string };
function keysetOver(items: Item[], limit: number) {
  const asked: (Cursor | null)[] = [];
  const fetchPage = async (after: Cursor | null) => {
    asked.push(after);
    const sorted = [...items].sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
    const from = after ? sorted.filter((r) => r.at < after.at || (r.at === after.at && r.id < after.id)) : sorted;
    const rows = from.slice(0, limit);
    const last = rows.at(-1);
    return { rows, next: from.length > limit && last ? { at: last.at, id: last.id } : null };
  };
  return { fetchPage, asked };
}
const item = (n: number): Item => ({ id: `c${String(n).padStart(2, '0')}`, at: `2026-11-${String(n).padStart(2, '0')}T08:00:00.000Z` });

describe('rereadPages: a list read again as long as it was shown', () => {
  it('reads as many pages as were shown, from the top, so a new row and the rows paged to are all there', async () => {
    const items = [1, 2, 3, 4, 5, 6, 7].map(item);
    const { fetchPage, asked } = keysetOver(items, 3);
    items.push(item(8)); // arrived with the sync: newest, so first
    const again = await rereadPages(fetchPage, 2);
    expect(again.rows.map((r) => r.id)).toEqual(['c08', 'c07', 'c06', 'c05', 'c04', 'c03']);
    expect(again).toMatchObject({ pages: 2, done: false, next: { id: 'c03' } });
    // Each page continues from the previous page's last row: no offset.
    expect(asked).toEqual([null, { at: item(6).at, id: 'c06' }]);
  });

  it('stops where the list ends (a row resolved elsewhere went away) and says it is done', async () => {
    const items = [1, 2, 3, 4].map(item);
    const { fetchPage } = keysetOver(items, 3);
    const again = await rereadPages(fetchPage, 3);
    expect(again.rows.map((r) => r.id)).toEqual(['c04', 'c03', 'c02', 'c01']);
    expect(again).toMatchObject({ pages: 2, done: true, next: null });
  });

  it('reads at least the first page, and an empty list is done', async () => {
    expect(await rereadPages(keysetOver([item(1)], 3).fetchPage, 0)).toEqual({ rows: [item(1)], next: null, pages: 1, done: true });
    expect(await rereadPages(keysetOver([], 3).fetchPage, 2)).toEqual({ rows: [], next: null, pages: 1, done: true });
  });

  it('lets a failed read through, so the screen keeps its rows and says why', async () => {
    const failing = async () => {
      throw new Error('The database is busy');
    };
    await expect(rereadPages(failing, 1)).rejects.toThrow('The database is busy');
  });
});

describe('a form that follows a sync without losing what was typed', () => {
  const opened = draftFrom({ admission_no: 'KHS/2026/00012', first_name: 'Amina', middle_name: null, last_name: 'Achieng', date_of_birth: '2015-03-14', gender: 'female', class_id: 'class-4a', status: 'enrolled', photo_file: null, medical_notes: null });

  it('keeps each field the user changed and takes the others from the record as synced', () => {
    const typed = { ...opened, admission_no: 'KHS/2026/00013', medical_notes: 'Asthma: inhaler in the office.' };
    const synced = { ...opened, class_id: 'class-4b', medical_notes: 'Peanut allergy.' };
    const rebased = rebaseDraft(typed, opened, synced);
    expect(rebased).toEqual({ ...opened, admission_no: 'KHS/2026/00013', class_id: 'class-4b', medical_notes: 'Asthma: inhaler in the office.' });
  });

  it('is the record as synced when nothing was typed, and the draft as typed when nothing changed', () => {
    const synced = { ...opened, last_name: 'Achieng-Odhiambo' };
    expect(rebaseDraft(opened, opened, synced)).toEqual(synced);
    const typed = { ...opened, first_name: 'Aminah' };
    expect(rebaseDraft(typed, opened, { ...opened })).toEqual(typed);
  });

  it('tells a record read again unchanged (no rebuild) from a changed one', () => {
    expect(sameFields(opened, { ...opened })).toBe(true);
    expect(sameFields(opened, { ...opened, gender: '' })).toBe(false);
  });
});

describe('the register follows a sync only while nothing here is unsaved', () => {
  const rows: RegisterRow[] = ['s1', 's2'].map((id, i) => ({ studentId: id, name: `Student ${i + 1}`, admissionNo: `A${i}`, status: 'present', reason: null, leftClass: false }));

  it('follows an untouched register, not one with a mark or a reason not saved, nor one being saved', () => {
    expect(followSync(rows, rows, false)).toBe(true);
    expect(followSync(rows, setStatus(rows, new Set(['s2']), 'absent'), false)).toBe(false);
    const absent = setStatus(rows, new Set(['s2']), 'absent');
    expect(followSync(absent, setReason(absent, 's2', 'Sick'), false)).toBe(false);
    expect(followSync(rows, rows, true)).toBe(false);
    // Marked and then put back as it was: nothing is unsaved.
    expect(followSync(rows, setStatus(absent, new Set(['s2']), 'present'), false)).toBe(true);
  });
});
