import { formatMinor } from '../../../../../shared/money';

/** "Balanced", "Over by KES 50.00", "Short by KES 200.00". */
export function DifferenceText({ minor, currency }: { minor: number; currency: string }) {
  if (minor === 0) return <span className="diff-ok">Balanced</span>;
  return minor > 0 ? <span className="diff-over">Over by {formatMinor(minor, currency)}</span> : <span className="diff-short">Short by {formatMinor(-minor, currency)}</span>;
}
