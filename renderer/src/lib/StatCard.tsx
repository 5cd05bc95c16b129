import type { ReactNode } from 'react';

interface Props {
  label: string;
  value: string;
  /** On the value, which is what tests read. */
  testId: string;
  /** 'owed' colours the value as money owed. */
  tone?: 'owed';
  /** A link under the value to the list behind it. */
  action?: ReactNode;
}

/** One figure on a dashboard, with its label above and an optional link below. */
export function StatCard({ label, value, testId, tone, action }: Props) {
  return (
    <div className={`stat-card${tone ? ` is-${tone}` : ''}`}>
      <span className="stat-label">{label}</span>
      <strong className="stat-value" data-testid={testId}>
        {value}
      </strong>
      {action}
    </div>
  );
}
