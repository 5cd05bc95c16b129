import { useCallback } from 'react';
import { STUDENT_IMPORT_COLUMNS } from '../../../../../shared/domain/student-import';
import type { StudentCursor } from '../../../../../shared/domain/students';
import { api } from '../../../api';
import { ExportButton } from '../../bursary/lists/ExportButton';
import type { CsvShape, FetchExportPage } from '../../bursary/lists/exportRows';
import { useStudents } from '../store';
import { studentFilter } from '../useStudentPages';

type Row = Record<string, string>;

/** The export has the import's columns, so an exported file can be edited and imported back. */
const SHAPE: CsvShape<Row> = { header: STUDENT_IMPORT_COLUMNS, cells: (row) => STUDENT_IMPORT_COLUMNS.map((c) => row[c] ?? '') };

/** "Export CSV" of the students list as filtered on screen, with progress. */
export function ExportStudents() {
  const search = useStudents((s) => s.search);
  const status = useStudents((s) => s.status);
  const classId = useStudents((s) => s.classId);
  const gender = useStudents((s) => s.gender);
  const fetchPage: FetchExportPage<Row, StudentCursor> = useCallback(
    async (after, withTotal, limit) => {
      const filter = studentFilter({ search, status, classId, gender });
      const [page, total] = await Promise.all([api.invoke('students.exportPage', { ...filter, after, limit }), withTotal ? api.invoke('students.count', filter) : null]);
      return { rows: page.rows, next: page.next, total: total?.count ?? null };
    },
    [search, status, classId, gender],
  );
  return <ExportButton list="students" fetchPage={fetchPage} shape={SHAPE} />;
}
