import type { Statement } from '../../../../shared/domain/fees';
import { formatMinor } from '../../../../shared/money';

const BUCKETS: readonly { key: keyof Statement['arrears']; label: string }[] = [
  { key: 'notDueMinor', label: 'Not yet due' },
  { key: 'd0to30Minor', label: 'Overdue up to 30 days' },
  { key: 'd31to60Minor', label: '31–60 days' },
  { key: 'd61to90Minor', label: '61–90 days' },
  { key: 'd90plusMinor', label: 'Over 90 days' },
];

/** What is owed by how long overdue, and the credit carried forward: under the statement and on its printout. */
export function ArrearsByAge({ statement }: { statement: Statement }) {
  const { arrears, creditMinor, currency } = statement;
  const owed = BUCKETS.some((b) => arrears[b.key] > 0);
  return (
    <div className="arrears-by-age" data-testid="arrears-by-age">
      {owed && (
        <dl className="arrears-buckets">
          {BUCKETS.map((b) => (
            <div key={b.key} className={arrears[b.key] > 0 && b.key !== 'notDueMinor' ? 'is-overdue' : undefined}>
              <dt>{b.label}</dt>
              <dd data-testid={`arrears-${b.key}`}>{formatMinor(arrears[b.key], currency)}</dd>
            </div>
          ))}
        </dl>
      )}
      {creditMinor > 0 && (
        <p className="credit-note" data-testid="student-credit">
          Credit carried forward: <strong>{formatMinor(creditMinor, currency)}</strong> (settles later charges, or can be refunded).
        </p>
      )}
    </div>
  );
}
