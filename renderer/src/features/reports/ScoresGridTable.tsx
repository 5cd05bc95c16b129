import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { AppError } from '../../../../shared/api/errors';
import type { GradingScaleView, ScoreCell, ScoresGrid } from '../../../../shared/domain/report-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { plural } from '../../lib/words';
import { useAfterSync } from '../sync/useAfterSync';
import { nextCell, pastedCells, readScore, scoreText } from './gridKeys';
import { rowResult, scaleFor } from './rowResult';
import { useReports } from './store';

interface Props {
  classId: string;
  subjectId: string;
  term: string;
}

const key = (row: number, col: number) => `${row}:${col}`;

/**
 * The class's marks for one subject: a row per student taking it, a column per assessment.
 * Typed like a spreadsheet (Enter, Tab and arrows move; a pasted column fills downwards); a bad
 * mark is shown in its cell and blocks saving. Saving sends only the cells that changed. Each row
 * ends with the subject's percentage and grade, worked out from the marks on screen as they are typed.
 */
export function ScoresGridTable({ classId, subjectId, term }: Props) {
  const [grid, setGrid] = useState<ScoresGrid | null>(null);
  const [scales, setScales] = useState<readonly GradingScaleView[]>([]);
  const gradingScaleId = useReports((s) => s.classes?.find((c) => c.id === classId)?.values.grading_scale_id ?? null);
  const [drafts, setDrafts] = useState<ReadonlyMap<string, string>>(new Map());
  const [refused, setRefused] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const { saving, busy, save } = useSaveOnce();

  const readScales = () => api.invoke('gradingScales.list', {}).then((r) => setScales(r.scales));

  async function load() {
    try {
      const [g] = await Promise.all([api.invoke('scores.grid', { classId, subjectId, term }), readScales()]);
      setGrid(g);
      setDrafts(new Map());
      setRefused(new Map());
    } catch (err) {
      setError(toAppError(err));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  // Marks entered on other computers arrive with a sync: shown only while no cell here is typed in
  // (asked again when the grid comes back, in case typing began meanwhile).
  const typing = useRef(false);
  useEffect(() => {
    typing.current = drafts.size > 0 || saving;
  });
  useAfterSync(() => {
    // A scale changed elsewhere only regrades: safe to take while typing.
    readScales().catch(() => undefined);
    if (typing.current) return;
    api.invoke('scores.grid', { classId, subjectId, term }).then((g) => typing.current || setGrid(g), () => undefined);
  });

  if (error && !grid) return <ErrorNotice error={error} onRetry={() => void load()} />;
  if (!grid) return <p className="muted">Loading the scores…</p>;
  const { students, assessments } = grid;
  const cols = assessments.length;
  if (cols === 0) return <p className="muted">Add an assessment above to enter marks.</p>;
  if (students.length === 0) return <p className="muted">{grid.compulsory ? `No students are enrolled in ${grid.className}.` : `No student of ${grid.className} takes ${grid.subjectName} yet.`}</p>;

  const stored = (row: number, col: number) => students[row]!.scores[assessments[col]!.id] ?? null;
  const text = (row: number, col: number) => drafts.get(key(row, col)) ?? scoreText(stored(row, col));
  const problem = (row: number, col: number): string | null => {
    const read = readScore(text(row, col), assessments[col]!.maxScore);
    return read.ok ? (refused.get(key(row, col)) ?? null) : read.problem;
  };
  const bands = scaleFor(scales, gradingScaleId)?.bands ?? null;
  const changed: ScoreCell[] = [];
  const changedKeys: string[] = [];
  let bad = 0;
  for (const [k] of drafts) {
    const [row, col] = k.split(':').map(Number) as [number, number];
    const read = readScore(text(row, col), assessments[col]!.maxScore);
    if (!read.ok) bad++;
    else if (read.score !== stored(row, col)) {
      changed.push({ studentId: students[row]!.id, assessmentId: assessments[col]!.id, score: read.score });
      changedKeys.push(k);
    }
  }

  const edit = (entries: [string, string][]) => {
    setNotice(null);
    setDrafts((d) => new Map([...d, ...entries]));
    setRefused((r) => {
      const next = new Map(r);
      for (const [k] of entries) next.delete(k);
      return next;
    });
  };
  const focus = (row: number, col: number) => {
    const el = inputs.current[row * cols + col];
    el?.focus();
    el?.select();
  };

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>, row: number, col: number) {
    if (e.key === 'Escape') {
      setDrafts((d) => new Map([...d].filter(([k]) => k !== key(row, col))));
      return;
    }
    const el = e.currentTarget;
    const to = nextCell({ row, col }, { key: e.key, shift: e.shiftKey, atStart: el.selectionStart === 0, atEnd: el.selectionEnd === el.value.length }, students.length, cols);
    if (!to) return;
    e.preventDefault();
    focus(to.row, to.col);
  }

  function onPaste(e: ClipboardEvent<HTMLInputElement>, row: number, col: number) {
    const cells = pastedCells(e.clipboardData.getData('text/plain'));
    if (cells.length === 1 && cells[0]!.length === 1) return;
    e.preventDefault();
    const entries: [string, string][] = [];
    cells.forEach((line, r) => line.forEach((value, c) => row + r < students.length && col + c < cols && entries.push([key(row + r, col + c), value.trim()])));
    edit(entries);
    setNotice(`Pasted ${plural(entries.length, 'mark')}${cells.length + row > students.length ? '; lines beyond the last student were left out' : ''}.`);
  }

  async function submit() {
    if (busy()) return;
    if (bad > 0) {
      setNotice(null);
      setError(new AppError('invalid_input', `${plural(bad, 'cell')} ${bad === 1 ? 'has' : 'have'} a mark that cannot be saved (shown in red). Correct or clear ${bad === 1 ? 'it' : 'them'}; nothing was saved.`));
      return;
    }
    if (changed.length === 0) return;
    await save(async () => {
      try {
        const { saved } = await api.invoke('scores.save', { classId, subjectId, term, cells: changed });
        await load();
        setError(null);
        setNotice(`Saved ${plural(saved, 'score')}.`);
      } catch (err) {
        const appError = toAppError(err);
        // The device names each refused cell as cells.<index of the change>: show it in that cell.
        const marks = new Map<string, string>();
        for (const issue of appError.issues ?? []) {
          const m = /^cells\.(\d+)$/.exec(issue.path);
          if (m && changedKeys[Number(m[1])]) marks.set(changedKeys[Number(m[1])]!, issue.message);
        }
        setRefused(marks);
        setError(appError);
      }
    });
  }

  return (
    <div className="scores-grid-wrap">
      {grid.weightNote && <p className="muted">{grid.weightNote}</p>}
      <div className="table-scroll">
        <table className="data-table scores-grid" data-testid="scores-grid" aria-label={`${grid.subjectName} scores, ${grid.className}, ${grid.term}`}>
          <thead>
            <tr>
              <th scope="col">Student</th>
              {assessments.map((a) => (
                <th key={a.id} scope="col" className="num">
                  {a.name}
                  <span className="scores-grid-sub">
                    {a.weight}% · /{a.maxScore}
                  </span>
                </th>
              ))}
              <th scope="col" className="num">
                Result
                <span className="scores-grid-sub">{bands ? '% · grade' : '% (no grading scale yet)'}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {students.map((s, row) => (
              <tr key={s.id} data-testid="scores-row">
                <th scope="row">
                  {s.name} <span className="muted">{s.admissionNo}</span>
                </th>
                {assessments.map((a, col) => {
                  const p = problem(row, col);
                  const dirty = drafts.has(key(row, col)) && text(row, col) !== scoreText(stored(row, col));
                  return (
                    <td key={a.id} className={`num${p ? ' has-problem' : ''}${dirty ? ' is-dirty' : ''}`}>
                      <input
                        ref={(el) => {
                          inputs.current[row * cols + col] = el;
                        }}
                        className="score-input"
                        inputMode="decimal"
                        aria-label={`${s.name}, ${a.name}`}
                        aria-invalid={p ? true : undefined}
                        value={text(row, col)}
                        onChange={(e) => edit([[key(row, col), e.target.value]])}
                        onFocus={(e) => e.currentTarget.select()}
                        onKeyDown={(e) => onKeyDown(e, row, col)}
                        onPaste={(e) => onPaste(e, row, col)}
                      />
                      {p && (
                        <span className="score-problem" role="alert">
                          {p}
                        </span>
                      )}
                    </td>
                  );
                })}
                <RowResultCell {...rowResult(assessments, assessments.map((_, col) => text(row, col)), bands)} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => void submit()} disabled={saving || (changed.length === 0 && bad === 0)} data-testid="save-scores">
          {saving ? 'Saving…' : changed.length > 0 ? `Save ${plural(changed.length, 'change')}` : 'Save scores'}
        </button>
        <span className="muted">Enter moves down, Tab across; paste a column from a spreadsheet. Blank means not sat.</span>
      </div>
      {notice && (
        <p className="notice notice-success" role="status" data-testid="scores-notice">
          {notice}
        </p>
      )}
      {error && <ErrorNotice error={error} testId="scores-error" />}
    </div>
  );
}

/** A row's subject result, as the report card will show it once saved. */
function RowResultCell({ percent, grade, excluded }: ReturnType<typeof rowResult>) {
  return (
    <td className="num score-result" data-testid="scores-result">
      <span className="score-percent">{percent === null ? '–' : percent.toFixed(1)}</span>
      {grade && <span className="score-grade"> {grade}</span>}
      {excluded > 0 && <span className="scores-grid-sub">{excluded === 1 ? 'without the mark in red' : `without the ${excluded} marks in red`}</span>}
    </td>
  );
}
