import { useCallback, useRef, useState } from 'react';

/**
 * One save at a time. `saving` disables the buttons; `busy()` reads a ref, so a second Enter
 * that arrives before React has re-rendered is turned away too and nothing is recorded twice.
 */
export function useSaveOnce() {
  const inFlight = useRef(false);
  const [saving, setSaving] = useState(false);
  const busy = useCallback(() => inFlight.current, []);
  const save = useCallback(async (work: () => Promise<void>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSaving(true);
    try {
      await work();
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  }, []);
  return { saving, busy, save };
}
