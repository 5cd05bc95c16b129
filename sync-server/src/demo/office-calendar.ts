import type { EventRow } from '../../../shared/domain/calendar.js';
import { nextDate } from '../../../shared/domain/ledger-math.js';
import { EMPTY_META } from '../../../shared/domain/records.js';
import { isSchoolDay } from './office-attendance.js';
import { DEMO_SCHOOL } from './demo-school.js';
import { stableUuid } from './prng.js';
import { DEMO_FEES } from './seed-bursary.js';

// The demo term's calendar: opening and closing days, mid-term exams, a public holiday, a
// parents' meeting and sports day; and meetings a few days after the seeding day, so the month
// view and the dashboard's upcoming events are never empty, whenever the demo is seeded.

const term = DEMO_SCHOOL.terms.find((t) => t.name === DEMO_FEES.term)!;

const event = (key: string, fields: Omit<EventRow, 'id' | 'deleted' | 'meta' | 'class_id' | 'start_time' | 'end_time' | 'location' | 'description'> & Partial<EventRow>): EventRow => ({
  id: stableUuid('demo', 'event', key),
  deleted: false,
  meta: EMPTY_META,
  start_time: null,
  end_time: null,
  location: null,
  description: '',
  class_id: null,
  ...fields,
});

export const DEMO_EVENTS: readonly EventRow[] = [
  event('opening', { title: `${term.name} opens`, type: 'term', starts_on: term.startsOn, ends_on: term.startsOn, start_time: '08:00', description: 'Pupils report by 8:00 with their fees receipts.' }),
  event('parents-meeting', { title: "Parents' meeting", type: 'meeting', starts_on: '2026-09-12', ends_on: '2026-09-12', start_time: '09:00', end_time: '12:00', location: 'School hall', description: 'Progress reports and the fees update.' }),
  event('mid-term-exams', { title: 'Mid-term exams', type: 'exam', starts_on: '2026-09-28', ends_on: '2026-10-01', description: 'Timetables are on the class notice boards.' }),
  event('sports-day', { title: 'Sports day', type: 'sports', starts_on: '2026-10-16', ends_on: '2026-10-16', start_time: '08:00', end_time: '16:00', location: 'School field' }),
  event('mashujaa', { title: 'Mashujaa Day (public holiday)', type: 'holiday', starts_on: '2026-10-20', ends_on: '2026-10-20', description: 'No school.' }),
  event('closing', { title: `${term.name} closes`, type: 'term', starts_on: term.endsOn, ends_on: term.endsOn, end_time: '12:00', description: 'Report cards go home with the pupils.' }),
];

/** The days the demo school is closed for a holiday. */
export const DEMO_HOLIDAYS: ReadonlySet<string> = new Set(
  DEMO_EVENTS.filter((e) => e.type === 'holiday').flatMap((e) => {
    const days: string[] = [];
    for (let t = Date.parse(`${e.starts_on}T00:00:00Z`); t <= Date.parse(`${e.ends_on}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
    return days;
  }),
);

/** The first school day on or `days` after `date`. */
function schoolDayAfter(date: string, days: number): string {
  let d = date;
  for (let i = 0; i < days; i++) d = nextDate(d);
  while (!isSchoolDay(d, DEMO_HOLIDAYS)) d = nextDate(d);
  return d;
}

export interface UpcomingDemoEvents {
  events: EventRow[];
  staffMeeting: string;
  boardMeeting: string;
}

/** The staff meeting three days after the seeding day, the board meeting ten days after (each
 * moved to the next school day), and the next term's opening when the demo has that term. */
export function upcomingDemoEvents(today: string): UpcomingDemoEvents {
  const staffMeeting = schoolDayAfter(today, 3);
  const boardMeeting = schoolDayAfter(today, 10);
  const events = [
    event('staff-meeting', { title: 'Staff meeting', type: 'meeting', starts_on: staffMeeting, ends_on: staffMeeting, start_time: '14:00', end_time: '15:30', location: 'Staff room', description: 'Report cards, and the fees position before the board meets.' }),
    event('board-meeting', { title: 'Board of management meeting', type: 'meeting', starts_on: boardMeeting, ends_on: boardMeeting, start_time: '10:00', end_time: '13:00', location: "Head teacher's office", description: 'The term report, fees collection and next term’s budget.' }),
  ];
  const next = DEMO_SCHOOL.terms.find((t) => t.startsOn > today && t.name !== term.name);
  if (next) events.push(event(`opening ${next.name}`, { title: `${next.name} opens`, type: 'term', starts_on: next.startsOn, ends_on: next.startsOn, start_time: '08:00', description: 'Pupils report by 8:00 with their fees receipts.' }));
  return { events, staffMeeting, boardMeeting };
}
