import { useCallback, useEffect, useRef, useState } from 'react';
import type { RoleView } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { PERMISSION_LABELS, PERMISSIONS, type Permission } from '../../../../shared/domain/permissions';
import { api, toAppError } from '../../api';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { useCan, useSession } from '../session/store';
import { useSync } from '../sync/store';

interface Result {
  ok: boolean;
  text: string;
}

/**
 * One row per permission, one column per role. Anyone signed in can see who may do what;
 * only roles.manage can change it, and never for the administrator role.
 */
export function RolesScreen() {
  const canManage = useCan('roles.manage');
  const lastSyncAt = useSync((s) => s.status?.lastSyncAt);
  const [roles, setRoles] = useState<RoleView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState<Set<string>>(() => new Set());
  const [result, setResult] = useState<Result | null>(null);
  const inFlight = useRef(0);

  const load = useCallback(async () => {
    try {
      const out = await api.invoke('roles.list', {});
      if (inFlight.current === 0) setRoles(out.roles);
      setError(null);
    } catch (err) {
      setError(toAppError(err));
    }
  }, []);

  // Load at start, and again whenever a sync may have brought changes from other computers.
  useEffect(() => {
    void load();
  }, [load, lastSyncAt]);

  async function toggle(role: RoleView, permission: Permission, allowed: boolean) {
    // One change per role at a time, so each update starts from the saved list. (The box is
    // not disabled meanwhile: that would throw keyboard focus out of the table.)
    if (saving.has(role.id)) return;
    const wanted = PERMISSIONS.filter((p) => (p === permission ? allowed : role.permissions.includes(p)));
    const label = PERMISSION_LABELS[permission];
    setSaving((s) => new Set(s).add(role.id));
    setRoles((rs) => rs?.map((r) => (r.id === role.id ? { ...r, permissions: wanted } : r)) ?? rs);
    setResult(null);
    inFlight.current++;
    try {
      const saved = await api.invoke('roles.update', { roleId: role.id, permissions: wanted });
      setRoles((rs) => rs?.map((r) => (r.id === saved.id ? saved : r)) ?? rs);
      setResult({
        ok: true,
        text: `Saved: ${saved.name} ${saved.permissions.includes(permission) ? 'can now' : 'can no longer'} “${label}”. Other computers get the change at their next sync.`,
      });
      // If this was the signed-in person's own role, what they may see changes now.
      void useSession.getState().refreshSession();
      void useSync.getState().refresh();
    } catch (err) {
      const e = toAppError(err);
      setRoles((rs) => rs?.map((r) => (r.id === role.id ? role : r)) ?? rs);
      setResult({ ok: false, text: `Not saved: ${role.name} still ${allowed ? 'cannot' : 'can'} “${label}”. ${e.message}` });
    } finally {
      inFlight.current--;
      setSaving((s) => {
        const n = new Set(s);
        n.delete(role.id);
        return n;
      });
    }
  }

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="roles-title">
        <div className="screen-head">
          <h2 id="roles-title">Roles and permissions</h2>
        </div>
        <p className="muted">
          {canManage
            ? 'Tick a box to let everyone with that role do it; untick to stop them. Changes are saved at once.'
            : 'Who may do what. Your role cannot change this: ask the school administrator.'}
        </p>

        {error && <ErrorNotice error={error} onRetry={() => void load()} />}
        {result && (
          <div className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role={result.ok ? 'status' : 'alert'} data-testid="role-update-result">
            {result.text}
          </div>
        )}

        {roles === null ? (
          !error && <p className="muted">Loading roles…</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table role-matrix" data-testid="role-matrix">
              <thead>
                <tr>
                  <th scope="col">Permission</th>
                  {roles.map((r) => (
                    <th scope="col" key={r.id} className="role-col">
                      {r.name}
                      {!r.editable && (
                        <span className="role-note" data-testid="role-readonly-note">
                          Always allowed everything, so the school can never lock itself out.
                        </span>
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {PERMISSIONS.map((p) => (
                  <tr key={p}>
                    <th scope="row" className="permission-cell">
                      {PERMISSION_LABELS[p]}
                      <span className="permission-key">{p}</span>
                    </th>
                    {roles.map((r) => {
                      return (
                        <td key={r.id} className={`check-cell ${r.editable ? '' : 'is-fixed'}`}>
                          <input
                            type="checkbox"
                            aria-label={`${r.name}: ${PERMISSION_LABELS[p]}`}
                            checked={r.permissions.includes(p)}
                            disabled={!canManage || !r.editable}
                            aria-busy={saving.has(r.id) || undefined}
                            onChange={(e) => void toggle(r, p, e.target.checked)}
                          />
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
