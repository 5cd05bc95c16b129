import type { ReactNode } from 'react';

export interface TableColumn {
  label: string;
  /** Right-aligned figures. */
  num?: boolean;
  /** Named for screen readers only, e.g. the column of row buttons. */
  hidden?: boolean;
}

interface Props {
  columns: readonly TableColumn[];
  /** Added to "data-table" for a table's own column widths. */
  className?: string;
  testId?: string;
  /** The tbody (and tfoot); the head is made from `columns`. */
  children: ReactNode;
}

/** A table that scrolls sideways on a narrow window, with its column heads. */
export function DataTable({ columns, className, testId, children }: Props) {
  return (
    <div className="table-scroll">
      <table className={className ? `data-table ${className}` : 'data-table'} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
                {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}
