import type { Handlers } from '../../../shared/api/contract.js';
import type { CoreContext } from './context.js';
import { appHandlers } from './app.js';
import { authHandlers } from './auth.js';
import { paymentHandlers } from './payments.js';
import { paymentImportHandlers } from './payment-import.js';
import { roleHandlers } from './roles.js';
import { adminHandlers } from './admin.js';
import { studentHandlers } from './students.js';
import { syncHandlers } from './sync.js';
import { backupHandlers } from './backups.js';
import { studentImportHandlers } from './student-import.js';
import { conflictHandlers } from './conflicts.js';
import { messageHandlers } from './messages.js';
import { reportHandlers } from './reports.js';
import { officeHandlers } from './office.js';
import { calendarHandlers } from './calendar.js';
import { attendanceHandlers } from './attendance.js';
import { attentionHandlers } from './attention.js';
import { staffHandlers } from './staff.js';
import { feeHandlers } from './fees.js';
import { bursaryReadHandlers } from './bursary-reads.js';
import { bursaryWriteHandlers } from './bursary-writes.js';

export function createHandlers(ctx: CoreContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...authHandlers(ctx),
    ...studentHandlers(ctx),
    ...paymentHandlers(ctx),
    ...paymentImportHandlers(ctx),
    ...feeHandlers(ctx),
    ...bursaryReadHandlers(ctx),
    ...bursaryWriteHandlers(ctx),
    ...roleHandlers(ctx),
    ...staffHandlers(ctx),
    ...adminHandlers(ctx),
    ...attentionHandlers(ctx),
    ...syncHandlers(ctx),
    ...backupHandlers(ctx),
    ...studentImportHandlers(ctx),
    ...conflictHandlers(ctx),
    ...messageHandlers(ctx),
    ...reportHandlers(ctx),
    ...officeHandlers(ctx),
    ...calendarHandlers(ctx),
    ...attendanceHandlers(ctx),
  };
}
