import type { ReactNode } from 'react';

interface Props {
  /** The id of the heading, which names the region. */
  titleId: string;
  title: ReactNode;
  /** Buttons beside the heading (Refresh, New …). */
  actions?: ReactNode;
  className?: string;
  testId?: string;
  children?: ReactNode;
}

/** A screen's white panel: a region named by its heading, with the heading's actions on the right. */
export function ScreenPanel({ titleId, title, actions, className, testId, children }: Props) {
  return (
    <section className={className ? `screen-panel ${className}` : 'screen-panel'} aria-labelledby={titleId} data-testid={testId}>
      <div className="screen-head">
        <h2 id={titleId}>{title}</h2>
        {actions && <div className="screen-head-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
