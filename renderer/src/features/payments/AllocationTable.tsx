import { formatMinor } from '../../../../shared/money';
import { formatDate } from '../../lib/time';
import type { AllocationCheck, OpenCharge, TypedAllocations } from './allocation';

interface Props {
  open: readonly OpenCharge[];
  typed: TypedAllocations;
  check: AllocationCheck;
  /** True once the bursar has changed the spread (the boxes no longer follow the amount). */
  custom: boolean;
  currency: string;
  /** Whether an amount has been typed: until then there is nothing to spread. */
  hasAmount: boolean;
  onChange(chargeId: string, text: string): void;
  onReset(): void;
}

/** What the payment settles: the student's open charges, oldest due first, each with the part of the payment set against it. */
export function AllocationTable({ open, typed, check, custom, currency, hasAmount, onChange, onReset }: Props) {
  if (open.length === 0) {
    return hasAmount ? (
      <p className="allocation-note muted" data-testid="allocation-credit">
        Nothing is owed at the moment: the whole payment is carried forward as credit.
      </p>
    ) : null;
  }
  return (
    <fieldset className="allocations" data-testid="allocations">
      <legend>What it pays for</legend>
      <table className="payments-table allocation-table">
        <thead>
          <tr>
            <th scope="col">Charge</th>
            <th scope="col" className="num">
              Still owes
            </th>
            <th scope="col" className="num">
              This payment ({currency})
            </th>
          </tr>
        </thead>
        <tbody>
          {open.map((c) => {
            const problem = check.problems.get(c.chargeId);
            // Core's charge labels usually name the due date already; say it only when they do not.
            const name = c.description.includes(c.dueOn) ? c.description : `${c.description || 'Charge'}, due ${formatDate(c.dueOn)}`;
            return (
              <tr key={c.chargeId} data-testid="allocation-row">
                <td>{name}</td>
                <td className="num">{formatMinor(c.outstandingMinor, currency)}</td>
                <td className="num">
                  <input
                    className="allocation-input"
                    aria-label={`Pay towards ${name}`}
                    inputMode="decimal"
                    autoComplete="off"
                    value={typed.get(c.chargeId) ?? ''}
                    placeholder="0"
                    aria-invalid={problem ? true : undefined}
                    onChange={(e) => onChange(c.chargeId, e.target.value)}
                  />
                  {problem && <span className="field-error">{problem}</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="allocation-foot">
        <span data-testid="allocation-credit" aria-live="polite">
          {check.problem ? (
            <span className="field-error" role="alert">
              {check.problem}
            </span>
          ) : (
            hasAmount && (
              <>
                Carried forward as credit: <strong>{formatMinor(check.creditMinor, currency)}</strong>
              </>
            )
          )}
        </span>
        {custom ? (
          <button type="button" className="link-button" onClick={onReset}>
            Oldest due first again
          </button>
        ) : (
          <span className="muted">Oldest due first; change any box to spread it differently.</span>
        )}
      </div>
    </fieldset>
  );
}
