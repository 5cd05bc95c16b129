import type { Statement, StatementEntry } from '../../../../shared/domain/fees';
import type { PaymentView } from '../../../../shared/domain/payments';
import { currencyExponent, formatMinor } from '../../../../shared/money';
import { formatDateOrTime, formatDay } from '../../lib/time';
import { METHOD_LABEL } from '../payments/methods';

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

/** What an entry is, in a few words, for results and the void dialog. */
export function entryLabel(entry: StatementEntry, payment: PaymentView | undefined, currency: string): string {
  const amount = formatMinor(entry.kind === 'charge' ? entry.debitMinor : entry.creditMinor, currency);
  if (entry.kind === 'payment') return payment ? `payment ${payment.receiptNo} of ${amount}` : `payment of ${amount} (${entry.description})`;
  return `charge "${entry.description}" of ${amount}`;
}

/** "1,200.00": an amount without the currency, which the column heading names. */
function formatPlain(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  return new Intl.NumberFormat('en', { minimumFractionDigits: exp, maximumFractionDigits: exp }).format(minor / 10 ** exp);
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
}

/**
 * Charges and payments, oldest first, each with the balance after it. Each entry is its own
 * <tbody> so a payment's lines can be found as a payment ("payment-row") and as a statement
 * line ("statement-row") alike.
 */
export function StatementTable({ statement, payments, onVoid }: Props) {
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
            <tbody key={`${e.kind}:${e.id}`} data-testid={e.kind === 'payment' ? 'payment-row' : 'charge-row'}>
              <tr data-testid="statement-row" data-kind={e.kind} className={e.voided ? 'is-voided' : undefined}>
                <td className="nowrap" title={formatDateOrTime(e.date)}>
                  {formatDay(e.date)}
                </td>
                <td>
                  <span className="entry-description">{e.description || (e.kind === 'charge' ? 'Charge' : 'Payment')}</span>
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
