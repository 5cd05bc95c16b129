import type { Handlers } from '../../../shared/api/contract.js';
import type { studentImportApi } from '../../../shared/api/student-import-api.js';
import { importStudents } from '../commands/import-students.js';
import { studentsExportPage } from '../queries/students-export.js';
import { signedIn, type CoreContext } from './context.js';

export function studentImportHandlers({ store, sync }: CoreContext): Pick<Handlers, keyof typeof studentImportApi> {
  return {
    'students.importCsv': async (input, user) => {
      const result = await importStudents(store.db, input, signedIn(user));
      if (result.written.created + result.written.updated > 0) sync.kick();
      return result;
    },
    'students.exportPage': ({ after, limit, ...filter }) => studentsExportPage(store.db, filter, after, limit),
  };
}
