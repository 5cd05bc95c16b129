import type { Statement, StatementEntry, VoidableTable } from '../../../../shared/domain/fees';
import type { PaymentView } from '../../../../shared/domain/payments';
import { formatMinor } from '../../../../shared/money';
import { formatPlain } from '../../lib/money';
import { formatDateOrTime, formatDay } from '../../lib/time';
import { METHOD_LABEL } from '../payments/methods';
import type { VoidTarget } from './VoidDialog';

/** "Owes KES 1,200.00", "Paid up", "In credit KES 50.00". */
export function balanceText(balanceMinor: number, currency: string): string {
  if (balanceMinor === 0) return 'Paid up';
  return balanceMinor > 0 ? `Owes ${formatMinor(balanceMinor, currency)}` : `In credit ${formatMinor(-balanceMinor, currency)}`;
}

/** The student's balance, large, in words. */
export function BalanceSummary({ statement, failed }: { statement: Statement | null; failed: boolean }) {
  const b = statement?.balanceMinor ?? 0;
  const tone = statement === null ? '' : b > 0 ? 'is-owed' : b < 0 ? 'is-credit' : 'is-clear';
  return (
    <div className={`balance-summary ${tone}`}>
      <span className="balance-label">Balance</span>
      <strong className="balance-amount" data-testid="student-balance" aria-live="polite">
        {statement ? balanceText(b, statement.currency) : failed ? 'Not available' : 'Loading…'}
      </strong>
      {statement && statement.entries.some((e) => e.pending) && <span className="balance-note">Includes entries not yet synced.</span>}
    </div>
  );
}

const KIND_NOUN: Record<StatementEntry['kind'], string> = { charge: 'charge', payment: 'payment', discount: 'discount', refund: 'refund' };
const KIND_TABLE: Record<StatementEntry['kind'], VoidableTable> = { charge: 'charges', payment: 'payments', discount: 'discounts', refund: 'refunds' };
const KIND_LABEL: Record<StatementEntry['kind'], string> = { charge: 'Charge', payment: 'Payment', discount: 'Discount', refund: 'Refund' };

/** The amount an entry moves the balance by, whichever side it is on. */
function entryAmount(entry: StatementEntry): number {
  return entry.debitMinor !== 0 ? entry.debitMinor : entry.creditMinor;
}

/** What an entry is, in a few words, for results and the void dialog. */
export function entryLabel(entry: StatementEntry, payment: PaymentView | undefined, currency: string): string {
  const amount = formatMinor(entryAmount(entry), currency);
  if (entry.kind === 'payment') return payment ? `payment ${payment.receiptNo} of ${amount}` : `payment of ${amount} (${entry.description})`;
  return `${KIND_NOUN[entry.kind]} "${entry.description || KIND_LABEL[entry.kind]}" of ${amount}`;
}

/** A statement line as something to void. */
export function voidTargetOfEntry(entry: StatementEntry, payment: PaymentView | undefined, currency: string): VoidTarget {
  const receipt = payment && !entry.description.includes(payment.receiptNo) ? `receipt ${payment.receiptNo}, ` : '';
  return {
    table: KIND_TABLE[entry.kind],
    id: entry.id,
    noun: KIND_NOUN[entry.kind],
    summary: `${entry.description || KIND_LABEL[entry.kind]}, ${formatMinor(entryAmount(entry), currency)}`,
    detail: `${receipt}${formatDateOrTime(entry.date)}`,
  };
}

/** A running balance: owed plain, credit marked CR. */
function RunningBalance({ minor, currency }: { minor: number; currency: string }) {
  if (minor >= 0) return <>{formatPlain(minor, currency)}</>;
  return (
    <>
      {formatPlain(-minor, currency)} <abbr title="in credit">CR</abbr>
    </>
  );
}

interface Props {
  statement: Statement;
  payments: ReadonlyMap<string, PaymentView>;
  /** Set for people who may void: each entry still counting gets a "Void" button. */
  onVoid?: (entry: StatementEntry) => void;
  /** Opens a payment's receipt to print. */
  onReceipt?: (paymentId: string) => void;
}

/**
 * Charges, payments, discounts and refunds, oldest first, each with the balance after it. Each
 * entry is its own <tbody> so a payment's lines can be found as a payment ("payment-row") and
 * as a statement line ("statement-row") alike.
 */
export function StatementTable({ statement, payments, onVoid, onReceipt }: Props) {
  const { currency } = statement;
  return (
    <div className="table-scroll" data-testid="payments-list">
      <table className="payments-table statement-table" data-testid="statement">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Description</th>
            <th scope="col" className="num">
              Debit <span className="unit">({currency})</span>
            </th>
            <th scope="col" className="num">
              Credit <span className="unit">({currency})</span>
            </th>
            <th scope="col" className="num">
              Balance <span className="unit">({currency})</span>
            </th>
            <th scope="col">
              <span className="visually-hidden">Status{onVoid ? ' and actions' : ''}</span>
            </th>
          </tr>
        </thead>
        {statement.entries.map((e) => {
          const payment = e.kind === 'payment' ? payments.get(e.id) : undefined;
          const showReceipt = payment && !e.description.includes(payment.receiptNo);
          return (
            <tbody key={`${e.kind}:${e.id}`} data-testid={`${e.kind}-row`}>
              <tr data-testid="statement-row" data-kind={e.kind} className={e.voided ? 'is-voided' : undefined}>
                <td className="nowrap" title={formatDateOrTime(e.date)}>
                  {formatDay(e.date)}
                </td>
                <td>
                  <span className="entry-description">{e.description || KIND_LABEL[e.kind]}</span>
                  {payment && (showReceipt || payment.reference) && (
                    <span className="sub">
                      {showReceipt && (
                        <>
                          Receipt <span className="receipt-no">{payment.receiptNo}</span> · {METHOD_LABEL[payment.method]}
                        </>
                      )}
                      {showReceipt && payment.reference && ' · '}
                      {payment.reference && <>Ref. {payment.reference}</>}
                    </span>
                  )}
                </td>
                <td className="num amount-cell">{e.debitMinor !== 0 ? formatPlain(e.debitMinor, currency) : ''}</td>
                <td className="num amount-cell">{e.creditMinor !== 0 ? formatPlain(e.creditMinor, currency) : ''}</td>
                <td className="num">
                  <RunningBalance minor={e.balanceMinor} currency={currency} />
                </td>
                <td className="entry-status">
                  <div className="entry-status-stack">
                    {e.pending && (
                      <span className="badge badge-pending" data-testid="pending-badge" title="Saved on this computer; not yet sent to the school server.">
                        pending sync
                      </span>
                    )}
                    {e.voided && (
                      <span className="badge badge-voided" data-testid="voided-badge" title={e.voidReason ? `Voided: ${e.voidReason}` : 'Voided'}>
                        Voided
                      </span>
                    )}
                    {e.voided && e.voidReason && (
                      <span className="sub void-reason" data-testid="void-reason">
                        {e.voidReason}
                      </span>
                    )}
                    {onReceipt && e.kind === 'payment' && (
                      <button type="button" className="row-button receipt-button" title="Open the receipt to print it" onClick={() => onReceipt(e.id)} data-testid="open-receipt">
                        Receipt
                      </button>
                    )}
                    {onVoid && !e.voided && (
                      <button type="button" className="row-button danger-outline void-button" title={`Void this ${entryLabel(e, payment, currency)}`} onClick={() => onVoid(e)}>
                        Void
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
