// The school calendar on the device: create, edit (only changed fields queued), delete (a
// tombstone); the list in date order with type, class and date filters, keyset paged; the month
// window (events running into it included); refusals that leave events and the outbox unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestDevice, refusal, signInAs, type TestDevice } from '../support/local-device.js';
import { classRow, countRows, planOf, queued, seedClasses } from '../support/attendance-school.js';
import type { ClassRow } from '../../shared/domain/classes.js';
import type { EventCursor, EventsPage, EventView, SaveEventInput } from '../../shared/domain/calendar-views.js';
import { EVENT_TYPES } from '../../shared/domain/calendar.js';
import { addDays, monthRange } from '../../shared/domain/calendar-views.js';
import { eventsPageQuery } from '../../electron/core/queries/events.js';

let device: TestDevice;
let cls: ClassRow;
const made: EventView[] = [];

const base: SaveEventInput = { title: 'Parents’ meeting', type: 'meeting', startsOn: '2026-11-10', endsOn: '2026-11-10', startTime: '14:00', endTime: '16:00', location: 'Hall', description: 'Term 3 results' };
const snapshot = () => ({ outbox: countRows(device, 'outbox'), events: countRows(device, 'events') });

beforeAll(async () => {
  device = await openTestDevice({ students: 0, signInAs: 'registrar' });
  cls = classRow('Grade 6', 6, 'North', 2026);
  await seedClasses(device, [cls], 0);
  // 60 events over the year, of every type, some for the class.
  for (let i = 0; i < 60; i++) {
    const startsOn = addDays('2026-01-05', i * 6);
    const e = await call(device.core, 'events.save', {
      title: `Event ${i}`,
      type: EVENT_TYPES[i % EVENT_TYPES.length]!,
      startsOn,
      endsOn: addDays(startsOn, i % 4),
      classId: i % 3 === 0 ? cls.id : null,
    });
    made.push(e);
  }
});
afterAll(() => device.dispose());

describe('events', () => {
  it('are created with every field, and queued as one events.save', async () => {
    const before = queued(device).length;
    const e = await call(device.core, 'events.save', { ...base, classId: cls.id });
    expect(e).toMatchObject({ title: 'Parents’ meeting', type: 'meeting', startsOn: '2026-11-10', startTime: '14:00', endTime: '16:00', location: 'Hall', className: 'Grade 6 North' });
    const q = queued(device).slice(before);
    expect(q.map((m) => m.name)).toEqual(['events.save']);
    expect(q[0]!.args.rows![0]).toMatchObject({ id: e.id, create: true });
    made.push(e);
  });

  it('are edited with only the changed fields queued, with the versions read', async () => {
    const e = made.at(-1)!;
    const before = queued(device).length;
    const edited = await call(device.core, 'events.save', { ...base, id: e.id, classId: cls.id, location: 'Library', endTime: '17:00' });
    expect(edited).toMatchObject({ id: e.id, location: 'Library', endTime: '17:00' });
    expect(queued(device).slice(before).map((m) => m.args.rows)).toEqual([[{ id: e.id, create: false, fields: { location: 'Library', end_time: '17:00' }, base: { location: 0, end_time: 0 } }]]);
    // Saving it unchanged queues nothing.
    await call(device.core, 'events.save', { ...base, id: e.id, classId: cls.id, location: 'Library', endTime: '17:00' });
    expect(queued(device)).toHaveLength(before + 1);
    made[made.length - 1] = edited;
  });

  it('are deleted as a tombstone, and leave the list and the month', async () => {
    const e = await call(device.core, 'events.save', { ...base, title: 'Cancelled trip', type: 'other' });
    await call(device.core, 'events.delete', { id: e.id });
    expect(queued(device).at(-1)!.args.rows).toEqual([{ id: e.id, create: false, fields: { deleted: true }, base: { deleted: 0 } }]);
    expect(device.core.store.sqlite.prepare('select deleted from events where id = ?').pluck().get(e.id)).toBe(1);
    const month = await call(device.core, 'events.month', { month: '2026-11' });
    expect(month.events.map((x) => x.id)).not.toContain(e.id);
    expect((await refusal(device.core, 'events.delete', { id: e.id })).message).toContain('That event is not on this device');
  });
});

describe('the list', () => {
  async function all(filter: Parameters<typeof call<'events.list'>>[2]['filter'], limit = 7): Promise<EventView[]> {
    const rows: EventView[] = [];
    let after: EventCursor | null = null;
    do {
      const page: EventsPage = await call(device.core, 'events.list', { filter, after, limit });
      rows.push(...page.rows);
      after = page.next;
    } while (after);
    return rows;
  }
  const inOrder = (xs: EventView[]) => [...xs].sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id.localeCompare(b.id));

  it('pages through every event in date order exactly once, with a total', async () => {
    const rows = await all({});
    expect(rows.map((r) => r.id)).toEqual(inOrder(made).map((r) => r.id));
    expect((await call(device.core, 'events.list', { withTotal: true, limit: 5 })).total).toBe(made.length);
  });

  it('filters by type, by class and by dates', async () => {
    expect((await all({ type: 'exam' })).map((r) => r.id)).toEqual(inOrder(made.filter((e) => e.type === 'exam')).map((r) => r.id));
    expect((await all({ classId: cls.id })).map((r) => r.id)).toEqual(inOrder(made.filter((e) => e.classId === cls.id)).map((r) => r.id));
    const windowed = await all({ from: '2026-03-01', to: '2026-06-30', type: 'holiday' }, 2);
    expect(windowed.map((r) => r.id)).toEqual(inOrder(made.filter((e) => e.type === 'holiday' && e.startsOn >= '2026-03-01' && e.startsOn <= '2026-06-30')).map((r) => r.id));
    expect(windowed.length).toBeGreaterThan(1);
  });

  it('walks an index in date order for each filter', () => {
    const cases: [Parameters<typeof eventsPageQuery>[1], RegExp][] = [
      [{}, /INDEX events_by_start/],
      [{ type: 'exam' }, /INDEX events_by_type_start \(type=\?/],
      [{ classId: cls.id }, /INDEX events_by_class_start \(class_id=\?/],
    ];
    for (const [filter, index] of cases) {
      const plan = planOf(device, eventsPageQuery(device.core.store.db, filter, { startsOn: '2026-03-01', id: 'x' }, 50).compile());
      expect(plan[0]).toMatch(index);
      expect(plan.filter((d) => d.includes('TEMP B-TREE') || /^SCAN e/.test(d))).toEqual([]);
    }
  });

  it('refuses a backwards date range', async () => {
    expect((await refusal(device.core, 'events.list', { filter: { from: '2026-05-01', to: '2026-04-01' } })).message).toContain('The end date is before the start date.');
  });
});

describe('the month view', () => {
  it('shows every event on a day of the month, including ones that began before it', async () => {
    made.push(await call(device.core, 'events.save', { title: 'Half-term break', type: 'holiday', startsOn: '2026-01-30', endsOn: '2026-02-03' }));
    const { from, to } = monthRange('2026-02');
    expect(monthRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    const { events } = await call(device.core, 'events.month', { month: '2026-02' });
    const expected = made.filter((e) => e.startsOn <= to && e.endsOn >= from);
    expect(events.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    expect(expected.some((e) => e.startsOn < from)).toBe(true);
    const exams = await call(device.core, 'events.month', { month: '2026-02', type: 'exam' });
    expect(exams.events.every((e) => e.type === 'exam')).toBe(true);
  });

  it('refuses a month that is not one', async () => {
    expect((await refusal(device.core, 'events.month', { month: '2026-13' })).message).toContain('Use a month like 2026-11.');
  });
});

describe('refusals leave events and the outbox as they were', () => {
  async function refused(input: SaveEventInput) {
    const before = snapshot();
    const error = await refusal(device.core, 'events.save', input);
    expect(snapshot()).toEqual(before);
    return error;
  }

  it('an event that ends before it starts (by date, or by time on one day)', async () => {
    expect((await refused({ ...base, endsOn: '2026-11-09' })).message).toBe('The event ends before it starts.');
    expect((await refused({ ...base, startTime: '15:00', endTime: '09:30' })).message).toBe('The event ends before it starts.');
  });

  it('no title, an unknown type, an impossible date, a bad time', async () => {
    expect((await refused({ ...base, title: '  ' })).message).toContain('Give the event a title.');
    expect((await refused({ ...base, type: 'party' as never })).code).toBe('invalid_input');
    expect((await refused({ ...base, startsOn: '2026-02-29', endsOn: '2026-03-01' })).message).toContain('That date does not exist.');
    expect((await refused({ ...base, startTime: '25:00' })).message).toContain('Use a time like 14:30.');
  });

  it('a class not on this device, an event that was deleted', async () => {
    expect((await refused({ ...base, classId: '0190ffff-0000-7000-8000-0000000000c1' })).message).toContain('That class is not on this device');
    expect((await refused({ ...base, id: '0190ffff-0000-7000-8000-0000000000e1' })).code).toBe('not_found');
  });

  it('someone who may not manage the calendar (who may still read it)', async () => {
    await signInAs(device.core, 'teacher');
    try {
      expect((await refused(base)).code).toBe('forbidden');
      expect((await call(device.core, 'events.list', { limit: 1 })).rows).toHaveLength(1);
    } finally {
      await signInAs(device.core, 'registrar');
    }
  });
});
