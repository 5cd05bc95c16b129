import type { StudentRow } from '../../../shared/domain/students.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { DEMO_SCHOOL } from './demo-school.js';
import { demoRegisters, lastSchoolDays } from './office-attendance.js';
import { DEMO_EVENTS, DEMO_HOLIDAYS, upcomingDemoEvents } from './office-calendar.js';
import { demoStudentSubjects } from './office-classes.js';
import { demoFamilies, withProfiles } from './office-families.js';
import { DEMO_ASSESSMENTS, DEMO_GRADING_SCALE, demoMarks } from './office-marks.js';
import { demoMessages } from './office-messages.js';

// The demo school office beyond its classes: every row the seed writes, planned from the
// students and the seeding moment alone. Tables in the order they are written (what a row
// refers to first).

export const OFFICE_TABLES = [
  'grading_scales',
  'guardians',
  'student_guardians',
  'student_subjects',
  'events',
  'assessments',
  'scores',
  'report_comments',
  'attendance_sessions',
  'attendance_records',
  'messages',
  'message_reads',
] as const;
export type OfficeTable = (typeof OFFICE_TABLES)[number];

export interface DemoOffice {
  /** The students as the office shows them: class, profile and guardians' phones. */
  students: StudentRow[];
  rows: Record<OfficeTable, readonly { id: string }[]>;
}

/** Students in admission order (generated, or as an earlier seed stored them). */
export function planDemoOffice(students: readonly StudentRow[], now: Date): DemoOffice {
  const families = demoFamilies(students);
  const optional = demoStudentSubjects(students);
  const marks = demoMarks(students, optional);
  const registers = demoRegisters(students, lastSchoolDays(now, DEMO_SCHOOL.timeZone, DEMO_HOLIDAYS));
  const upcoming = upcomingDemoEvents(schoolDate(now, DEMO_SCHOOL.timeZone));
  const messages = demoMessages(now, upcoming);
  return {
    students: withProfiles(students, families),
    rows: {
      grading_scales: [DEMO_GRADING_SCALE],
      guardians: families.guardians,
      student_guardians: families.links,
      student_subjects: optional,
      events: [...DEMO_EVENTS, ...upcoming.events],
      assessments: DEMO_ASSESSMENTS,
      scores: marks.scores,
      report_comments: marks.comments,
      attendance_sessions: registers.sessions,
      attendance_records: registers.records,
      messages: messages.messages,
      message_reads: messages.reads,
    },
  };
}
