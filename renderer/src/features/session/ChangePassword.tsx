import { useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { Dialog } from '../../lib/Dialog';
import { ErrorNotice } from '../../lib/ErrorNotice';

export const MIN_PASSWORD_LENGTH = 10;

/** Current, new, repeat. Says what went wrong in words, or that it worked. */
export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (saving) return;
    setError(null);
    if (current === '') {
      setProblem('Type your current password.');
      currentRef.current?.focus();
      return;
    }
    if (next.length < MIN_PASSWORD_LENGTH) {
      setProblem(`The new password needs at least ${MIN_PASSWORD_LENGTH} characters. A few words in a row are easy to remember.`);
      nextRef.current?.focus();
      return;
    }
    if (next !== repeat) {
      setProblem('The two new passwords are different. Type the new password again in both boxes.');
      repeatRef.current?.focus();
      return;
    }
    if (next === current) {
      setProblem('The new password is the same as the current one. Choose a different one.');
      nextRef.current?.focus();
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      await api.invoke('auth.changePassword', { currentPassword: current, newPassword: next });
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Dialog title="Change password" onClose={onClose} testId="change-password-dialog">
      {done ? (
        <>
          <div className="notice notice-success" role="status" data-testid="password-changed">
            Your password has been changed. Use the new one next time you sign in.
          </div>
          <div className="form-actions">
            <button type="button" className="primary" onClick={onClose} autoFocus>
              Close
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit} noValidate className="dialog-form">
          <label className="field">
            <span className="field-label">Current password</span>
            <input ref={currentRef} type="password" aria-label="Current password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} autoFocus />
          </label>
          <label className="field">
            <span className="field-label">New password</span>
            <input ref={nextRef} type="password" aria-label="New password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
            <span className="field-hint">At least {MIN_PASSWORD_LENGTH} characters.</span>
          </label>
          <label className="field">
            <span className="field-label">Repeat new password</span>
            <input ref={repeatRef} type="password" aria-label="Repeat new password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
          </label>
          {problem && (
            <p className="field-error" role="alert" data-testid="password-error">
              {problem}
            </p>
          )}
          {error && <ErrorNotice error={error} online testId="password-error" />}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={saving}>
              {saving ? 'Changing…' : 'Change password'}
            </button>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
