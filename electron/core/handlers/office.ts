import type { Handlers } from '../../../shared/api/contract.js';
import type { officeApi } from '../../../shared/api/office-api.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { rateOf } from '../../../shared/domain/attendance-views.js';
import { addDays } from '../../../shared/domain/calendar-views.js';
import { attendanceOn } from '../queries/attendance.js';
import { eventsInWindow } from '../queries/events.js';
import { currentAcademicYear, enrolmentByClass } from '../queries/office.js';
import { unreadCount } from '../queries/messages.js';
import { openConflictCount } from '../queries/conflicts.js';
import { signedIn, type CoreContext } from './context.js';

/** Days the dashboard looks ahead for events, today included. */
const UPCOMING_DAYS = 14;

export function officeHandlers({ store, device }: CoreContext): Pick<Handlers, keyof typeof officeApi> {
  return {
    'office.dashboard': async (_input, user) => {
      const me = signedIn(user);
      const today = schoolDate(new Date(), device.time_zone);
      const academicYear = await currentAcademicYear(store.db, today);
      const enrolment = await enrolmentByClass(store.db, academicYear);
      const taken = await attendanceOn(store.db, today);
      return {
        today,
        academicYear,
        enrolment,
        attendanceToday: { classes: enrolment.length, ...taken, rate: rateOf(taken.presentOrLate, taken.marked) },
        upcoming: await eventsInWindow(store.db, today, addDays(today, UPCOMING_DAYS - 1)),
        unreadMessages: await unreadCount(store.db, me.id),
        openConflicts: await openConflictCount(store.db),
      };
    },
  };
}
