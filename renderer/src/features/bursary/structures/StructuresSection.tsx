import { useEffect, useMemo, useState } from 'react';
import type { AppError } from '../../../../../shared/api/errors';
import type { FeeStructureView } from '../../../../../shared/domain/bursary-views';
import type { TermRow } from '../../../../../shared/domain/terms';
import { formatMinor } from '../../../../../shared/money';
import { api, toAppError } from '../../../api';
import { ConfirmDialog } from '../../../lib/ConfirmDialog';
import { ErrorNotice } from '../../../lib/ErrorNotice';
import { useReadAgain } from '../../../lib/useReadAgain';
import { plural } from '../../../lib/words';
import { formatDate } from '../../../lib/time';
import { useFeeCategories } from '../../fees/store';
import { useCan, useCurrency } from '../../session/store';
import { useSync } from '../../sync/store';
import { useBursaryRefs } from '../refs';
import { StructureForm } from './StructureForm';
import { DataTable, type TableColumn } from '../../../lib/DataTable';

const STRUCTURE_COLUMNS: readonly TableColumn[] = [{ label: 'Class' }, { label: 'Term' }, { label: 'Fees' }, { label: 'Total per student', num: true }, { label: 'Students charged' }, { label: 'Actions', hidden: true }];

type Editing = { structure: FeeStructureView | null } | null;

const readStructures = async () => (await api.invoke('fees.structures', {})).structures;

/** What each class pays per term, and charging it to the class's students. */
export function StructuresSection() {
  const currency = useCurrency();
  const canManage = useCan('fees.manage');
  const [editing, setEditing] = useState<Editing>(null);
  const [applying, setApplying] = useState<FeeStructureView | null>(null);
  const [applyBusy, setApplyBusy] = useState(false);
  const [applyError, setApplyError] = useState<AppError | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);
  const { data: structures, error, reload: load } = useReadAgain(readStructures, lastSyncAt);
  const terms = useBursaryRefs((s) => s.terms);
  const shown = useMemo(() => (structures ? byTermThenClass(structures, terms ?? []) : null), [structures, terms]);

  useEffect(() => {
    const refs = useBursaryRefs.getState();
    if (refs.terms === null) void refs.loadTerms();
    if (refs.classNames === null) void refs.loadClassNames();
    if (useFeeCategories.getState().categories === null) void useFeeCategories.getState().load();
  }, []);

  async function apply() {
    if (!applying || applyBusy) return;
    setApplyBusy(true);
    setApplyError(null);
    try {
      const r = await api.invoke('fees.applyStructure', { structureId: applying.id });
      setResult(
        `${applying.className}, ${applying.term}: charged ${plural(r.studentsCharged, 'student')} (${plural(r.chargesPosted, 'charge')})` +
          (r.studentsSkipped > 0 ? `; skipped ${plural(r.studentsSkipped, 'student')} who already had these charges.` : '.'),
      );
      setApplying(null);
      void load();
      void useSync.getState().refresh();
    } catch (err) {
      setApplyError(toAppError(err));
    } finally {
      setApplyBusy(false);
    }
  }

  return (
    <section className="screen-panel" aria-labelledby="structures-title">
      <div className="screen-head">
        <h2 id="structures-title">Fee structures</h2>
        <div className="screen-head-actions">
          <button type="button" onClick={() => void load()}>
            Refresh
          </button>
          {canManage && !editing && (
            <button
              type="button"
              className="primary"
              onClick={() => {
                setResult(null);
                setEditing({ structure: null });
              }}
              data-testid="new-structure"
            >
              New fee structure
            </button>
          )}
        </div>
      </div>
      <p className="muted">
        What each class pays in a term. "Apply to class" charges it to the class's enrolled students who do not have it yet, one charge per instalment;
        applying twice (or from two offices) never charges a student twice.
      </p>

      {editing && (
        <StructureForm
          key={editing.structure?.id ?? 'new'}
          editing={editing.structure}
          currency={currency}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setResult(`Saved the fee structure for ${saved.className}, ${saved.term}: ${formatMinor(saved.totalMinor, currency)} per student.`);
            void load();
            void useSync.getState().refresh();
          }}
        />
      )}
      {result && (
        <div className="notice notice-success" role="status" data-testid="structure-result">
          {result}
        </div>
      )}
      {error && <ErrorNotice error={error} onRetry={() => void load()} testId="structures-error" />}

      {shown === null ? (
        !error && <p className="muted">Loading fee structures…</p>
      ) : shown.length === 0 ? (
        <p className="muted" data-testid="no-structures">
          No fee structures yet.{canManage ? ' Make the first one with "New fee structure".' : ''}
        </p>
      ) : (
        <DataTable columns={STRUCTURE_COLUMNS} className="structures-table" testId="structures">
          <tbody>
            {shown.map((s) => (
              <tr key={s.id} data-testid="structure-row" className={s.active ? undefined : 'is-revoked'}>
                <th scope="row" className="nowrap">
                  {s.className}
                  {!s.active && <span className="badge badge-revoked">Not in use</span>}
                  {s.pending && <span className="badge badge-pending">Pending</span>}
                </th>
                <td className="nowrap">{s.term}</td>
                <td>
                  <ul className="structure-items">
                    {s.items.map((i) => (
                      <li key={i.categoryId}>
                        {i.category} {formatMinor(i.amountMinor, currency)}
                        {i.instalments.length > 1 ? (
                          <span className="sub">
                            in {i.instalments.length} instalments: {i.instalments.map((x) => `${formatMinor(x.amountMinor, currency)} by ${formatDate(x.dueOn)}`).join(', ')}
                          </span>
                        ) : (
                          <span className="sub">due {formatDate(i.instalments[0]?.dueOn ?? '')}</span>
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="num">{formatMinor(s.totalMinor, currency)}</td>
                <td data-testid="structure-charged">
                  {s.studentsCharged.toLocaleString('en')} of {s.studentsInClass.toLocaleString('en')} students charged
                </td>
                <td className="actions">
                  {canManage && (
                    <span className="row-actions">
                      <button
                        type="button"
                        className="row-button"
                        onClick={() => {
                          setResult(null);
                          setEditing({ structure: s });
                        }}
                      >
                        Change
                      </button>
                      {s.active && (
                        <button
                          type="button"
                          className="row-button primary"
                          onClick={() => {
                            setResult(null);
                            setApplyError(null);
                            setApplying(s);
                          }}
                          data-testid="apply-structure"
                        >
                          Apply to class
                        </button>
                      )}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}

      {applying && (
        <ConfirmDialog
          title={`Charge ${applying.className}, ${applying.term}?`}
          testId="apply-confirm"
          confirmLabel={applyBusy ? 'Charging…' : 'Apply to class'}
          confirmTestId="apply-confirm-button"
          busy={applyBusy}
          onConfirm={() => void apply()}
          onClose={() => setApplying(null)}
        >
          <p>
            Each enrolled student of {applying.className} who does not have these fees yet gets {plural(applying.items.reduce((n, i) => n + i.instalments.length, 0), 'charge')}{' '}
            totalling {formatMinor(applying.totalMinor, currency)}. {applying.studentsCharged.toLocaleString('en')} of{' '}
            {applying.studentsInClass.toLocaleString('en')} students already have them and are skipped.
          </p>
          <p>A charge posted by mistake is corrected by voiding it on the student's statement.</p>
          {applyError && <ErrorNotice error={applyError} testId="apply-error" />}
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The latest term first (terms the school has not set up yet, e.g. next year's, before them), then by class. */
function byTermThenClass(structures: readonly FeeStructureView[], terms: readonly TermRow[]): FeeStructureView[] {
  const start = new Map(terms.map((t) => [t.name, t.starts_on]));
  const key = (s: FeeStructureView) => start.get(s.term) ?? '9999';
  return [...structures].sort((a, b) => key(b).localeCompare(key(a)) || a.term.localeCompare(b.term) || a.className.localeCompare(b.className, 'en', { numeric: true }));
}
