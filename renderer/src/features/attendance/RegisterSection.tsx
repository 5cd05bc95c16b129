import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../../../../shared/domain/attendance';
import type { ClassChoice, RegisterRow, RegisterView } from '../../../../shared/domain/attendance-views';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { useAfterSync } from '../sync/useAfterSync';
import { formatDate } from '../../lib/time';
import { changedCount, draftProblems, followSync, moveIndex, rememberedPeriod, rememberPeriod, setReason, setStatus, statusForKey, STATUS_LABELS, tally, toMarks } from './registerDraft';

interface Props {
  classes: readonly ClassChoice[];
  today: string;
  classId: string;
  onClassChange(id: string): void;
  onOpenStudent(studentId: string): void;
  /** Told after each save, so the figures beside the register are read again. */
  onSaved(): void;
}

/** A class's register for a day or a period: everyone present until marked otherwise, marked
 * with the keyboard (arrows move, A/L/E/P set) or in bulk, saved in one go. */
export function RegisterSection({ classes, today, classId, onClassChange, onOpenStudent, onSaved }: Props) {
  const [date, setDate] = useState(today);
  const [period, setPeriod] = useState(rememberedPeriod);
  const [byPeriod, setByPeriod] = useState(() => rememberedPeriod() !== '');
  const [saved, setSaved] = useState<RegisterView | null>(null);
  const [draft, setDraft] = useState<RegisterRow[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  const { saving, save } = useSaveOnce();
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);
  const effectivePeriod = byPeriod ? period.trim() : '';

  const open = useCallback(async () => {
    if (!classId || !date || (byPeriod && !period.trim())) return;
    try {
      const view = await api.invoke('attendance.register', { classId, date, period: effectivePeriod });
      setSaved(view);
      setDraft(view.rows);
      setSelected(new Set());
      setError(null);
      setShowProblems(false);
    } catch (err) {
      setSaved(null);
      setDraft([]);
      setError(toAppError(err));
    }
  }, [classId, date, byPeriod, period, effectivePeriod]);

  useEffect(() => {
    setNotice(null);
    void open();
  }, [open]);

  // Marks another computer took arrive with a sync: shown while nothing here is unsaved (checked
  // again when the register comes back, in case a mark was made meanwhile); selections stay.
  const now = useRef({ saved, draft, saving });
  useEffect(() => {
    now.current = { saved, draft, saving };
  });
  useAfterSync(() => {
    const asked = now.current;
    if (!asked.saved || !followSync(asked.saved.rows, asked.draft, asked.saving)) return;
    api
      .invoke('attendance.register', { classId, date, period: effectivePeriod })
      .then((view) => {
        const latest = now.current;
        if (!latest.saved || latest.saved !== asked.saved || !followSync(latest.saved.rows, latest.draft, latest.saving)) return;
        setSaved(view);
        setDraft(view.rows);
      })
      .catch(() => undefined);
  });

  const problems = draftProblems(draft);
  const changes = saved ? changedCount(saved.rows, draft) : 0;
  const counts = tally(draft);

  function mark(ids: ReadonlySet<string>, status: AttendanceStatus) {
    setDraft((d) => setStatus(d, ids, status));
    setNotice(null);
  }

  function onRowKey(e: KeyboardEvent<HTMLTableRowElement>, index: number) {
    const target = e.target as HTMLElement;
    if (target.tagName === 'INPUT' && (target as HTMLInputElement).type === 'text') return;
    const next = moveIndex(index, e.key, draft.length);
    if (next !== null) {
      e.preventDefault();
      rowRefs.current[next]?.focus();
      return;
    }
    const status = e.ctrlKey || e.metaKey || e.altKey ? null : statusForKey(e.key);
    if (status) {
      e.preventDefault();
      mark(new Set([draft[index]!.studentId]), status);
    }
  }

  function submit() {
    if (!saved) return;
    if (problems.size > 0) {
      setShowProblems(true);
      return;
    }
    void save(async () => {
      try {
        const { changed, register } = await api.invoke('attendance.save', { classId, date, period: effectivePeriod, note: saved.note, marks: toMarks(draft) });
        rememberPeriod(effectivePeriod);
        setSaved(register);
        setDraft(register.rows);
        setSelected(new Set());
        setError(null);
        onSaved();
        setNotice(changed === 0 ? 'Saved; nothing had changed.' : `Saved the register: ${changed} ${changed === 1 ? 'mark' : 'marks'} changed.`);
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  const allSelected = draft.length > 0 && selected.size === draft.length;
  return (
    <section className="screen-panel" aria-labelledby="register-title">
      <div className="screen-head">
        <h2 id="register-title">Register</h2>
      </div>
      <div className="form-row register-pick">
        <label className="field">
          <span className="field-label">Class</span>
          <select value={classId} onChange={(e) => onClassChange(e.target.value)} data-testid="register-class">
            {classes.length === 0 && <option value="">No classes on this computer yet</option>}
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.enrolled})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Date</span>
          <input type="date" value={date} max={today} onChange={(e) => setDate(e.target.value)} data-testid="register-date" />
        </label>
        <label className="field">
          <span className="field-label">Register</span>
          <select value={byPeriod ? 'period' : 'day'} onChange={(e) => setByPeriod(e.target.value === 'period')} data-testid="register-kind">
            <option value="day">Whole day</option>
            <option value="period">A period</option>
          </select>
        </label>
        {byPeriod && (
          <label className="field">
            <span className="field-label">Period</span>
            <input type="text" value={period} maxLength={20} placeholder="e.g. P3" onChange={(e) => setPeriod(e.target.value)} data-testid="register-period" />
          </label>
        )}
      </div>

      {error && <ErrorNotice error={error} testId="register-error" />}
      {saved && (
        <>
          <p className="muted" data-testid="register-state">
            {saved.className}, {formatDate(saved.date)}
            {saved.period ? `, period ${saved.period}` : ', whole day'}:{' '}
            {saved.taken ? `taken${saved.takenBy ? ` by ${saved.takenBy}` : ''}.` : 'not taken yet; everyone shows as present, so mark only who is absent, late or excused.'}{' '}
            Keys: ↑ ↓ move, P present, A absent, L late, E excused.
          </p>
          <div className="register-bulk" role="group" aria-label="Mark the selected students">
            <button type="button" onClick={() => mark(new Set(draft.map((r) => r.studentId)), 'present')} data-testid="register-all-present">
              Mark all present
            </button>
            <span className="muted">{selected.size > 0 ? `${selected.size} selected:` : 'Select students to mark several at once.'}</span>
            {ATTENDANCE_STATUSES.map((s) => (
              <button key={s} type="button" disabled={selected.size === 0} onClick={() => mark(selected, s)} data-testid={`register-bulk-${s}`}>
                {STATUS_LABELS[s]}
              </button>
            ))}
          </div>
          <div className="table-scroll">
            <table className="data-table register-table" data-testid="register-table">
              <thead>
                <tr>
                  <th scope="col">
                    <input type="checkbox" aria-label="Select everyone" checked={allSelected} onChange={() => setSelected(allSelected ? new Set() : new Set(draft.map((r) => r.studentId)))} />
                  </th>
                  <th scope="col">Student</th>
                  <th scope="col">Admission no.</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {draft.map((r, i) => (
                  <tr
                    key={r.studentId}
                    ref={(el) => {
                      rowRefs.current[i] = el;
                    }}
                    tabIndex={0}
                    className={`register-row is-${r.status}`}
                    onKeyDown={(e) => onRowKey(e, i)}
                    data-testid="register-row"
                    data-status={r.status}
                    aria-label={`${r.name}: ${STATUS_LABELS[r.status]}`}
                  >
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${r.name}`}
                        checked={selected.has(r.studentId)}
                        onChange={() => setSelected((s) => { const n = new Set(s); if (n.has(r.studentId)) n.delete(r.studentId); else n.add(r.studentId); return n; })}
                      />
                    </td>
                    <th scope="row">
                      <button type="button" className="link-button" onClick={() => onOpenStudent(r.studentId)} tabIndex={-1} data-testid="register-student">
                        {r.name}
                      </button>
                      {r.leftClass && <span className="muted"> (no longer in this class)</span>}
                    </th>
                    <td>{r.admissionNo}</td>
                    <td>
                      <div className="status-choice" role="radiogroup" aria-label={`Status of ${r.name}`}>
                        {ATTENDANCE_STATUSES.map((s) => (
                          <button key={s} type="button" role="radio" aria-checked={r.status === s} tabIndex={-1} className={r.status === s ? 'is-chosen' : undefined} onClick={() => mark(new Set([r.studentId]), s)}>
                            {STATUS_LABELS[s]}
                          </button>
                        ))}
                      </div>
                    </td>
                    <td>
                      {r.status !== 'present' && (
                        <input
                          type="text"
                          value={r.reason ?? ''}
                          maxLength={200}
                          placeholder={r.status === 'excused' ? 'Reason (needed)' : 'Reason (optional)'}
                          aria-label={`Reason for ${r.name}`}
                          aria-invalid={showProblems && problems.has(r.studentId)}
                          onChange={(e) => setDraft((d) => setReason(d, r.studentId, e.target.value))}
                          data-testid="register-reason"
                        />
                      )}
                      {showProblems && problems.has(r.studentId) && <span className="field-error">{problems.get(r.studentId)}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {draft.length === 0 && <p className="muted">No enrolled students in this class.</p>}
          <div className="form-actions">
            <button type="button" className="primary" onClick={submit} disabled={saving || draft.length === 0} data-testid="register-save">
              {saving ? 'Saving…' : saved.taken ? 'Save changes' : 'Save register'}
            </button>
            <span className="muted" data-testid="register-tally">
              {counts.present} present, {counts.absent} absent, {counts.late} late, {counts.excused} excused
              {saved.taken ? `; ${changes} ${changes === 1 ? 'change' : 'changes'} not saved` : ''}
            </span>
          </div>
          {showProblems && problems.size > 0 && (
            <p className="field-error" role="alert" data-testid="register-problems">
              {[...problems.values()].join(' ')}
            </p>
          )}
          {notice && (
            <p className="notice notice-success" role="status" data-testid="register-saved">
              {notice}
            </p>
          )}
        </>
      )}
    </section>
  );
}
