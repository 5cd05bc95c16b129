import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../../shared/api/errors';
import type { DeviceProfile } from '../../../../shared/domain/permissions';
import type { DeviceSummary, EnrolmentCode } from '../../../../shared/sync/protocol';
import { api, toAppError } from '../../api';
import { ConfirmDialog } from '../../lib/ConfirmDialog';
import { ErrorNotice } from '../../lib/ErrorNotice';
import { formatDateTime, formatFromNow } from '../../lib/time';
import { DataTable, type TableColumn } from '../../lib/DataTable';

const DEVICE_COLUMNS: readonly TableColumn[] = [{ label: 'Name' }, { label: 'Profile' }, { label: 'Receipt series' }, { label: 'Enrolled' }, { label: 'Status' }, { label: 'Actions', hidden: true }];

export const PROFILE_LABEL: Record<DeviceProfile, string> = {
  office: 'Office',
  teacher_room: 'Teacher room',
};

const PROFILE_HINT: Record<DeviceProfile, string> = {
  office: 'Gets everything the signed-in person may see, fees and payments included.',
  teacher_room: 'Gets no fees or payments, whoever signs in on it.',
};

/** Enrol and revoke computers. Online only: asks the school server directly. */
export function DevicesScreen() {
  const [devices, setDevices] = useState<DeviceSummary[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [confirming, setConfirming] = useState<DeviceSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const out = await api.invoke('devices.list', {});
      setDevices(out.devices);
      setError(null);
    } catch (err) {
      setError(toAppError(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <main className="app-main app-main-single screen">
      <section className="screen-panel" aria-labelledby="devices-title">
        <div className="screen-head">
          <h2 id="devices-title">Devices</h2>
          <button type="button" onClick={() => void load()} disabled={loading}>
            Refresh
          </button>
        </div>
        <p className="muted">The computers that sync with the school server. This screen needs a connection to the school server.</p>

        {error && <ErrorNotice error={error} online onRetry={() => void load()} testId="devices-error" />}

        <EnrolmentPanel onCreated={() => void load()} />

        <h3>Enrolled devices</h3>
        {notice && (
          <div className="notice notice-success" role="status" data-testid="revoke-result">
            {notice}
          </div>
        )}
        {devices === null ? (
          !error && <p className="muted">Loading devices…</p>
        ) : devices.length === 0 ? (
          <p className="muted">No devices enrolled yet.</p>
        ) : (
          <DataTable columns={DEVICE_COLUMNS} testId="devices-table">
            <tbody>
              {devices.map((d) => (
                <tr key={d.id} data-testid="device-row" className={d.revokedAt ? 'is-revoked' : ''}>
                  <td>{d.name}</td>
                  <td>{PROFILE_LABEL[d.profile]}</td>
                  <td className="receipt-no">{d.receiptSeries}</td>
                  <td className="nowrap">{formatDateTime(d.enrolledAt)}</td>
                  <td>
                    {d.revokedAt ? (
                      <span className="badge badge-revoked" title={`Revoked ${formatDateTime(d.revokedAt)}`}>
                        revoked
                      </span>
                    ) : (
                      <span className="badge badge-active">active</span>
                    )}
                    {d.revokedAt && <span className="sub">{formatDateTime(d.revokedAt)}</span>}
                  </td>
                  <td className="actions">
                    {!d.revokedAt && (
                      <button type="button" className="danger-outline" onClick={() => setConfirming(d)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </section>

      {confirming && (
        <RevokeDialog
          device={confirming}
          onClose={() => setConfirming(null)}
          onRevoked={(d) => {
            setConfirming(null);
            setDevices((ds) => ds?.map((x) => (x.id === d.id ? d : x)) ?? ds);
            setNotice(`${d.name} is revoked. It can no longer sync; anything it had not yet sent stays on that computer.`);
          }}
        />
      )}
    </main>
  );
}

function RevokeDialog({ device, onClose, onRevoked }: { device: DeviceSummary; onClose(): void; onRevoked(d: DeviceSummary): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function revoke() {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onRevoked(await api.invoke('devices.revoke', { deviceId: device.id }));
    } catch (err) {
      setError(toAppError(err));
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={`Revoke ${device.name}?`}
      testId="revoke-dialog"
      confirmLabel={busy ? 'Revoking…' : 'Revoke device'}
      onConfirm={() => void revoke()}
      onClose={onClose}
      busy={busy}
    >
      <p>
        <strong>{device.name}</strong> ({PROFILE_LABEL[device.profile]}, receipt series {device.receiptSeries}) stops syncing at once: the
        school server refuses it from now on, and it no longer receives changes.
      </p>
      <p className="muted">
        Changes made on it that have not been sent yet stay on that computer. Use this for a lost, stolen or retired computer. To use it
        again it has to be enrolled afresh with a new code.
      </p>
      {error && <ErrorNotice error={error} online />}
    </ConfirmDialog>
  );
}

function EnrolmentPanel({ onCreated }: { onCreated(): void }) {
  const [code, setCode] = useState<EnrolmentCode | null>(null);
  const [busy, setBusy] = useState<DeviceProfile | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [lastProfile, setLastProfile] = useState<DeviceProfile>('office');

  async function create(profile: DeviceProfile) {
    if (busy) return;
    setBusy(profile);
    setLastProfile(profile);
    setError(null);
    try {
      setCode(await api.invoke('devices.createEnrolmentCode', { profile }));
      onCreated();
    } catch (err) {
      setCode(null);
      setError(toAppError(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="enrolment">
      <h3>Add a computer</h3>
      <div className="enrolment-actions">
        {(['office', 'teacher_room'] as const).map((p) => (
          <div key={p} className="enrolment-choice">
            <button type="button" onClick={() => void create(p)} disabled={busy !== null} data-testid={`new-code-${p}`}>
              {busy === p ? 'Creating…' : `New enrolment code: ${PROFILE_LABEL[p].toLowerCase()}`}
            </button>
            <span className="field-hint">{PROFILE_HINT[p]}</span>
          </div>
        ))}
      </div>
      {error && <ErrorNotice error={error} online onRetry={() => void create(lastProfile)} testId="enrolment-error" />}
      {code && (
        <div className="enrolment-result" role="status">
          <p className="muted">Enrolment code for a new {PROFILE_LABEL[code.profile].toLowerCase()} computer:</p>
          <p className="enrolment-code" data-testid="enrolment-code">
            {code.code}
          </p>
          <p>
            Valid until <strong data-testid="enrolment-expiry">{formatDateTime(code.expiresAt)}</strong> ({formatFromNow(code.expiresAt)}), and
            for one computer only.
          </p>
          <ol className="enrolment-steps">
            <li>Install Schoolhouse on the new computer.</li>
            <li>
              Start it the first time with the school server address and this code (your IT support sets them as{' '}
              <code>SCHOOLHOUSE_SERVER_URL</code> and <code>SCHOOLHOUSE_ENROLMENT_CODE</code>).
            </li>
            <li>Wait for the first sync to finish, then sign in with a staff account.</li>
          </ol>
          <p className="field-hint">If the code runs out first, make a new one here. Codes are never shown again after you leave this screen.</p>
        </div>
      )}
    </div>
  );
}
