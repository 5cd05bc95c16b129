import { useRef, useState, type ChangeEvent } from 'react';
import type { AppError } from '../../../../../shared/api/errors';
import { rejectedRowsCsv, STUDENT_IMPORT_MAX_CHARS, STUDENT_IMPORT_TEMPLATE, type StudentImportResult } from '../../../../../shared/domain/student-import';
import { api, toAppError } from '../../../api';
import { Dialog } from '../../../lib/Dialog';
import { readCsvText, takeChosenFile, useStopFlag } from '../../../lib/csvFile';
import { saveTextFile } from '../../../lib/download';
import { ImportProgressBar } from '../../../lib/ImportProgressBar';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { plural } from '../../../lib/words';
import { ACTION_LABEL, countsText, decodeStudentCsv, rowDetail, TEMPLATE_FILENAME, toWrite, writeFile, type WriteProgress } from './importStudentsRun';

/** Rows shown in the dry-run table; refused ones come first, and all of them are in the download. */
const ROWS_SHOWN = 500;

type Stage =
  | { kind: 'idle' }
  | { kind: 'checking'; fileName: string }
  | { kind: 'checked'; fileName: string; csv: string; result: StudentImportResult }
  | { kind: 'writing'; fileName: string; result: StudentImportResult; progress: WriteProgress }
  | { kind: 'done'; fileName: string; progress: WriteProgress; stopped: boolean }
  | { kind: 'failed'; fileName: string; error: AppError };

/**
 * "Import students (CSV)": the file is checked in full first (nothing saved; each row says what
 * it will create or update, or why it is refused), then the accepted rows are written in pieces
 * with progress. Refused rows can be downloaded with their reasons, fixed and imported again.
 */
export function ImportStudents({ onClose, onImported }: { onClose(): void; onImported(): void }) {
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);
  const stop = useStopFlag();

  async function check(e: ChangeEvent<HTMLInputElement>) {
    const chosen = takeChosenFile(e, 'students.csv');
    if (!chosen) return;
    const { file, fileName } = chosen;
    setStage({ kind: 'checking', fileName });
    try {
      const csv = await readCsvText(file, fileName, decodeStudentCsv, STUDENT_IMPORT_MAX_CHARS, '8 MB');
      const result = await api.invoke('students.importCsv', { fileName, csv, dryRun: true });
      setStage({ kind: 'checked', fileName, csv, result });
    } catch (err) {
      setStage({ kind: 'failed', fileName, error: toAppError(err) });
    }
  }

  async function write(fileName: string, csv: string, result: StudentImportResult) {
    stop.current = false;
    setStage({ kind: 'writing', fileName, result, progress: { done: 0, created: 0, updated: 0 } });
    try {
      const done = await writeFile(
        result.totalRows,
        (fromRow, toRow) => api.invoke('students.importCsv', { fileName, csv, dryRun: false, fromRow, toRow }),
        (progress) => !stop.current && setStage({ kind: 'writing', fileName, result, progress }),
        () => stop.current,
      );
      setStage({ kind: 'done', fileName, progress: done, stopped: done.stopped });
    } catch (err) {
      setStage({ kind: 'failed', fileName, error: toAppError(err) });
    }
    onImported();
  }

  const choose = () => fileInput.current?.click();
  const busy = stage.kind === 'checking' || stage.kind === 'writing';

  return (
    <Dialog title="Import students (CSV)" onClose={() => !busy && onClose()} testId="student-import">
      <input ref={fileInput} type="file" accept=".csv,text/csv" hidden onChange={(e) => void check(e)} data-testid="student-import-file" />
      {stage.kind === 'idle' && (
        <>
          <p className="muted">
            One student per line, with the columns admission_no, first_name, middle_name, last_name, date_of_birth (YYYY-MM-DD), gender, class, status, medical_notes and up to two
            guardians (guardian1_name, guardian1_relationship, guardian1_phone, guardian1_email, guardian1_pays_fees, then guardian2_…). Save it as “CSV UTF-8”. An admission number
            already here updates that student; an empty cell leaves a field as it is. The file is checked first; nothing is saved until you confirm.
          </p>
          <div className="form-actions">
            <button type="button" className="primary" onClick={choose} autoFocus data-testid="student-import-choose">
              Choose a file
            </button>
            <button type="button" className="link-button" onClick={() => saveTextFile(TEMPLATE_FILENAME, STUDENT_IMPORT_TEMPLATE)}>
              Download the template
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
      {stage.kind === 'checking' && <p role="status">Checking {stage.fileName}…</p>}
      {stage.kind === 'checked' && <Checked stage={stage} onWrite={() => void write(stage.fileName, stage.csv, stage.result)} onChoose={choose} onClose={onClose} />}
      {stage.kind === 'writing' && (
        <ImportProgressBar done={stage.progress.done} total={stage.result.totalRows} onStop={() => (stop.current = true)} testId="student-import-progress">
          Saved {stage.progress.done.toLocaleString('en')} of {stage.result.totalRows.toLocaleString('en')} rows from {stage.fileName}…
        </ImportProgressBar>
      )}
      {stage.kind === 'done' && (
        <div className="notice notice-success" role="status" data-testid="student-import-done">
          <p>
            {stage.stopped ? 'Stopped. ' : ''}
            {plural(stage.progress.created, 'student')} added and {stage.progress.updated.toLocaleString('en')} updated from {stage.fileName}.
            {stage.stopped && ' Import the file again to save the rest: what is saved is not duplicated.'}
          </p>
          <div className="form-actions">
            <button type="button" onClick={onClose} autoFocus>
              Close
            </button>
          </div>
        </div>
      )}
      {stage.kind === 'failed' && (
        <>
          <ErrorNotice error={stage.error} testId="student-import-error" />
          <div className="form-actions">
            <button type="button" onClick={choose}>
              Choose a file
            </button>
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

function Checked({ stage, onWrite, onChoose, onClose }: { stage: Extract<Stage, { kind: 'checked' }>; onWrite(): void; onChoose(): void; onClose(): void }) {
  const { fileName, csv, result } = stage;
  if (result.fileProblems.length > 0) {
    return (
      <div className="notice notice-error" role="alert" data-testid="student-import-file-problems">
        <p>{fileName} cannot be imported. Nothing was saved.</p>
        <ul>
          {result.fileProblems.map((p, i) => (
            <li key={i}>{p.line === null ? p.message : `Line ${p.line}: ${p.message}`}</li>
          ))}
        </ul>
        <div className="form-actions">
          <button type="button" onClick={onChoose}>
            Choose the file again
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    );
  }
  const rows = [...result.rows].sort((a, b) => Number(b.action === 'reject') - Number(a.action === 'reject') || a.line - b.line).slice(0, ROWS_SHOWN);
  const n = toWrite(result.counts);
  return (
    <div data-testid="student-import-summary">
      <p>
        <strong>{fileName}</strong>: {countsText(result.counts)}. Checked; nothing is saved yet.
      </p>
      <div className="table-scroll">
        <table className="data-table">
          <thead>
            <tr>
              <th className="num">Line</th>
              <th>Admission no.</th>
              <th>Name</th>
              <th>What happens</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.line} data-testid="student-import-row" data-action={r.action}>
                <td className="num">{r.line}</td>
                <td>{r.admissionNo}</td>
                <td>{r.name}</td>
                <td>{ACTION_LABEL[r.action]}</td>
                <td>{rowDetail(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {result.rows.length > rows.length && <p className="muted">The first {rows.length.toLocaleString('en')} rows are shown (refused ones first).</p>}
      <div className="form-actions">
        {n > 0 && (
          <button type="button" className="primary" onClick={onWrite} autoFocus data-testid="student-import-confirm">
            Save {plural(n, 'student')}
            {result.counts.reject > 0 ? ` (skip ${result.counts.reject.toLocaleString('en')} refused)` : ''}
          </button>
        )}
        {result.counts.reject > 0 && (
          <button type="button" onClick={() => saveTextFile(`refused-${fileName.replace(/\.csv$/i, '')}.csv`, rejectedRowsCsv(csv, result.rows))} data-testid="student-import-rejected">
            Download the refused rows
          </button>
        )}
        <button type="button" onClick={onClose}>
          {n > 0 ? 'Cancel' : 'Close'}
        </button>
      </div>
    </div>
  );
}
