import { useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../../../shared/api/errors';
import { toAppError } from '../../../api';
import { saveTextFile } from '../../../lib/download';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { todayIsoDate } from '../../../lib/time';
import { exportCsv, exportFilename, progressText, type CsvShape, type FetchExportPage } from './exportRows';

interface Props<Row, Cursor> {
  /** Names the file ("payments" → payments-2026-05-02.csv). */
  list: string;
  fetchPage: FetchExportPage<Row, Cursor>;
  shape: CsvShape<Row>;
  disabled?: boolean;
}

/** "Export CSV": the whole list as filtered, a thousand rows at a time, with progress and a way to stop. */
export function ExportButton<Row, Cursor>({ list, fetchPage, shape, disabled }: Props<Row, Cursor>) {
  const [progress, setProgress] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const cancel = useRef(false);

  // Leaving the list stops an export under way.
  useEffect(
    () => () => {
      cancel.current = true;
    },
    [],
  );

  async function start() {
    if (busy) return;
    cancel.current = false;
    setBusy(true);
    setError(null);
    setSaved(null);
    setProgress('Starting the export…');
    try {
      const csv = await exportCsv(fetchPage, shape, (done, total) => setProgress(progressText(done, total)), () => cancel.current);
      if (csv === null) {
        setProgress('Export stopped; nothing was saved.');
        return;
      }
      const filename = exportFilename(list, todayIsoDate());
      saveTextFile(filename, csv);
      setSaved(filename);
    } catch (err) {
      setError(toAppError(err));
      setProgress(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="export">
      {busy ? (
        <button type="button" onClick={() => (cancel.current = true)} data-testid={`${list}-export-stop`}>
          Stop export
        </button>
      ) : (
        <button type="button" onClick={() => void start()} disabled={disabled} data-testid={`${list}-export`}>
          Export CSV
        </button>
      )}
      {progress && (
        <span className="export-progress muted" role="status" data-testid={`${list}-export-progress`}>
          {progress}
          {saved && `. Downloaded ${saved}; open it with a spreadsheet program.`}
        </span>
      )}
      {error && <ErrorNotice error={error} testId={`${list}-export-error`} />}
    </div>
  );
}
