import { useRef, useState } from 'react';

// Matches the server's Password schema: a shorter one is refused there anyway, so say it first.
export const MIN_PASSWORD_LENGTH = 10;

/** A new password typed twice: the two boxes, and the checks both must pass before it is sent. */
export function useNewPassword() {
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const nextRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);

  /** What is wrong, with the cursor put in the box to fix; null when the password may be sent. */
  function check(different: string): string | null {
    if (next.length < MIN_PASSWORD_LENGTH) {
      nextRef.current?.focus();
      return `The new password needs at least ${MIN_PASSWORD_LENGTH} characters. A few words in a row are easy to remember.`;
    }
    if (next !== repeat) {
      repeatRef.current?.focus();
      return different;
    }
    return null;
  }

  function clear() {
    setNext('');
    setRepeat('');
  }

  return { next, repeat, setNext, setRepeat, nextRef, repeatRef, check, clear };
}

interface Props {
  password: ReturnType<typeof useNewPassword>;
  /** A check has failed: mark the box it is about. Left out, neither box is ever marked. */
  showInvalid?: boolean;
  autoFocus?: boolean;
}

export function NewPasswordFields({ password, showInvalid, autoFocus }: Props) {
  const { next, repeat, setNext, setRepeat, nextRef, repeatRef } = password;
  return (
    <>
      <label className="field">
        <span className="field-label">New password</span>
        <input
          ref={nextRef}
          type="password"
          aria-label="New password"
          autoComplete="new-password"
          value={next}
          aria-invalid={showInvalid && next.length < MIN_PASSWORD_LENGTH ? true : undefined}
          onChange={(e) => setNext(e.target.value)}
          autoFocus={autoFocus}
        />
        <span className="field-hint">At least {MIN_PASSWORD_LENGTH} characters.</span>
      </label>
      <label className="field">
        <span className="field-label">Repeat new password</span>
        <input
          ref={repeatRef}
          type="password"
          aria-label="Repeat new password"
          autoComplete="new-password"
          value={repeat}
          aria-invalid={showInvalid && next.length >= MIN_PASSWORD_LENGTH && next !== repeat ? true : undefined}
          onChange={(e) => setRepeat(e.target.value)}
        />
      </label>
    </>
  );
}
