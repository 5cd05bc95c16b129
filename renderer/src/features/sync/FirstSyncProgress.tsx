import type { InitialSyncProgress } from '../../../../shared/domain/sync-status';
import { formatClock } from '../../lib/time';
import { percentDone, phaseText, progressLine, progressTotal } from './syncText';

/** A first sync or rebuild streaming in: the bar, rows and time left, and what can be done meanwhile. */
export function FirstSyncProgress({ progress }: { progress: InitialSyncProgress }) {
  const percent = percentDone(progress.rowsDone, progressTotal(progress));
  const line = progressLine(progress);
  return (
    <div className={`first-sync is-${progress.phase}`} data-testid="first-sync">
      <h3>{progress.phase === 'current' ? "Getting the school's records" : 'Getting older history'}</h3>
      <div
        className="first-sync-bar"
        role="progressbar"
        aria-label="First sync"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={line}
        data-testid="first-sync-bar"
      >
        <span className="first-sync-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="first-sync-line" data-testid="first-sync-line">
        {line}
      </p>
      <p className="first-sync-phase" data-testid="first-sync-phase">
        {phaseText(progress.phase)}
      </p>
      <p className="muted">Started at {formatClock(progress.startedAt)}. If the connection drops, it carries on from where it was.</p>
    </div>
  );
}
