import { useState } from 'react';
import type { BackupInfo } from '../../../../shared/domain/backups';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { DataTable, type TableColumn } from '../../lib/DataTable';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDateTime } from '../../lib/time';
import { plural } from '../../lib/words';
import { useCan, useSession } from '../session/store';
import { useSync } from './store';
import type { Backups } from './useBackups';
import { formatAgo, formatBytes, restoredText, scheduleText, unsentText } from './syncText';

const COLUMNS: readonly TableColumn[] = [{ label: 'Taken' }, { label: 'Size', num: true }, { label: 'Unsent changes' }, { label: 'Actions', hidden: true }];

type Done = { kind: 'created'; backup: BackupInfo } | { kind: 'restored'; words: string };

/** Copies of this computer's database: listed, made now, and (administrators) put back. */
export function BackupsSection({ backups }: { backups: Backups }) {
  const { overview, error: listError, reload } = backups;
  const canRestore = useCan('devices.manage');
  const [creating, setCreating] = useState(false);
  const [restoring, setRestoring] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  async function create() {
    if (creating) return;
    setCreating(true);
    setDone(null);
    setError(null);
    try {
      const backup = await api.invoke('backups.create', {});
      setDone({ kind: 'created', backup });
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setCreating(false);
      await Promise.all([reload(), useSync.getState().refresh()]);
    }
  }

  async function restore(backup: BackupInfo) {
    setConfirming(null);
    setRestoring(backup.name);
    setDone(null);
    setError(null);
    let words: string;
    try {
      const result = await api.invoke('backups.restore', { name: backup.name });
      words = restoredText(result);
      setDone({ kind: 'restored', words });
    } catch (err) {
      const problem = toAppError(err);
      words = `The backup was not restored: ${problem.message}`;
      setError(problem);
    } finally {
      setRestoring(null);
    }
    // Core signs everyone out when it reopens on the restored file (its staff rows decide who may
    // sign in): then the outcome is said on the sign-in screen, where this person lands.
    const session = await api.invoke('auth.session', {}).catch(() => null);
    if (session && !session.user) {
      useSession.setState({ session, signedOutReason: `${words} Sign in again to carry on.` });
      return;
    }
    await Promise.all([reload(), useSync.getState().refresh()]);
  }

  const busy = creating || restoring !== null;
  return (
    <section className="backups" aria-labelledby="backups-title" data-testid="backups">
      <div className="backups-head">
        <h3 id="backups-title">Backups of this computer</h3>
        <button type="button" onClick={() => void create()} disabled={busy} data-testid="backup-now">
          {creating ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      <p className="muted">
        A backup is a copy of this computer's own database, changes not yet sent included, kept on this computer
        {overview ? ` in ${overview.folder}` : ''}. {overview ? scheduleText(overview.everyHours, overview.keep) : ''}
      </p>

      {creating && (
        <p className="notice notice-warn" role="status" data-testid="backup-running">
          Making a copy of this computer's database. You can keep working meanwhile.
        </p>
      )}
      {restoring && (
        <p className="notice notice-warn" role="status" data-testid="restore-running">
          Restoring {restoring}…
        </p>
      )}
      {done && <DoneNotice done={done} />}
      {error && <ErrorNotice error={error} testId="backup-error" />}
      {listError && <ErrorNotice error={listError} onRetry={() => void reload()} testId="backups-list-error" />}

      {overview === null ? (
        !listError && <p className="muted">Loading backups…</p>
      ) : overview.rows.length === 0 ? (
        <p className="muted" data-testid="backups-empty">
          No backups yet. Press Back up now to make the first one.
        </p>
      ) : (
        <DataTable columns={COLUMNS} testId="backups-table">
          <tbody>
            {overview.rows.map((b) => (
              <tr key={b.name} data-testid="backup-row" data-name={b.name}>
                <td title={b.name}>
                  {formatDateTime(b.takenAt)} <span className="muted">({formatAgo(b.takenAt)})</span>
                </td>
                <td className="num">{formatBytes(b.bytes)}</td>
                <td>{unsentText(b.pending)}</td>
                <td>
                  {canRestore && (
                    <button type="button" className="danger-outline" onClick={() => setConfirming(b)} disabled={busy} data-testid="backup-restore">
                      Restore…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {!canRestore && overview !== null && overview.rows.length > 0 && (
        <p className="muted" data-testid="restore-needs-admin">
          Restoring a backup replaces this computer's database, so it is for an administrator (someone allowed to manage devices).
        </p>
      )}

      {confirming && <RestoreDialog backup={confirming} onClose={() => setConfirming(null)} onConfirm={() => void restore(confirming)} />}
    </section>
  );
}

function DoneNotice({ done }: { done: Done }) {
  return (
    <div className="notice notice-success" role="status" data-testid="backup-result">
      {done.kind === 'created' ? (
        <p>
          Backed up: {formatBytes(done.backup.bytes)} at {formatDateTime(done.backup.takenAt)}, with {unsentText(done.backup.pending).toLowerCase()}.
        </p>
      ) : (
        <p>{done.words}</p>
      )}
    </div>
  );
}

function RestoreDialog({ backup, onClose, onConfirm }: { backup: BackupInfo; onClose(): void; onConfirm(): void }) {
  const pending = useSync((s) => s.status?.pending ?? 0);
  return (
    <ConfirmDialog
      title="Restore this backup?"
      testId="restore-dialog"
      confirmLabel="Restore backup"
      onConfirm={onConfirm}
      onClose={onClose}
      cancelLabel="Keep the current database"
      confirmTestId="restore-confirm"
      cancelTestId="restore-cancel"
    >
      <p>
        This replaces this computer's database with the copy taken on <strong>{formatDateTime(backup.takenAt)}</strong>.
      </p>
      <ul>
        <li>Nothing the school server already has is lost: this computer syncs again afterwards and gets everything newer.</li>
        <li>Changes made here that have not reached the server yet ({plural(pending, 'change')} now) are kept and sent; none is sent twice.</li>
        <li>Everyone signed in on this computer is signed out; sign in again afterwards.</li>
        <li>It changes nothing on the school server or on other computers.</li>
      </ul>
      <p className="muted">Use it when this computer's records look wrong or damaged. The current database file is replaced.</p>
    </ConfirmDialog>
  );
}
