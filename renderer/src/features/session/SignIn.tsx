import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSession } from './store';

/** Shown while nobody is signed in on this computer. */
export function SignIn() {
  const signIn = useSession((s) => s.signIn);
  const signingIn = useSession((s) => s.signingIn);
  const error = useSession((s) => s.signInError);
  const signedOutReason = useSession((s) => s.signedOutReason);
  const schoolName = useSession((s) => s.info?.schoolName);
  const enrolledWith = useSession((s) => s.enrolledWith);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  // After a failed attempt, clear the password and put the cursor back there.
  useEffect(() => {
    if (error) {
      setPassword('');
      passwordRef.current?.focus();
    }
  }, [error]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (username.trim() === '') {
      setMissing('Type your username.');
      usernameRef.current?.focus();
      return;
    }
    if (password === '') {
      setMissing('Type your password.');
      passwordRef.current?.focus();
      return;
    }
    setMissing(null);
    await signIn(username, password);
  }

  const message = missing ?? error?.message ?? null;

  return (
    <main className="app-main app-main-single signin-page">
      <form className="signin-form" onSubmit={submit} noValidate data-testid="signin-form" aria-label="Sign in">
        <h2>Sign in</h2>
        <p className="muted">{schoolName ? `Sign in to ${schoolName} with your staff account.` : 'Sign in with your staff account.'}</p>

        {enrolledWith && (
          <div className="notice notice-success" role="status" data-testid="enrolled-note">
            Enrolled with {enrolledWith}. Sign in with your staff account.
          </div>
        )}

        {signedOutReason && !error && (
          <div className="notice notice-warn" role="status" data-testid="signed-out-reason">
            {signedOutReason}
          </div>
        )}

        <label className="field">
          <span className="field-label">Username</span>
          <input
            ref={usernameRef}
            aria-label="Username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Password</span>
          <input
            ref={passwordRef}
            aria-label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>

        <div className="form-actions">
          <button type="submit" className="primary" disabled={signingIn}>
            Sign in
          </button>
          {signingIn && <span className="muted">Checking…</span>}
        </div>

        {message && (
          <p className="signin-error" role="alert" data-testid="signin-error">
            {message}
          </p>
        )}
        <p className="field-hint signin-help">Forgotten your password or locked out? Ask the school administrator to reset it.</p>
      </form>
    </main>
  );
}
