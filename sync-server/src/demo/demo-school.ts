import { mulberry32, prngUuid } from './prng.js';

// The demo school's fixed facts, shared by the seeders, the CLI and tests.

export const DEMO_SCHOOL = {
  id: 'demo',
  code: 'DEMO',
  name: 'Kilima Hills School',
  currency: 'KES',
  timeZone: 'Africa/Nairobi',
  /** Reusable office enrolment code (demo only: real schools get single-use codes). */
  enrolmentCode: 'DEMO-ENROL-2026',
  /** Reusable teacher-room enrolment code: devices that receive no bursary data. */
  teacherEnrolmentCode: 'DEMO-TEACHER-2026',
  terms: [
    { name: 'Term 1 2026', startsOn: '2026-01-05', endsOn: '2026-04-02' },
    { name: 'Term 2 2026', startsOn: '2026-04-27', endsOn: '2026-07-31' },
    { name: 'Term 3 2026', startsOn: '2026-08-24', endsOn: '2026-10-30' },
  ],
} as const;

/** The demo school's staff and their passwords (demo only: printed in the README). The first
 * is the administrator createSchool makes; the others are added with their built-in roles. */
// Fixed ids, so tests and other tools can name the demo staff as authors.
const staffIds = mulberry32(20260102);
export const DEMO_STAFF = {
  admin: { id: prngUuid(staffIds), username: 'admin', password: 'demo-admin-2026', displayName: 'Grace Wanjiru', roleKey: 'administrator' },
  bursar: { id: prngUuid(staffIds), username: 'bursar', password: 'demo-bursar-2026', displayName: 'Peter Otieno', roleKey: 'bursar' },
  teacher: { id: prngUuid(staffIds), username: 'teacher', password: 'demo-teacher-2026', displayName: 'Mary Achieng', roleKey: 'teacher' },
  auditor: { id: prngUuid(staffIds), username: 'auditor', password: 'demo-auditor-2026', displayName: 'James Mwangi', roleKey: 'auditor' },
} as const;
