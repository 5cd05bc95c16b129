import { FieldNote } from '../../lib/FieldNote';

interface Props {
  ariaLabel: string;
  value: string;
  onChange(value: string): void;
  problem: string | null | undefined;
  problemId: string;
}

/** The bank, cheque or message reference of money paid out other than in cash. */
export function ReferenceField({ ariaLabel, value, onChange, problem, problemId }: Props) {
  return (
    <label className="field">
      <span className="field-label">Reference</span>
      <input
        aria-label={ariaLabel}
        autoComplete="off"
        maxLength={64}
        value={value}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNote problem={problem} problemId={problemId} hint="Transfer, cheque or message number." />
    </label>
  );
}
