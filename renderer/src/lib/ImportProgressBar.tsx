import type { ReactNode } from 'react';

interface Props {
  /** "Saved 200 of 312 rows from students.csv…" */
  children: ReactNode;
  done: number;
  total: number;
  onStop(): void;
  testId: string;
  stopTestId?: string;
  className?: string;
}

/** An import under way: what is done so far, a bar, and a way to stop after the part being saved. */
export function ImportProgressBar({ children, done, total, onStop, testId, stopTestId, className }: Props) {
  return (
    <div className={className} role="status" data-testid={testId}>
      <p>{children}</p>
      <progress max={total} value={done} />
      <button type="button" onClick={onStop} data-testid={stopTestId}>
        Stop after this part
      </button>
    </div>
  );
}
