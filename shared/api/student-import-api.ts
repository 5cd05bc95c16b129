import type { MethodTable } from './access.js';
import { StudentExportInput, StudentExportPage, StudentImportInput, StudentImportResult } from '../domain/student-import.js';

/** Students and guardians from a CSV file, and the students list to one (issue 5). */
export const studentImportApi = {
  /** A dry run says what each row will do and saves nothing; otherwise rows [fromRow, toRow)
   * are written (refused rows skipped), unless the file itself cannot be read. */
  'students.importCsv': { access: 'students.update', input: StudentImportInput, output: StudentImportResult },
  'students.exportPage': { access: 'students.view', input: StudentExportInput, output: StudentExportPage },
} as const satisfies MethodTable;
