import type { Handlers } from '../../../shared/api/contract.js';
import type { attendanceApi } from '../../../shared/api/attendance-api.js';
import type { CoreContext } from './context.js';

export function attendanceHandlers(_ctx: CoreContext): Pick<Handlers, keyof typeof attendanceApi> {
  return {};
}
