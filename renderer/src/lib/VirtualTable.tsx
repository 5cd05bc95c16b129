import { memo, useEffect, type KeyboardEvent, type ReactNode } from 'react';
import type { PagedRows } from './usePagedRows';
import { ErrorNotice } from './ErrorNotice';
import { useVirtualRows } from './useVirtualRows';

export interface Column<Row> {
  key: string;
  header: ReactNode;
  /** A CSS grid track, e.g. "8rem" or "minmax(10rem, 2fr)". */
  width: string;
  numeric?: boolean;
  render(row: Row): ReactNode;
}

interface Props<Row> {
  /** Names the grid for screen readers and tests ("Payments"). */
  label: string;
  testId: string;
  rowTestId: string;
  columns: readonly Column<Row>[];
  pages: PagedRows<Row>;
  rowKey(row: Row): string;
  /** Enter on the highlighted row, or a click on it. */
  onOpen?: (row: Row) => void;
  rowClassName?: (row: Row) => string | undefined;
  /** Said instead of rows when the first page came back empty. */
  empty: string;
  rowHeight?: number;
}

/**
 * A long ledger list: only the rows in view are in the page, the next page is fetched as the
 * end comes near, and arrows / Page keys / Enter work as in the students list.
 */
export function VirtualTable<Row>({ label, testId, rowTestId, columns, pages, rowKey, onOpen, rowClassName, empty, rowHeight = 56 }: Props<Row>) {
  const { rows, done, loaded, version, error, loadMore } = pages;
  const template = columns.map((c) => c.width).join(' ');
  const { scrollRef, virtualizer, items, active, setActive, moveTo, targetOf, reset } = useVirtualRows(
    { rowCount: rows.length, more: !done && !error, version, loadMore },
    rowHeight,
  );

  // A new query (the rows array is a new one): back to the top, nothing highlighted.
  useEffect(reset, [rows, reset]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget) return; // keys typed into a row's own button stay there
    const to = targetOf(e.key);
    if (to !== null) {
      e.preventDefault();
      moveTo(to);
    } else if (e.key === 'Enter' && onOpen && rows[active]) {
      e.preventDefault();
      onOpen(rows[active]);
    }
  };

  const activeRow = rows[active];
  const rowId = (row: Row) => `${testId}-row-${rowKey(row)}`;

  return (
    <div className="vtable" data-testid={testId}>
      {error && <ErrorNotice error={error} onRetry={() => void loadMore()} testId={`${testId}-error`} />}
      <div
        ref={scrollRef}
        className="vtable-scroll"
        role="grid"
        aria-label={label}
        aria-rowcount={pages.total === null ? -1 : pages.total + 1}
        tabIndex={0}
        aria-activedescendant={activeRow ? rowId(activeRow) : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="vtable-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
          {columns.map((c) => (
            <div key={c.key} role="columnheader" className={c.numeric ? 'num' : undefined}>
              {c.header}
            </div>
          ))}
        </div>
        {loaded && rows.length === 0 ? (
          <p className="vtable-empty" data-testid={`${testId}-empty`}>
            {empty}
          </p>
        ) : (
          <div className="vtable-canvas" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (row === undefined) {
                return (
                  <div key="loader" className="vtable-row vtable-loader" role="row" style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}>
                    <div role="gridcell">Loading…</div>
                  </div>
                );
              }
              return (
                <VirtualRow
                  key={rowKey(row)}
                  id={rowId(row)}
                  row={row}
                  index={item.index}
                  start={item.start}
                  height={rowHeight}
                  template={template}
                  columns={columns}
                  active={item.index === active}
                  className={rowClassName?.(row)}
                  testId={rowTestId}
                  onPick={
                    onOpen
                      ? () => {
                          setActive(item.index);
                          onOpen(row);
                        }
                      : undefined
                  }
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

interface RowProps<Row> {
  id: string;
  row: Row;
  index: number;
  start: number;
  height: number;
  template: string;
  columns: readonly Column<Row>[];
  active: boolean;
  className: string | undefined;
  testId: string;
  onPick: (() => void) | undefined;
}

function VirtualRowInner<Row>({ id, row, index, start, height, template, columns, active, className, testId, onPick }: RowProps<Row>) {
  const cls = ['vtable-row', active && 'is-active', onPick && 'is-openable', className].filter(Boolean).join(' ');
  return (
    <div
      id={id}
      className={cls}
      role="row"
      aria-rowindex={index + 2}
      data-testid={testId}
      style={{ transform: `translateY(${start}px)`, height, gridTemplateColumns: template }}
      onClick={(e) => {
        // A button inside the row does its own job, not the row's.
        if (onPick && !(e.target as HTMLElement).closest('button, a, input, select')) onPick();
      }}
    >
      {columns.map((c) => (
        <div key={c.key} role="gridcell" className={c.numeric ? 'num' : undefined}>
          {c.render(row)}
        </div>
      ))}
    </div>
  );
}

// onPick is a fresh closure each render but does the same thing for the same row; columns are
// stable per list (module constants or memoised), so a row re-renders only when it changes.
const VirtualRow = memo(
  VirtualRowInner,
  (a, b) =>
    a.row === b.row && a.start === b.start && a.active === b.active && a.template === b.template && a.columns === b.columns && a.className === b.className,
) as typeof VirtualRowInner;
