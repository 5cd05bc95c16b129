import type { Handlers } from '../../../shared/api/contract.js';
import type { attendanceApi } from '../../../shared/api/attendance-api.js';
import { schoolDate } from '../../../shared/domain/ledger-math.js';
import { saveRegisterAndRead } from '../commands/attendance.js';
import { classRates, readRegister, studentHistory } from '../queries/attendance.js';
import { listAttendance } from '../queries/attendance-records.js';
import { currentAcademicYear, enrolmentByClass } from '../queries/office.js';
import { signedIn, type CoreContext } from './context.js';

export function attendanceHandlers({ store, device, sync }: CoreContext): Pick<Handlers, keyof typeof attendanceApi> {
  return {
    'attendance.classes': async () => {
      const today = schoolDate(new Date(), device.time_zone);
      return { classes: await enrolmentByClass(store.db, await currentAcademicYear(store.db, today)), today };
    },
    'attendance.register': ({ classId, date, period }) => readRegister(store.db, classId, date, period),
    'attendance.save': async (input, user) => {
      const result = await saveRegisterAndRead(store.db, signedIn(user), input);
      sync.kick();
      return result;
    },
    'attendance.history': (input) => studentHistory(store.db, input),
    'attendance.classRates': (input) => classRates(store.db, input),
    'attendance.records': (input) => listAttendance(store.db, input),
  };
}
