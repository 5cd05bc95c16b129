import { useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { FormProblem } from '../../lib/FormProblem';
import { NewPasswordFields, useNewPassword } from '../../lib/NewPasswordFields';

/** Current, new, repeat. Says what went wrong in words, or that it worked. */
export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const [current, setCurrent] = useState('');
  const password = useNewPassword();
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);
  const currentRef = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (saving) return;
    setError(null);
    if (current === '') {
      setProblem('Type your current password.');
      currentRef.current?.focus();
      return;
    }
    const found = password.check('The two new passwords are different. Type the new password again in both boxes.');
    if (found) {
      setProblem(found);
      return;
    }
    if (password.next === current) {
      setProblem('The new password is the same as the current one. Choose a different one.');
      password.nextRef.current?.focus();
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      await api.invoke('auth.changePassword', { currentPassword: current, newPassword: password.next });
      setDone(true);
      setCurrent('');
      password.clear();
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
          <NewPasswordFields password={password} />
          <FormProblem problem={problem} error={error} online testId="password-error" />
          <DialogActions label="Change password" savingLabel="Changing…" saving={saving} testId="change-password-save" onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}
