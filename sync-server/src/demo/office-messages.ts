import type { MessageReadRow, MessageRow } from '../../../shared/domain/messages.js';
import { messageReadId } from '../../../shared/domain/messages.js';
import { DEMO_STAFF } from './demo-school.js';
import { DEMO_TEACHERS } from './office-staff.js';
import { stableUuid } from './prng.js';
import { DEMO_SEED_DEVICE_ID } from './seed-bursary.js';

// A few days of messages between the demo staff, up to the seeding moment: one to all
// teachers, some read, the latest ones not yet (the administrator, the bursar and the teacher
// each have one unread, about the meetings on the calendar).

const HOUR = 3_600_000;

interface Person {
  id: string;
  displayName: string;
}

interface Planned {
  key: string;
  from: Person;
  to: readonly Person[];
  label: string;
  subject: string;
  body: string;
  hoursAgo: number;
  /** Who has opened it, and how many minutes after it arrived. */
  readBy: readonly [Person, number][];
}

const { admin, bursar, teacher, auditor } = DEMO_STAFF;

/** "Wednesday 25 November" */
const dayName = (date: string) => new Date(`${date}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });

/** The messages, the latest about the meetings after the seeding day. */
const planned = (meetings: { staffMeeting: string; boardMeeting: string }): readonly Planned[] => [
  {
    key: 'registers', from: admin, to: DEMO_TEACHERS, label: 'All teachers', hoursAgo: 75,
    subject: 'Registers by 8:30, please',
    body: 'Please take your class register before 8:30 every morning, so the office can call the parents of absent pupils before break.',
    readBy: [[teacher, 20], [DEMO_TEACHERS[1]!, 45], [DEMO_TEACHERS[3]!, 90]],
  },
  {
    key: 'parents', from: teacher, to: [admin], label: admin.displayName, hoursAgo: 50,
    subject: 'Parents asking about the end-of-term meeting',
    body: 'Several parents have asked when the end-of-term meeting is. Can we put the date on the calendar?',
    readBy: [[admin, 35]],
  },
  {
    key: 'fees', from: bursar, to: [admin], label: admin.displayName, hoursAgo: 26,
    subject: 'Fee reminders for Grade 7',
    body: 'Grade 7 arrears are the highest in the school. I suggest we send reminders to their guardians this week.',
    readBy: [[admin, 60]],
  },
  {
    key: 'fees-reply', from: admin, to: [bursar], label: bursar.displayName, hoursAgo: 22,
    subject: 'Re: Fee reminders for Grade 7',
    body: 'Agreed. Please print the statements and I will sign the letters tomorrow morning.',
    readBy: [],
  },
  {
    key: 'marks', from: admin, to: [teacher], label: teacher.displayName, hoursAgo: 2,
    subject: 'End of term marks',
    body: 'Please have the end-of-term marks for your classes entered by Friday so report cards can be printed.',
    readBy: [],
  },
  {
    key: 'staff-meeting', from: admin, to: [bursar, auditor, ...DEMO_TEACHERS], label: 'All staff', hoursAgo: 1,
    subject: `Staff meeting on ${dayName(meetings.staffMeeting)}`,
    body: `The staff meeting is on ${dayName(meetings.staffMeeting)} at 14:00 in the staff room (it is on the calendar). We will go through the report cards and the fees position before the board meets.`,
    readBy: [],
  },
  {
    key: 'board-papers', from: bursar, to: [admin], label: admin.displayName, hoursAgo: 3,
    subject: 'Fees report for the board',
    body: `The fees collection report for the board meeting on ${dayName(meetings.boardMeeting)} is ready. Could you look at it before I print the copies?`,
    readBy: [],
  },
];

export interface DemoMessages {
  messages: MessageRow[];
  reads: MessageReadRow[];
}

/** The messages as sent before `now`, with the read receipts of those opened. */
export function demoMessages(now: Date, meetings: { staffMeeting: string; boardMeeting: string }): DemoMessages {
  const out: DemoMessages = { messages: [], reads: [] };
  for (const p of planned(meetings)) {
    const sentAt = now.getTime() - p.hoursAgo * HOUR;
    const id = stableUuid('demo', 'message', p.key);
    out.messages.push({
      id,
      sender_id: p.from.id,
      sender_name: p.from.displayName,
      to_staff_ids: p.to.map((t) => t.id),
      to_label: p.label,
      subject: p.subject,
      body: p.body,
      sent_at: new Date(sentAt).toISOString(),
      device_id: DEMO_SEED_DEVICE_ID,
    });
    for (const [reader, minutes] of p.readBy) {
      out.reads.push({ id: messageReadId(id, reader.id), message_id: id, staff_id: reader.id, read_at: new Date(sentAt + minutes * 60_000).toISOString() });
    }
  }
  return out;
}
