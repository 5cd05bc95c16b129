import { useRef, useState, type ChangeEvent } from 'react';
import type { AppError } from '../../../../../shared/api/errors';
import { PAYMENT_IMPORT_MAX_CHARS, PAYMENT_IMPORT_TEMPLATE, type PaymentImportResult } from '../../../../../shared/domain/payment-import';
import { api, toAppError } from '../../../api';
import { readCsvText, takeChosenFile, useStopFlag } from '../../../lib/csvFile';
import { saveTextFile } from '../../../lib/download';
import { ImportProgressBar } from '../../../lib/ImportProgressBar';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { plural } from '../../../lib/words';
import { decodeCsvBytes, ImportStopped, progressText, receiptRange, recordFile, recordLabel, summaryText, TEMPLATE_FILENAME, toRecord, type ImportProgress } from './importRun';

type Stage =
  | { kind: 'idle' }
  | { kind: 'checking'; fileName: string }
  | { kind: 'checked'; fileName: string; csv: string; result: PaymentImportResult }
  | { kind: 'recording'; fileName: string; result: PaymentImportResult; progress: ImportProgress }
  | { kind: 'done'; fileName: string; progress: ImportProgress; stopped: boolean }
  | { kind: 'failed'; fileName: string; error: AppError; progress: ImportProgress | null };

interface Props {
  currency: string;
  /** Payments were recorded: the list below should show them. */
  onRecorded(): void;
  /** Takes the bursar to the payments list (below). */
  onShowList(): void;
}

/**
 * "Import payments (CSV)": a bank or mobile-money statement is checked in full first (nothing
 * saved, every problem listed with its line), then recorded in pieces with progress. Recording
 * the same file again, or after a stop, records nothing twice: core knows the file's rows.
 */
export function ImportPayments({ currency, onRecorded, onShowList }: Props) {
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);
  const stop = useStopFlag();

  async function check(e: ChangeEvent<HTMLInputElement>) {
    const chosen = takeChosenFile(e, 'payments.csv');
    if (!chosen) return;
    const { file, fileName } = chosen;
    setStage({ kind: 'checking', fileName });
    try {
      const csv = await readCsvText(file, fileName, decodeCsvBytes, PAYMENT_IMPORT_MAX_CHARS, '5 MB');
      const result = await api.invoke('payments.importCsv', { fileName, csv, dryRun: true });
      setStage({ kind: 'checked', fileName, csv, result });
    } catch (err) {
      setStage({ kind: 'failed', fileName, error: toAppError(err), progress: null });
    }
  }

  async function record(fileName: string, csv: string, result: PaymentImportResult) {
    stop.current = false;
    const start: ImportProgress = { done: 0, recorded: 0, alreadyImported: 0, receipts: [] };
    setStage({ kind: 'recording', fileName, result, progress: start });
    try {
      const done = await recordFile(
        result.totalRows,
        (fromRow, toRow) => api.invoke('payments.importCsv', { fileName, csv, dryRun: false, fromRow, toRow }),
        (progress) => !stop.current && setStage({ kind: 'recording', fileName, result, progress }),
        () => stop.current,
      );
      setStage({ kind: 'done', fileName, progress: done, stopped: done.stopped });
      if (done.recorded > 0) onRecorded();
    } catch (err) {
      const progress = err instanceof ImportStopped ? err.progress : null;
      setStage({ kind: 'failed', fileName, error: toAppError(err instanceof ImportStopped ? err.error : err), progress });
      if (progress && progress.recorded > 0) onRecorded();
    }
  }

  const choose = () => fileInput.current?.click();
  const close = () => setStage({ kind: 'idle' });

  return (
    <div className="payment-import" data-testid="payment-import">
      <div className="charge-toggle">
        <button type="button" className="primary" onClick={choose} disabled={stage.kind === 'checking' || stage.kind === 'recording'} data-testid="import-payments">
          Import payments (CSV)
        </button>
        <button type="button" className="link-button" onClick={() => saveTextFile(TEMPLATE_FILENAME, PAYMENT_IMPORT_TEMPLATE)} data-testid="import-template">
          Download the template
        </button>
        <input ref={fileInput} type="file" accept=".csv,text/csv" hidden onChange={(e) => void check(e)} data-testid="import-file" />
      </div>
      {stage.kind === 'idle' && (
        <p className="muted import-help">
          A statement saved as CSV, one payment per line, with the columns admission_no, amount, method (cash, bank transfer, mobile money or M-Pesa, cheque, card), reference
          (needed for bank, mobile money and cheque) and, if you like, note. It is checked first; nothing is saved until you say so.
        </p>
      )}
      {stage.kind === 'checking' && (
        <p className="muted" role="status">
          Checking {stage.fileName}…
        </p>
      )}
      {stage.kind === 'checked' && <Checked stage={stage} currency={currency} onRecord={() => void record(stage.fileName, stage.csv, stage.result)} onChoose={choose} onClose={close} />}
      {stage.kind === 'recording' && (
        <ImportProgressBar className="notice import-summary" done={stage.progress.done} total={stage.result.totalRows} onStop={() => (stop.current = true)} testId="import-progress" stopTestId="import-stop">
          {progressText(stage.progress.recorded, toRecord(stage.result))} payments from {stage.fileName}…
        </ImportProgressBar>
      )}
      {stage.kind === 'done' && (
        <div className="notice notice-success" role="status" data-testid="import-result">
          <p>
            {stage.stopped ? 'Stopped. ' : ''}Recorded {plural(stage.progress.recorded, 'payment')} from {stage.fileName}
            {stage.progress.recorded > 0 ? ` (${receiptRange(stage.progress.receipts)})` : ''}.
            {stage.progress.alreadyImported > 0 && ` ${plural(stage.progress.alreadyImported, 'payment')} had been recorded from this file before and ${stage.progress.alreadyImported === 1 ? 'was' : 'were'} not recorded again.`}
            {stage.stopped && ' Import the file again to record the rest: what is recorded is skipped.'}
          </p>
          <div className="form-actions">
            <button type="button" className="link-button" onClick={onShowList} data-testid="import-show-list">
              Show them in the payments list
            </button>
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </div>
      )}
      {stage.kind === 'failed' && (
        <>
          <ErrorNotice error={stage.error} testId="import-error" />
          {stage.progress && stage.progress.recorded > 0 && (
            <p className="notice notice-warn" data-testid="import-partial">
              {plural(stage.progress.recorded, 'payment')} from {stage.fileName} {stage.progress.recorded === 1 ? 'was' : 'were'} recorded before this ({receiptRange(stage.progress.receipts)}) and
              stay recorded. Importing the file again records only the rest.
            </p>
          )}
          <div className="form-actions">
            <button type="button" onClick={choose}>
              Choose a file
            </button>
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function Checked({ stage, currency, onRecord, onChoose, onClose }: { stage: Extract<Stage, { kind: 'checked' }>; currency: string; onRecord(): void; onChoose(): void; onClose(): void }) {
  const { fileName, result } = stage;
  const remaining = toRecord(result);
  if (result.problemCount > 0) {
    return (
      <div className="notice notice-error" role="alert" data-testid="import-problems">
        <p>
          {fileName} has {plural(result.problemCount, 'problem')}. Nothing was saved: fix {result.problemCount === 1 ? 'it' : 'them'} in the file and choose it again.
        </p>
        <table className="data-table import-problems">
          <thead>
            <tr>
              <th className="num">Line</th>
              <th>Column</th>
              <th>Problem</th>
            </tr>
          </thead>
          <tbody>
            {result.problems.map((p, i) => (
              <tr key={i} data-testid="import-problem">
                <td className="num">{p.line ?? 'File'}</td>
                <td>{p.column ?? '—'}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {result.problemCount > result.problems.length && <p>These are the first {result.problems.length.toLocaleString('en')} problems; fix them and check the file again for the rest.</p>}
        <Notes notes={result.notes} />
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
  return (
    <div className="notice import-summary" data-testid="import-summary">
      <p>
        <strong>{fileName}</strong>: {summaryText(result, currency)}. Checked; nothing is saved yet.
      </p>
      {result.alreadyImported > 0 && (
        <p>
          {remaining === 0 ? 'All of them were' : `${plural(result.alreadyImported, 'payment')} of them ${result.alreadyImported === 1 ? 'was' : 'were'}`} recorded from this file before, and will not be
          recorded again.
        </p>
      )}
      <Notes notes={result.notes} />
      <div className="form-actions">
        {remaining > 0 && (
          <button type="button" className="primary" onClick={onRecord} autoFocus data-testid="import-record">
            {recordLabel(remaining)}
          </button>
        )}
        <button type="button" onClick={onClose}>
          {remaining > 0 ? 'Cancel' : 'Close'}
        </button>
      </div>
    </div>
  );
}

function Notes({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul className="import-notes" data-testid="import-notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}
