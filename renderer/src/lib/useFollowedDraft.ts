import { useCallback, useState, type Dispatch, type SetStateAction } from 'react';

/**
 * A form's draft after the record it was opened on changed underneath it (a sync): the fields the
 * user changed keep what they typed, the others take the new values, so saving sends the user's
 * changes and does not put back what another computer changed.
 */
export function rebaseDraft<D extends object>(draft: D, base: D, fresh: D): D {
  const out = { ...fresh };
  for (const k of Object.keys(draft) as (keyof D)[]) if (draft[k] !== base[k]) out[k] = draft[k];
  return out;
}

export function sameFields<D extends object>(a: D, b: D): boolean {
  return (Object.keys(a) as (keyof D)[]).every((k) => a[k] === b[k]) && Object.keys(b).length === Object.keys(a).length;
}

/** The draft of a form over `initial` (flat fields), rebased when `initial` changes by value. */
export function useFollowedDraft<D extends object>(initial: D): [D, Dispatch<SetStateAction<D>>] {
  const [state, setState] = useState({ base: initial, draft: initial });
  const setDraft = useCallback<Dispatch<SetStateAction<D>>>((next) => setState((s) => ({ ...s, draft: typeof next === 'function' ? (next as (d: D) => D)(s.draft) : next })), []);
  if (sameFields(state.base, initial)) return [state.draft, setDraft];
  // Adjusted while rendering (React renders again at once), so no frame shows the old values.
  const rebased = { base: initial, draft: rebaseDraft(state.draft, state.base, initial) };
  setState(rebased);
  return [rebased.draft, setDraft];
}
