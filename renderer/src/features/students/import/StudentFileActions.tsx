import { useState } from 'react';
import { useCan } from '../../session/store';
import { useStudents } from '../store';
import { ExportStudents } from '../export/ExportStudents';
import { ImportStudents } from './ImportStudents';

/** Under the students list: import a CSV (for whoever edits students) and export the list as filtered. */
export function StudentFileActions() {
  const canEdit = useCan('students.update');
  const changed = useStudents((s) => s.changed);
  const [importing, setImporting] = useState(false);
  return (
    <div className="students-file-actions form-actions">
      {canEdit && (
        <button type="button" onClick={() => setImporting(true)} data-testid="student-import-open">
          Import CSV
        </button>
      )}
      <ExportStudents />
      {importing && <ImportStudents onClose={() => setImporting(false)} onImported={changed} />}
    </div>
  );
}
