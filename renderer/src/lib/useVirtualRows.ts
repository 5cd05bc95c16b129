import { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/** Fetch the next page when the last rendered row is this close to the end of what is loaded. */
const PREFETCH_ROWS = 50;

interface Paging {
  /** Rows loaded so far. */
  rowCount: number;
  /** More rows may come (not at the end, no error): a loader row stands after the last one. */
  more: boolean;
  /** Bumped by each page that arrives. */
  version: number;
  loadMore(): Promise<void>;
  /** Rows from the end at which the next page is asked for (default PREFETCH_ROWS). */
  prefetchRows?: number;
}

/**
 * A long list drawn a screenful at a time: only the rows in view are rendered, the next page is
 * fetched as the end comes near, and one row is highlighted and moved by the keyboard.
 */
export function useVirtualRows({ rowCount, more, version, loadMore, prefetchRows = PREFETCH_ROWS }: Paging, rowHeight: number) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(-1);

  const virtualizer = useVirtualizer({
    count: rowCount + (more ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (more && lastIndex >= rowCount - prefetchRows) void loadMore();
  }, [lastIndex, version, more, rowCount, loadMore, prefetchRows]);

  const moveTo = useCallback(
    (index: number) => {
      if (rowCount === 0) return;
      const i = Math.max(0, Math.min(rowCount - 1, index));
      setActive(i);
      virtualizer.scrollToIndex(i, { align: 'auto' });
    },
    [rowCount, virtualizer],
  );

  /** Where a navigation key (arrows, Page keys, Home, End) moves the highlight; null for any other key. */
  const targetOf = (key: string): number | null => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    switch (key) {
      case 'ArrowDown':
        return active + 1;
      case 'ArrowUp':
        return active - 1;
      case 'PageDown':
        return active + page;
      case 'PageUp':
        return active - page;
      case 'Home':
        return 0;
      case 'End':
        return rowCount - 1;
      default:
        return null;
    }
  };

  /** A new query: nothing highlighted, back to the top. */
  const reset = useCallback(() => {
    setActive(-1);
    scrollRef.current?.scrollTo({ top: 0 });
  }, []);

  return { scrollRef, virtualizer, items, active, setActive, moveTo, targetOf, reset };
}
