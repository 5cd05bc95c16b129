// The attendance and calendar screens' own logic, without a window: keys to statuses, bulk
// marking, what changed since the register was saved, excuses without a reason, the remembered
// period, and the month grid of the calendar; the CSV shapes of the exported lists.
import { describe, expect, it } from 'vitest';
import { changedCount, draftProblems, moveIndex, rememberedPeriod, rememberPeriod, setReason, setStatus, statusForKey, tally, toMarks } from '../../renderer/src/features/attendance/registerDraft.js';
import { eventsOn, monthGrid, shiftMonth, timeText } from '../../renderer/src/features/calendar/calendarMath.js';
import { EVENTS_CSV } from '../../renderer/src/features/calendar/EventList.js';
import { HISTORY_CSV } from '../../renderer/src/features/attendance/HistorySection.js';
import type { RegisterRow } from '../../shared/domain/attendance-views.js';
import type { EventView } from '../../shared/domain/calendar-views.js';

const row = (id: string, name: string): RegisterRow => ({ studentId: id, admissionNo: `A${id}`, name, status: 'present', reason: null, leftClass: false });
const saved = [row('1', 'Amina Achieng'), row('2', 'Brian Baraka'), row('3', 'Chloe Chege')];

describe('the register draft', () => {
  it('maps A, L, E and P (any case) to statuses and ignores other keys', () => {
    expect(['a', 'L', 'e', 'P', 'x', 'Enter'].map(statusForKey)).toEqual(['absent', 'late', 'excused', 'present', null, null]);
  });

  it('moves within the register with the arrow keys, Home and End', () => {
    expect(moveIndex(0, 'ArrowUp', 3)).toBe(0);
    expect(moveIndex(0, 'ArrowDown', 3)).toBe(1);
    expect(moveIndex(2, 'ArrowDown', 3)).toBe(2);
    expect(moveIndex(1, 'Home', 3)).toBe(0);
    expect(moveIndex(0, 'End', 3)).toBe(2);
    expect(moveIndex(1, 'a', 3)).toBeNull();
  });

  it('marks several at once, and marking present clears a reason', () => {
    let d = setStatus(saved, new Set(['1', '3']), 'absent');
    d = setReason(d, '1', 'Sick');
    expect(d.map((r) => r.status)).toEqual(['absent', 'present', 'absent']);
    expect(tally(d)).toEqual({ present: 1, absent: 2, late: 0, excused: 0 });
    expect(changedCount(saved, d)).toBe(2);
    d = setStatus(d, new Set(['1', '2', '3']), 'present');
    expect(d.every((r) => r.reason === null && r.status === 'present')).toBe(true);
    expect(changedCount(saved, d)).toBe(0);
  });

  it('names each student excused without a reason, and sends trimmed reasons', () => {
    const d = setReason(setStatus(saved, new Set(['2', '3']), 'excused'), '3', '  Clinic  ');
    expect([...draftProblems(d).values()]).toEqual(['Give a reason for excusing Brian Baraka.']);
    expect(toMarks(d)).toEqual([
      { studentId: '1', status: 'present', reason: null },
      { studentId: '2', status: 'excused', reason: null },
      { studentId: '3', status: 'excused', reason: 'Clinic' },
    ]);
  });

  it('remembers the last period used on this computer', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(rememberedPeriod(storage)).toBe('');
    rememberPeriod('P3', storage);
    expect(rememberedPeriod(storage)).toBe('P3');
  });

  it('exports the history with the register named', () => {
    expect(HISTORY_CSV.cells({ id: 'x', date: '2026-11-20', period: '', className: 'Grade 4 East', status: 'absent', reason: 'Sick' })).toEqual(['2026-11-20', 'Whole day', 'Grade 4 East', 'Absent', 'Sick']);
  });
});

describe('the calendar', () => {
  it('lays a month out in whole weeks, Monday first', () => {
    const grid = monthGrid('2026-11');
    expect(grid[0]).toBe('2026-10-26');
    expect(grid.at(-1)).toBe('2026-12-06');
    expect(grid).toHaveLength(42);
    expect(monthGrid('2027-02')).toHaveLength(28);
  });

  it('moves between months across years', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
  });

  const ev = (over: Partial<EventView>): EventView => ({ id: 'e', title: 'Sports day', type: 'sports', startsOn: '2026-11-02', endsOn: '2026-11-04', startTime: null, endTime: null, location: null, description: '', classId: null, className: null, ...over });

  it('shows an event on every day it runs', () => {
    const e = ev({});
    expect(['2026-11-01', '2026-11-02', '2026-11-04', '2026-11-05'].map((d) => eventsOn([e], d).length)).toEqual([0, 1, 1, 0]);
  });

  it('says an event’s time, and exports events as a spreadsheet reads them', () => {
    expect(timeText(ev({ startTime: '14:00', endTime: '16:00' }))).toBe('14:00–16:00');
    expect(timeText(ev({ startTime: '09:00' }))).toBe('from 09:00');
    expect(timeText(ev({}))).toBe('');
    expect(EVENTS_CSV.cells(ev({ location: 'Field' }))).toEqual(['Sports day', 'Sports', '2026-11-02', '2026-11-04', null, null, 'Field', 'Whole school', '']);
  });
});
