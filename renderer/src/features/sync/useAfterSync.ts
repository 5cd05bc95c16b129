import { useEffect, useRef } from 'react';
import { onSyncLanded } from './store';

/**
 * Runs `follow` each time a sync lands while the component is shown: how an open screen shows
 * what other computers changed. Not on mount (the screen reads then anyway). `follow` decides what
 * may be read again: never over what the user has typed and not saved yet.
 */
export function useAfterSync(follow: () => void): void {
  const latest = useRef(follow);
  useEffect(() => {
    latest.current = follow;
  });
  useEffect(() => onSyncLanded(() => latest.current()), []);
}
