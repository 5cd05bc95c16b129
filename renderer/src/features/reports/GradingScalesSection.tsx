import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { GradingScaleView } from '../../../../shared/domain/report-views';
import { gradeBandProblems, type GradeBand } from '../../../../shared/domain/reports';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useSaveOnce } from '../../lib/useSaveOnce';
import { useReports } from './store';
import { useAfterSync } from '../sync/useAfterSync';

interface BandDraft {
  grade: string;
  min: string;
  max: string;
  remark: string;
}
interface ScaleDraft {
  id?: string;
  name: string;
  isDefault: boolean;
  bands: BandDraft[];
}

const STARTER: BandDraft[] = [
  { grade: 'A', min: '80', max: '100', remark: 'Excellent' },
  { grade: 'B', min: '70', max: '79', remark: 'Very good' },
  { grade: 'C', min: '50', max: '69', remark: 'Good' },
  { grade: 'D', min: '40', max: '49', remark: 'Fair' },
  { grade: 'E', min: '0', max: '39', remark: 'Needs support' },
];

const toBands = (d: BandDraft[]): GradeBand[] => d.map((b) => ({ grade: b.grade.trim(), min: Number(b.min), max: Number(b.max), remark: b.remark.trim() }));

/** The school's grading scales (one is the default) and which one the chosen class uses. */
export function GradingScalesSection() {
  const { classes, classId } = useReports();
  const [scales, setScales] = useState<GradingScaleView[] | null>(null);
  const [draft, setDraft] = useState<ScaleDraft | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [assigned, setAssigned] = useState<string | null>(null);
  const { saving, busy, save } = useSaveOnce();
  const cls = classes?.find((c) => c.id === classId);

  async function load() {
    try {
      setScales((await api.invoke('gradingScales.list', {})).scales);
    } catch (err) {
      setError(toAppError(err));
    }
  }
  useEffect(() => {
    void load();
  }, []);
  // A scale being edited keeps what was typed: the draft is its own copy.
  useAfterSync(() => void load());

  async function assign(scaleId: string | null) {
    if (!cls) return;
    try {
      // The class as it is now, so a change synced since the screen opened is not undone.
      const { values } = await api.invoke('classes.get', { id: cls.id });
      await api.invoke('classes.save', { id: cls.id, values: { ...values, grading_scale_id: scaleId } });
      setAssigned(`${cls.name} now uses ${scaleId ? scales?.find((s) => s.id === scaleId)?.name : "the school's default scale"}.`);
      await load();
    } catch (err) {
      setError(toAppError(err));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft || busy()) return;
    await save(async () => {
      try {
        await api.invoke('gradingScales.save', { id: draft.id, name: draft.name, bands: toBands(draft.bands), is_default: draft.isDefault });
        setDraft(null);
        setError(null);
        await load();
      } catch (err) {
        setError(toAppError(err));
      }
    });
  }

  const current = scales?.find((s) => cls && s.classNames.includes(cls.name));
  return (
    <section className="screen-panel" aria-labelledby="scales-title">
      <div className="screen-head">
        <h2 id="scales-title">Grading scales</h2>
        {!draft && (
          <div className="screen-head-actions">
            <button type="button" className="primary" onClick={() => setDraft({ name: '', isDefault: scales?.length === 0, bands: STARTER })}>
              New scale
            </button>
          </div>
        )}
      </div>
      {error && <ErrorNotice error={error} />}
      {draft && <ScaleForm draft={draft} onChange={setDraft} onSubmit={submit} onCancel={() => setDraft(null)} saving={saving} />}
      {scales?.length === 0 && !draft && <p className="muted">No grading scale yet: report cards show no grades until there is one.</p>}
      {scales?.map((s) => (
        <article key={s.id} className="scale-card" data-testid="grading-scale">
          <h3>
            {s.name} {s.isDefault && <span className="badge">Default</span>}{' '}
            <button type="button" className="link-button" onClick={() => setDraft({ id: s.id, name: s.name, isDefault: s.isDefault, bands: s.bands.map((b) => ({ grade: b.grade, min: String(b.min), max: String(b.max), remark: b.remark })) })}>
              Edit
            </button>
          </h3>
          <p className="muted">{s.bands.map((b) => `${b.grade} ${b.min}–${b.max}${b.remark ? ` (${b.remark})` : ''}`).join(' · ')}</p>
          {s.classNames.length > 0 && <p className="muted">Chosen by {s.classNames.join(', ')}.</p>}
        </article>
      ))}
      {cls && scales && scales.length > 0 && (
        <div className="form-row">
          <label className="field">
            <span className="field-label">Scale used by {cls.name}</span>
            <select value={current?.id ?? ''} onChange={(e) => void assign(e.target.value || null)}>
              <option value="">The school's default</option>
              {scales.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          {assigned && <p role="status">{assigned}</p>}
        </div>
      )}
    </section>
  );
}

function ScaleForm({ draft, onChange, onSubmit, onCancel, saving }: { draft: ScaleDraft; onChange(d: ScaleDraft): void; onSubmit(e: FormEvent): void; onCancel(): void; saving: boolean }) {
  const id = useId();
  const problems = draft.bands.some((b) => b.grade.trim() === '' || b.min === '' || b.max === '') ? ['Fill in every band, or remove the empty ones.'] : gradeBandProblems(toBands(draft.bands));
  const setBand = (i: number, patch: Partial<BandDraft>) => onChange({ ...draft, bands: draft.bands.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  return (
    <form className="scale-form" onSubmit={onSubmit} aria-label="Grading scale">
      <div className="form-row">
        <label className="field" htmlFor={`${id}-name`}>
          <span className="field-label">Name</span>
          <input id={`${id}-name`} value={draft.name} onChange={(e) => onChange({ ...draft, name: e.target.value })} autoFocus />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.isDefault} onChange={(e) => onChange({ ...draft, isDefault: e.target.checked })} /> The school's default
        </label>
      </div>
      <table className="data-table bands-table">
        <thead>
          <tr>
            <th scope="col">Grade</th>
            <th scope="col">From %</th>
            <th scope="col">To %</th>
            <th scope="col">Remark</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {draft.bands.map((b, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Band ${i + 1} grade`} value={b.grade} maxLength={4} onChange={(e) => setBand(i, { grade: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Band ${i + 1} from`} inputMode="decimal" value={b.min} onChange={(e) => setBand(i, { min: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Band ${i + 1} to`} inputMode="decimal" value={b.max} onChange={(e) => setBand(i, { max: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Band ${i + 1} remark`} value={b.remark} maxLength={40} onChange={(e) => setBand(i, { remark: e.target.value })} />
              </td>
              <td>
                <button type="button" className="link-button" onClick={() => onChange({ ...draft, bands: draft.bands.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => onChange({ ...draft, bands: [...draft.bands, { grade: '', min: '', max: '', remark: '' }] })}>
        Add a band
      </button>
      {problems.length > 0 && (
        <ul className="field-error" data-testid="band-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving || problems.length > 0}>
          Save scale
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
