import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ExpenseListItem, TimeCursor } from '../../../../../shared/domain/bursary-views';
import type { ExpenseDecision } from '../../../../../shared/domain/expenses';
import { formatMinor } from '../../../../../shared/money';
import { api } from '../../../api';
import { toMajor } from '../../../lib/money';
import { formatDate, formatDateTime } from '../../../lib/time';
import type { Column } from '../../../lib/VirtualTable';
import { VoidDialog, type VoidTarget } from '../../fees/VoidDialog';
import { METHOD_LABEL } from '../../payments/methods';
import { useCan, useCurrency, useUser } from '../../session/store';
import { useSync } from '../../sync/store';
import { yesNo, type CsvShape } from '../lists/exportRows';
import type { FilterField } from '../lists/filter';
import { LedgerListSection, type FetchLedgerPage } from '../lists/LedgerListSection';
import { DecideDialog } from './DecideDialog';
import { ExpenseForm } from './ExpenseForm';
import { EXPENSE_STATUS_LABEL } from './status';
import { amountColumn } from '../lists/columns';

const FIELDS: readonly FilterField[] = ['dates', 'expenseCategory', 'method', 'expenseStatus', 'staff'];
const NOUN = ['expense', 'expenses'] as const;

const fetchExpenses: FetchLedgerPage<ExpenseListItem, TimeCursor> = (filter, after, withTotal, limit) =>
  api.invoke('expenses.list', { filter, after, withTotal, limit });

/** Amounts in the currency's major unit, as numbers a spreadsheet can add up. */
const csvShape = (currency: string): CsvShape<ExpenseListItem> => ({
  header: ['Spent on', 'Category', 'Payee', 'Description', `Amount (${currency})`, 'Method', 'Reference', 'Attachments', 'Recorded at', 'Recorded by', 'Status', 'Decided by', 'Decision note', 'Pending sync'],
  cells: (e) => [
    e.spentOn,
    e.category,
    e.payee,
    e.description,
    toMajor(e.amountMinor, currency),
    METHOD_LABEL[e.method],
    e.reference,
    e.attachments.join('; '),
    e.recordedAt,
    e.recordedBy,
    EXPENSE_STATUS_LABEL[e.status],
    e.decidedBy,
    e.decisionNote,
    yesNo(e.pending),
  ],
});

const staffOf = (e: ExpenseListItem) => (e.recordedById && e.recordedBy ? ([e.recordedById, e.recordedBy] as const) : null);

type Open = { kind: 'decide'; expense: ExpenseListItem; decision: ExpenseDecision } | { kind: 'void'; target: VoidTarget } | null;

/** Money the school spent: record it, see it with its status, and (for approvers) approve or reject others' expenses. */
export function ExpensesSection() {
  const currency = useCurrency();
  const csv = useMemo(() => csvShape(currency), [currency]);
  const user = useUser();
  const canRecord = useCan('expenses.record');
  const canApprove = useCan('expenses.approve');
  const canVoid = useCan('payments.void');
  const [formOpen, setFormOpen] = useState(false);
  const [categories, setCategories] = useState<string[]>([]);
  const [open, setOpen] = useState<Open>(null);
  const [result, setResult] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);

  const loadCategories = useCallback(() => {
    api
      .invoke('expenses.categories', {})
      .then((r) => setCategories(r.categories))
      .catch(() => undefined); // only suggestions: any category can be typed
  }, []);
  useEffect(loadCategories, [loadCategories]);

  const changed = (message: string) => {
    setOpen(null);
    setResult(message);
    setRefreshKey((k) => k + 1);
    void useSync.getState().refresh();
  };

  const columns = useMemo<Column<ExpenseListItem>[]>(
    () => [
      {
        key: 'spent',
        header: 'Spent',
        width: '7.5rem',
        render: (e) => (
          <>
            <span className="cell-main nowrap">{formatDate(e.spentOn)}</span>
            <span className="sub">{e.category}</span>
          </>
        ),
      },
      {
        key: 'payee',
        header: 'Paid to',
        width: 'minmax(10rem, 2fr)',
        render: (e) => (
          <>
            <span className="cell-main">{e.payee}</span>
            <span className="sub" title={e.attachments.join(', ')}>
              {[e.description, e.attachments.length > 0 && `${e.attachments.length} attachment${e.attachments.length > 1 ? 's' : ''}`].filter(Boolean).join(' · ')}
            </span>
          </>
        ),
      },
      {
        key: 'method',
        header: 'Paid by',
        width: 'minmax(7rem, 1fr)',
        render: (e) => (
          <>
            <span className="cell-main">{METHOD_LABEL[e.method]}</span>
            {e.reference && <span className="sub">Ref. {e.reference}</span>}
          </>
        ),
      },
      amountColumn(`Sum (${currency})`, currency, (e) => e.status === 'voided', '8rem'),
      {
        key: 'by',
        header: 'Recorded',
        width: 'minmax(8rem, 1fr)',
        render: (e) => (
          <>
            <span className="cell-main">{e.recordedBy ?? '—'}</span>
            <span className="sub">{formatDateTime(e.recordedAt)}</span>
          </>
        ),
      },
      {
        key: 'status',
        header: 'Status',
        width: 'minmax(10rem, 1.4fr)',
        render: (e) => (
          <>
            <span className={`badge badge-expense-${e.status}`} data-testid="expense-status">
              {EXPENSE_STATUS_LABEL[e.status]}
            </span>
            {e.pending && <span className="badge badge-pending">Pending</span>}
            {(e.decidedBy || e.decisionNote) && (
              <span className="sub" title={e.decisionNote ?? undefined}>
                {[e.decidedBy, e.decisionNote].filter(Boolean).join(': ')}
              </span>
            )}
          </>
        ),
      },
      {
        key: 'actions',
        header: <span className="visually-hidden">Actions</span>,
        width: '16.5rem',
        render: (e) => {
          const own = e.recordedById !== null && e.recordedById === user?.id;
          return (
            <span className="row-actions">
              {/* The person who recorded an expense never decides on it: a second person does. */}
              {canApprove && e.status === 'pending' && !own && (
                <>
                  <button type="button" className="row-button" onClick={() => setOpen({ kind: 'decide', expense: e, decision: 'approved' })} data-testid="approve-expense">
                    Approve
                  </button>
                  <button type="button" className="row-button danger-outline" onClick={() => setOpen({ kind: 'decide', expense: e, decision: 'rejected' })} data-testid="reject-expense">
                    Reject
                  </button>
                </>
              )}
              {canVoid && e.status !== 'voided' && (
                <button
                  type="button"
                  className="row-button danger-outline"
                  data-testid="void-expense"
                  onClick={() =>
                    setOpen({
                      kind: 'void',
                      target: {
                        table: 'expenses',
                        id: e.id,
                        noun: 'expense',
                        summary: `${e.category}: ${e.payee}, ${formatMinor(e.amountMinor, currency)}`,
                        detail: `spent ${formatDate(e.spentOn)}, recorded by ${e.recordedBy ?? 'someone'}`,
                      },
                    })
                  }
                >
                  Void
                </button>
              )}
            </span>
          );
        },
      },
    ],
    [currency, user?.id, canApprove, canVoid],
  );

  return (
    <>
      <LedgerListSection
        list="expenses"
        title="Expenses"
        intro="Money the school spent, newest first. A second person approves or rejects each one; nobody decides on an expense they recorded."
        fields={FIELDS}
        columns={columns}
        fetchPage={fetchExpenses}
        csv={csv}
        rowKey={(e) => e.id}
        rowClassName={(e) => (e.status === 'voided' ? 'is-voided' : undefined)}
        noun={NOUN}
        staffOf={staffOf}
        refreshKey={refreshKey}
        expenseCategories={categories}
        rowHeight={64}
      >
        {canRecord &&
          (formOpen ? (
            <ExpenseForm
              currency={currency}
              categories={categories}
              onClose={() => setFormOpen(false)}
              onRecorded={(e) => {
                changed(`Recorded the expense: ${e.category}, ${e.payee}, ${formatMinor(e.amountMinor, currency)}. It waits for someone else to approve it.`);
                loadCategories();
              }}
            />
          ) : (
            <div className="charge-toggle">
              <button type="button" className="primary" onClick={() => setFormOpen(true)} data-testid="open-expense-form">
                Record an expense
              </button>
            </div>
          ))}
        {result && (
          <div className="notice notice-success" role="status" data-testid="expense-result">
            {result}
          </div>
        )}
      </LedgerListSection>

      {open?.kind === 'decide' && (
        <DecideDialog
          expense={open.expense}
          decision={open.decision}
          currency={currency}
          onClose={() => setOpen(null)}
          onDecided={(e) => changed(`${EXPENSE_STATUS_LABEL[e.status]}: ${e.category}, ${e.payee}, ${formatMinor(e.amountMinor, currency)}.`)}
        />
      )}
      {open?.kind === 'void' && (
        <VoidDialog target={open.target} onClose={() => setOpen(null)} onVoided={(reason) => changed(`Voided the expense ("${reason}"). It stays on the list marked Voided and no longer counts.`)} />
      )}
    </>
  );
}
