import type Sqlite from 'better-sqlite3';
import type { InitialSyncProgress } from '../../../shared/domain/sync-status.js';
import { parsePosition } from '../../../shared/sync/snapshot.js';

/** One page of the shape as stored, described for the snapshot's progress. */
export interface StoredPage {
  /** The offset stored before this page: null on a first sync or after a must-refetch. */
  offsetBefore: string | null;
  /** The offset this page ends on (what the device holds now). */
  offsetAfter: string;
  rows: number;
  refetch: boolean;
  upToDate: boolean;
  /** The server's count from the offset -1 response, when it sent one. */
  rowsTotal: number | null;
  now: string;
}

/**
 * Keeps the snapshot's progress in sync_state, in the page's own transaction, so it is exactly
 * as far as the rows are, across restarts. A snapshot starts with the first page stored from no
 * offset and ends at up-to-date. Its phase comes from the offset (shared/sync/snapshot.ts):
 * ending on a phase-1 offset means current records are still coming; anything after means
 * they are all in and the app is usable, and that moment counts as a sync (screens re-read).
 */
export function recordStoredPage(sqlite: Sqlite.Database, page: StoredPage): void {
  if (page.refetch || page.upToDate) {
    sqlite.prepare('update sync_state set snapshot_phase = null, snapshot_rows_total = 0, snapshot_rows_done = 0, snapshot_started_at = null where id = 1').run();
    return;
  }
  const phase = parsePosition(page.offsetAfter)?.kind === 'current' ? 'current' : 'history';
  if (page.offsetBefore === null) {
    sqlite
      .prepare('update sync_state set snapshot_phase = ?, snapshot_rows_total = ?, snapshot_rows_done = ?, snapshot_started_at = ? where id = 1')
      .run(phase, page.rowsTotal ?? 0, page.rows, page.now);
  } else {
    sqlite
      .prepare(
        `update sync_state set snapshot_rows_done = snapshot_rows_done + ?, snapshot_phase = ?,
           last_sync_at = case when snapshot_phase = 'current' and ? = 'history' then ? else last_sync_at end
         where id = 1 and snapshot_phase is not null`,
      )
      .run(page.rows, phase, phase, page.now);
  }
}

export interface StoredProgress {
  snapshot_phase: 'current' | 'history' | null;
  snapshot_rows_total: number;
  snapshot_rows_done: number;
  snapshot_started_at: string | null;
}

/** The rate of this run (rows stored per second since the pull started in this process), for the
 * time left: a restart measures afresh rather than averaging over the time the app was closed. */
export class SnapshotRate {
  #since = 0;
  #rows = 0;

  /** The pull (re)starts, or a rebuild begins. */
  restart(nowMs: number): void {
    this.#since = nowMs;
    this.#rows = 0;
  }

  stored(rows: number): void {
    this.#rows += rows;
  }

  progress(stored: StoredProgress, nowMs: number): InitialSyncProgress | null {
    const { snapshot_phase: phase, snapshot_rows_done: done, snapshot_started_at: startedAt } = stored;
    if (phase === null || startedAt === null) return null;
    // Rows changed during the snapshot are sent again, so the count taken at its start can be passed.
    const total = Math.max(stored.snapshot_rows_total, done);
    const seconds = (nowMs - this.#since) / 1000;
    const rate = seconds > 0 ? this.#rows / seconds : 0;
    return { phase, rowsDone: done, rowsTotal: total, startedAt, secondsLeft: rate > 0 ? Math.round((total - done) / rate) : null };
  }
}
