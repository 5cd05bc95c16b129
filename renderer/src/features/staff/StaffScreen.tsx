import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { RoleView, StaffView } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { USERNAME_PATTERN } from '../../../../shared/domain/staff';
import { api, toAppError } from '../../api';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { Dialog } from '../../lib/Dialog';
import { DialogActions } from '../../lib/DialogActions';
import { ErrorNotice, NEEDS_CONNECTION } from '../../lib/ErrorNotice';
import { FormProblem } from '../../lib/FormProblem';
import { MIN_PASSWORD_LENGTH, NewPasswordFields, useNewPassword } from '../../lib/NewPasswordFields';
import { useSession, useUser } from '../session/store';
import { useSync } from '../sync/store';
import { DataTable, type TableColumn } from '../../lib/DataTable';

const STAFF_COLUMNS: readonly TableColumn[] = [{ label: 'Name' }, { label: 'Username' }, { label: 'Role' }, { label: 'Status' }, { label: 'Actions', hidden: true }];

/** What became of the last action on one person's row. */
interface RowResult {
  ok: boolean;
  text: string;
  /** What to do next, when the action failed for a reason the person can fix. */
  hint?: string;
}

type Busy = 'role' | 'active' | 'unlock';

const CONNECTION_HINT = "Check this computer's network connection (the status bar shows it), then try again.";

/** A failed action in words: what did not happen, why, and (when the server was out of reach) what to do. */
function failed(what: string, error: AppError, online: boolean): RowResult {
  const unavailable = online && error.code === 'unavailable';
  const why = unavailable && !error.message.startsWith('This needs') ? `${NEEDS_CONNECTION} ${error.message}` : error.message;
  return { ok: false, text: `${what} ${why}`, hint: unavailable ? CONNECTION_HINT : undefined };
}

function roleLabel(roles: readonly RoleView[] | null, roleId: string, fallback: string | null): string {
  return roles?.find((r) => r.id === roleId)?.name ?? fallback ?? 'an unknown role';
}

/**
 * Staff accounts: who may sign in, with which role. Role, name and disabling work offline and
 * reach other computers at the next sync; adding people, unlocking and setting passwords ask
 * the school server directly, because passwords never travel through the sync log.
 */
export function StaffScreen() {
  const me = useUser();
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);
  const [staff, setStaff] = useState<StaffView[] | null>(null);
  const [roles, setRoles] = useState<RoleView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<Record<string, Busy>>({});
  const [results, setResults] = useState<Record<string, RowResult>>({});
  const [confirmDisable, setConfirmDisable] = useState<StaffView | null>(null);
  const [confirmRole, setConfirmRole] = useState<{ person: StaffView; role: RoleView } | null>(null);
  const [passwordFor, setPasswordFor] = useState<StaffView | null>(null);
  const inFlight = useRef(0);
  const loadSeq = useRef(0);
  // People added here reach this computer's own copy at the next sync: keep showing them until then.
  const created = useRef<StaffView[]>([]);

  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    setLoading(true);
    try {
      const [s, r] = await Promise.all([api.invoke('staff.list', {}), api.invoke('roles.list', {})]);
      if (seq !== loadSeq.current) return;
      setRoles(r.roles);
      if (inFlight.current === 0) {
        created.current = created.current.filter((c) => !s.staff.some((x) => x.id === c.id));
        setStaff([...s.staff, ...created.current]);
      }
      setError(null);
    } catch (err) {
      if (seq === loadSeq.current) setError(toAppError(err));
    } finally {
      if (seq === loadSeq.current) setLoading(false);
    }
  }, []);

  // Load at start, and again whenever a sync may have brought changes from other computers.
  useEffect(() => {
    void load();
  }, [load, lastSyncAt]);

  const setResult = (id: string, result: RowResult | null) =>
    setResults((rs) => {
      const next = { ...rs };
      if (result) next[id] = result;
      else delete next[id];
      return next;
    });

  const setRow = (person: StaffView) => setStaff((ss) => ss?.map((x) => (x.id === person.id ? person : x)) ?? ss);

  async function run(person: StaffView, kind: Busy, action: () => Promise<RowResult>) {
    if (busy[person.id]) return;
    setBusy((b) => ({ ...b, [person.id]: kind }));
    setResult(person.id, null);
    inFlight.current++;
    try {
      setResult(person.id, await action());
    } finally {
      inFlight.current--;
      setBusy((b) => {
        const next = { ...b };
        delete next[person.id];
        return next;
      });
    }
  }

  function update(person: StaffView, patch: { roleId: string } | { active: boolean }) {
    const isRole = 'roleId' in patch;
    return run(person, isRole ? 'role' : 'active', async () => {
      // Show the change at once; put the row back if core refuses it.
      setRow({ ...person, ...patch, ...(isRole ? { roleName: roleLabel(roles, patch.roleId, null) } : {}) });
      try {
        const saved = await api.invoke('staff.update', { staffId: person.id, ...patch });
        setRow(saved);
        void useSync.getState().refresh();
        // The signed-in person's own role: what they may see changes now.
        if (saved.id === me?.id) void useSession.getState().refreshSession();
        if (isRole) {
          return {
            ok: true,
            text: `Saved: ${saved.displayName} is now ${roleLabel(roles, saved.roleId, saved.roleName)}. Other computers get the change at their next sync.`,
          };
        }
        return saved.active
          ? { ok: true, text: `Enabled: ${saved.displayName} can sign in on this computer now, and on the others once they have synced.` }
          : { ok: true, text: `Disabled: ${saved.displayName} can no longer sign in on this computer, nor on the others once they have synced.` };
      } catch (err) {
        setRow(person);
        const e = toAppError(err);
        if (isRole) return failed(`Not saved: ${person.displayName} is still ${roleLabel(roles, person.roleId, person.roleName)}.`, e, false);
        return failed(person.active ? `Not disabled: ${person.displayName} can still sign in.` : `Not enabled: ${person.displayName} still cannot sign in.`, e, false);
      }
    });
  }

  function changeRole(person: StaffView, roleId: string) {
    if (busy[person.id] || roleId === person.roleId) return;
    const role = roles?.find((r) => r.id === roleId);
    // Taking away one's own access to this screen deserves a second look.
    if (person.id === me?.id && role && !role.permissions.includes('staff.manage')) {
      setConfirmRole({ person, role });
      return;
    }
    void update(person, { roleId });
  }

  function unlock(person: StaffView) {
    return run(person, 'unlock', async () => {
      try {
        await api.invoke('staff.unlock', { staffId: person.id });
        return { ok: true, text: `Unlocked: ${person.displayName} can try signing in again now.` };
      } catch (err) {
        return failed(`Could not unlock ${person.displayName}.`, toAppError(err), true);
      }
    });
  }

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="staff-title">
        <div className="screen-head">
          <h2 id="staff-title">Staff</h2>
          <button type="button" onClick={() => void load()} disabled={loading}>
            Refresh
          </button>
        </div>
        <p className="muted">
          Who may sign in, and with which role. Role changes and disabling work offline and reach other computers at their next sync. Adding
          someone, unlocking and setting a password need a connection to the school server.
        </p>

        {error && <ErrorNotice error={error} onRetry={() => void load()} testId="staff-error" />}

        {staff === null ? (
          !error && <p className="muted">Loading staff…</p>
        ) : staff.length === 0 ? (
          <p className="muted">No staff accounts on this computer yet.</p>
        ) : (
          <DataTable columns={STAFF_COLUMNS} className="staff-table" testId="staff-table">
            <tbody>
              {staff.map((p) => {
                const rowBusy = busy[p.id];
                const result = results[p.id];
                const knownRole = roles?.some((r) => r.id === p.roleId) ?? false;
                return (
                  <tr key={p.id} data-testid="staff-row" className={p.active ? '' : 'is-revoked'} aria-busy={rowBusy ? true : undefined}>
                    <td>
                      <span className="staff-name">{p.displayName}</span>
                      {p.id === me?.id && <span className="sub">You</span>}
                    </td>
                    <td className="staff-username">{p.username}</td>
                    <td>
                      <select
                        className="staff-role"
                        aria-label={`Role of ${p.displayName}`}
                        value={p.roleId}
                        aria-busy={rowBusy === 'role' || undefined}
                        onChange={(e) => changeRole(p, e.target.value)}
                      >
                        {!knownRole && <option value={p.roleId}>{p.roleName ?? 'Unknown role'}</option>}
                        {roles?.map((r) => (
                          <option key={r.id} value={r.id}>
                            {r.name}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <div className="staff-status">
                        {p.active ? <span className="badge badge-active">Active</span> : <span className="badge badge-revoked">Disabled</span>}
                        {p.active ? (
                          <button type="button" className="danger-outline" disabled={rowBusy !== undefined} onClick={() => setConfirmDisable(p)}>
                            {rowBusy === 'active' ? 'Disabling…' : 'Disable'}
                          </button>
                        ) : (
                          <button type="button" className="row-button" disabled={rowBusy !== undefined} onClick={() => void update(p, { active: true })}>
                            {rowBusy === 'active' ? 'Enabling…' : 'Enable'}
                          </button>
                        )}
                      </div>
                    </td>
                    <td className="actions">
                      <div className="row-actions">
                        <button type="button" className="row-button" disabled={rowBusy !== undefined} onClick={() => void unlock(p)}>
                          {rowBusy === 'unlock' ? 'Unlocking…' : 'Unlock'}
                        </button>
                        <button type="button" className="row-button" disabled={rowBusy !== undefined} onClick={() => setPasswordFor(p)}>
                          Set password
                        </button>
                      </div>
                      {result && (
                        <div className={`row-result ${result.ok ? 'is-ok' : 'is-error'}`} role={result.ok ? 'status' : 'alert'} data-testid="staff-result">
                          <p>{result.text}</p>
                          {result.hint && <p>{result.hint}</p>}
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </DataTable>
        )}

        <AddStaffForm
          roles={roles}
          onCreated={(person) => {
            created.current = [...created.current.filter((c) => c.id !== person.id), person];
            setStaff((ss) => (ss ? [...ss.filter((x) => x.id !== person.id), person] : [person]));
            void useSync.getState().refresh();
          }}
        />
      </section>

      {confirmDisable && (
        <DisableDialog
          person={confirmDisable}
          onClose={() => setConfirmDisable(null)}
          onConfirm={() => {
            const person = confirmDisable;
            setConfirmDisable(null);
            void update(person, { active: false });
          }}
        />
      )}

      {confirmRole && (
        <ConfirmDialog
          title="Change your own role?"
          testId="own-role-dialog"
          confirmLabel="Change my role"
          onConfirm={() => {
            const { person, role } = confirmRole;
            setConfirmRole(null);
            void update(person, { roleId: role.id });
          }}
          onClose={() => setConfirmRole(null)}
        >
          <p>
            As <strong>{confirmRole.role.name}</strong> you can no longer manage staff: this screen closes as soon as the change is saved, and
            someone else with that permission has to give it back.
          </p>
        </ConfirmDialog>
      )}

      {passwordFor && (
        <SetPasswordDialog
          person={passwordFor}
          onClose={() => setPasswordFor(null)}
          onChanged={(person) => {
            setPasswordFor(null);
            setResult(person.id, {
              ok: true,
              text: `Password set for ${person.displayName}. Their old password no longer works: give them the new one in person, and ask them to change it after signing in.`,
            });
          }}
        />
      )}
    </main>
  );
}

function DisableDialog({ person, onClose, onConfirm }: { person: StaffView; onClose(): void; onConfirm(): void }) {
  return (
    <ConfirmDialog title={`Disable ${person.displayName}?`} testId="disable-staff-dialog" confirmLabel="Disable account" onConfirm={onConfirm} onClose={onClose}>
      <p>
        <strong>{person.displayName}</strong> ({person.username}) can no longer sign in anywhere: on this computer at once, and on every other
        computer once the change has synced. Anyone signed in as them is signed out when their computer syncs.
      </p>
      <p className="muted">Nothing they recorded is lost, and you can enable the account again here at any time.</p>
    </ConfirmDialog>
  );
}

function SetPasswordDialog({ person, onClose, onChanged }: { person: StaffView; onClose(): void; onChanged(person: StaffView): void }) {
  const password = useNewPassword();
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (saving) return;
    setError(null);
    const found = password.check('The two passwords are different. Type the new password again in both boxes.');
    if (found) {
      setProblem(found);
      return;
    }
    setProblem(null);
    setSaving(true);
    try {
      await api.invoke('staff.resetPassword', { staffId: person.id, newPassword: password.next });
      onChanged(person);
    } catch (err) {
      setError(toAppError(err));
      setSaving(false);
    }
  }

  return (
    <Dialog title={`Set a new password for ${person.displayName}`} onClose={onClose} testId="set-password-dialog">
      <form onSubmit={submit} noValidate className="dialog-form">
        <p className="muted">
          Their current password stops working. Tell them the new one in person. This needs a connection to the school server.
        </p>
        <NewPasswordFields password={password} showInvalid={problem !== null} autoFocus />
        <FormProblem problem={problem} error={error} online testId="set-password-error" />
        <DialogActions label="Set password" savingLabel="Setting…" saving={saving} testId="set-password-save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

type FieldKey = 'username' | 'displayName' | 'roleId' | 'password';

function AddStaffForm({ roles, onCreated }: { roles: RoleView[] | null; onCreated(person: StaffView): void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roleId, setRoleId] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<FieldKey, string>>>({});
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [createdPerson, setCreatedPerson] = useState<StaffView | null>(null);
  const refs = {
    username: useRef<HTMLInputElement>(null),
    displayName: useRef<HTMLInputElement>(null),
    roleId: useRef<HTMLSelectElement>(null),
    password: useRef<HTMLInputElement>(null),
  };

  function check(): Partial<Record<FieldKey, string>> {
    const found: Partial<Record<FieldKey, string>> = {};
    const u = username.trim().toLowerCase();
    if (u === '') found.username = 'Type a username: the name they sign in with.';
    else if (!USERNAME_PATTERN.test(u)) found.username = 'A username is 2 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.';
    const n = displayName.trim();
    if (n === '') found.displayName = 'Type the person’s full name.';
    else if (n.length > 80) found.displayName = 'A name can have at most 80 characters.';
    if (roleId === '') found.roleId = 'Choose the role they get: it decides what they may do.';
    if (password.length < MIN_PASSWORD_LENGTH) found.password = `The first password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
    else if (password.length > 200) found.password = 'A password can have at most 200 characters.';
    return found;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (saving) return;
    setError(null);
    const found = check();
    setProblems(found);
    const first = (['username', 'displayName', 'roleId', 'password'] as const).find((k) => found[k]);
    if (first) {
      refs[first].current?.focus();
      return;
    }
    setSaving(true);
    setCreatedPerson(null);
    try {
      const person = await api.invoke('staff.create', { username: username.trim().toLowerCase(), displayName: displayName.trim(), roleId, password });
      setCreatedPerson(person);
      setUsername('');
      setDisplayName('');
      setRoleId('');
      setPassword('');
      setShowPassword(false);
      onCreated(person);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setSaving(false);
    }
  }

  const invalid = (k: FieldKey) => (problems[k] ? true : undefined);
  const fieldError = (k: FieldKey) =>
    problems[k] && (
      <span className="field-error" id={`new-staff-${k}-error`} data-testid="staff-field-error">
        {problems[k]}
      </span>
    );
  const describedBy = (k: FieldKey) => (problems[k] ? `new-staff-${k}-error` : undefined);
  const createdRole = createdPerson ? roleLabel(roles, createdPerson.roleId, createdPerson.roleName) : '';

  return (
    <form className="staff-add" onSubmit={submit} noValidate aria-labelledby="staff-add-title" data-testid="staff-add-form">
      <h3 id="staff-add-title">Add staff member</h3>
      <p className="muted">They sign in with this username and first password, and should change the password after signing in. Needs a connection to the school server.</p>
      <div className="form-row">
        <label className="field">
          <span className="field-label">Username</span>
          <input
            ref={refs.username}
            aria-label="New username"
            autoComplete="off"
            spellCheck={false}
            value={username}
            aria-invalid={invalid('username')}
            aria-describedby={describedBy('username')}
            onChange={(e) => setUsername(e.target.value)}
          />
          {fieldError('username') ?? <span className="field-hint">For example jane.wanjiku</span>}
        </label>
        <label className="field">
          <span className="field-label">Full name</span>
          <input
            ref={refs.displayName}
            aria-label="Full name"
            autoComplete="off"
            value={displayName}
            aria-invalid={invalid('displayName')}
            aria-describedby={describedBy('displayName')}
            onChange={(e) => setDisplayName(e.target.value)}
          />
          {fieldError('displayName') ?? <span className="field-hint">As colleagues know them.</span>}
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select
            ref={refs.roleId}
            aria-label="New staff role"
            value={roleId}
            aria-invalid={invalid('roleId')}
            aria-describedby={describedBy('roleId')}
            onChange={(e) => setRoleId(e.target.value)}
          >
            <option value="" disabled>
              {roles === null ? 'Loading roles…' : 'Choose a role…'}
            </option>
            {roles?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          {fieldError('roleId') ?? <span className="field-hint">What they may do (see Roles).</span>}
        </label>
        <label className="field">
          <span className="field-label">First password</span>
          <span className="password-input">
            <input
              ref={refs.password}
              type={showPassword ? 'text' : 'password'}
              aria-label="First password"
              autoComplete="new-password"
              value={password}
              aria-invalid={invalid('password')}
              aria-describedby={describedBy('password')}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button type="button" className="row-button" aria-pressed={showPassword} onClick={() => setShowPassword((v) => !v)}>
              {showPassword ? 'Hide' : 'Show'}
            </button>
          </span>
          {fieldError('password') ?? <span className="field-hint">At least {MIN_PASSWORD_LENGTH} characters.</span>}
        </label>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? 'Adding…' : 'Add staff member'}
        </button>
      </div>
      {error && <ErrorNotice error={error} online testId="staff-create-error" />}
      {createdPerson && (
        <div className="notice notice-success" role="status" data-testid="staff-created">
          <p>
            Added <strong>{createdPerson.displayName}</strong> (username <strong>{createdPerson.username}</strong>) as {createdRole}.
          </p>
          <p>
            They can sign in now on computers that reach the school server, and on the others after their next sync. Give them the first
            password in person.
          </p>
        </div>
      )}
    </form>
  );
}
