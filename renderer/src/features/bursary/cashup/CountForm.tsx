import { useState, type FormEvent } from 'react';
import { sumTotals, type MethodTotals } from '../../../../../shared/domain/cashup';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../../../shared/domain/payments';
import { formatMinor } from '../../../../../shared/money';
import { DataTable, type TableColumn } from '../../../lib/DataTable';
import { METHOD_LABEL } from '../../payments/methods';
import { DifferenceText } from './DifferenceText';
import { checkCounted, type CountedText } from './counted';

/** The day being counted and a day closed read the same way: per method, expected, counted, difference. */
const cashUpColumns = (counted: string): TableColumn[] => [{ label: 'Method' }, { label: 'Expected', num: true }, { label: counted, num: true }, { label: 'Difference', num: true }];

interface Props {
  expected: MethodTotals;
  currency: string;
  /** The counts are complete: ask before closing. */
  onClose(counted: MethodTotals, note: string): void;
}

/** The counted amount per method, the difference from what is expected as it is typed, and a note. */
export function CountForm({ expected, currency, onClose }: Props) {
  const [text, setText] = useState<CountedText>({});
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const check = checkCounted(text, expected, currency);
  const blocked = Object.keys(check.problems).length > 0;

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (!blocked) onClose(check.counted, note.trim());
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Count the day" data-testid="cashup-form">
      <DataTable columns={cashUpColumns(`Counted (${currency})`)} className="cashup-table">
        <tbody>
          {PAYMENT_METHODS.map((m) => {
            const problem = (tried || (text[m] ?? '') !== '') && check.problems[m];
            return (
              <tr key={m} data-testid="cashup-row">
                <th scope="row">{METHOD_LABEL[m]}</th>
                <td className="num" data-testid={`expected-${m}`}>
                  {formatMinor(expected[m], currency)}
                </td>
                <td className="num">
                  <input
                    className="count-input"
                    aria-label={`Counted ${METHOD_LABEL[m].toLowerCase()}`}
                    inputMode="decimal"
                    autoComplete="off"
                    placeholder={expected[m] === 0 ? '0' : ''}
                    value={text[m] ?? ''}
                    aria-invalid={problem ? true : undefined}
                    onChange={(e) => setText((t) => ({ ...t, [m]: e.target.value }) as Record<PaymentMethod, string>)}
                  />
                  {problem && <span className="field-error">{problem}</span>}
                </td>
                <td className="num" data-testid={`difference-${m}`}>
                  {(text[m] ?? '') === '' && expected[m] !== 0 ? '' : <DifferenceText minor={check.difference[m]} currency={currency} />}
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">{formatMinor(sumTotals(expected), currency)}</td>
            <td className="num">{formatMinor(sumTotals(check.counted), currency)}</td>
            <td className="num" data-testid="cashup-difference" aria-live="polite">
              <DifferenceText minor={check.totalDifference} currency={currency} />
            </td>
          </tr>
        </tfoot>
      </DataTable>
      <label className="field field-wide cashup-note">
        <span className="field-label">Note {check.totalDifference !== 0 ? '(say what you know about the difference)' : '(optional)'}</span>
        <textarea aria-label="Cash-up note" maxLength={500} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" data-testid="close-day">
          Close the day
        </button>
        {tried && blocked && <span className="field-error">Enter a count for every method that has takings.</span>}
      </div>
    </form>
  );
}

/** A closed day per method: expected, counted, difference. */
export function CashUpFigures({ expected, counted, currency }: { expected: MethodTotals; counted: MethodTotals; currency: string }) {
  return (
    <DataTable columns={cashUpColumns('Counted')} className="cashup-table" testId="cashup-figures">
      <tbody>
        {PAYMENT_METHODS.filter((m) => expected[m] !== 0 || counted[m] !== 0).map((m) => (
          <tr key={m}>
            <th scope="row">{METHOD_LABEL[m]}</th>
            <td className="num">{formatMinor(expected[m], currency)}</td>
            <td className="num">{formatMinor(counted[m], currency)}</td>
            <td className="num">
              <DifferenceText minor={counted[m] - expected[m]} currency={currency} />
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
