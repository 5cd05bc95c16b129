import { formatMinor, parseMajorToMinor } from '../../../shared/money';
import { FieldNote } from './FieldNote';

interface Props {
  /** The visible label, naming the currency: "Sum (KES)". */
  label: string;
  ariaLabel: string;
  currency: string;
  value: string;
  onChange(value: string): void;
  problem: string | null | undefined;
  problemId: string;
  /** Said under the box while what is typed is not an amount yet. */
  hint: string;
  className?: string;
  autoFocus?: boolean;
}

/** A money box that says back what it has read ("KES 2,500.00"), so a slipped digit shows before saving. */
export function AmountField({ label, ariaLabel, currency, value, onChange, problem, problemId, hint, className, autoFocus }: Props) {
  const parsed = parseMajorToMinor(value, currency);
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className={className}
        aria-label={ariaLabel}
        inputMode="decimal"
        autoComplete="off"
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(e) => onChange(e.target.value)}
        autoFocus={autoFocus}
      />
      <FieldNote problem={problem} problemId={problemId} hint={parsed.ok ? formatMinor(parsed.minor, currency) : hint} />
    </label>
  );
}
