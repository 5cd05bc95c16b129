import type { Handlers } from '../../../shared/api/contract.js';
import type { studentImportApi } from '../../../shared/api/student-import-api.js';
import type { CoreContext } from './context.js';

export function studentImportHandlers(_ctx: CoreContext): Pick<Handlers, keyof typeof studentImportApi> {
  return {};
}
