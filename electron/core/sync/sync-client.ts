import { ShapeStream, type Message, type Row } from '@electric-sql/client';
import type { LocalStore } from '../store/open-store.js';
import type { Device } from '../store/database.js';
import type { SyncStatus } from '../../../shared/domain/sync-status.js';
import { SHAPE_PATH } from '../../../shared/sync/protocol.js';
import { PROTOCOL_VERSION, PROTOCOL_VERSION_PARAM } from '../../../shared/sync/versions.js';
import { outboxSummary } from '../outbox/outbox.js';
import { withSqlite } from '../store/with-sqlite.js';
import { applyChanges, beginRefetch, finishRefetch, inPulledTransaction, isRefetching } from './apply-changes.js';
import { clearSeenStep, SWEEP_START, sweepStep, type SweepCursor } from './refetch-sweep.js';
import { checkPulled, describeUnknownTables } from './pulled-changes.js';
import { rebuildForProtocolVersion } from './protocol-upgrade.js';
import { pushOnce } from './push.js';
import { recordStoredPage, SnapshotRate } from './snapshot-progress.js';
import { BatchSize } from './batch-size.js';
import { parsePosition, ROWS_TOTAL_HEADER } from '../../../shared/sync/snapshot.js';
import { beginBulkLoad, bulkLoadPending, restoreBulkStep } from '../store/bulk-load.js';
import { settleSome } from '../queries/ledger-positions.js';
import type Sqlite from 'better-sqlite3';
import { describeHttpFailure, describeNetworkFailure, describePullFailure } from './server-errors.js';
import type { BackupHealth } from '../store/backup-schedule.js';

/** One page of the shape as the stream delivered it, with where it leaves the device. */
interface PulledPage {
  refetch: boolean;
  upToDate: boolean;
  handle: string | null;
  offset: string;
  rows: number;
  /** The row count of the snapshot this page belongs to, when known. */
  rowsTotal: number | null;
}

export interface SyncClientOptions {
  fetch?: typeof fetch;
  /** How long the push loop sleeps when the outbox is empty (it is also woken by new work). */
  idlePushIntervalMs?: number;
  /** Backoff bounds while the server is unreachable. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onChange?: () => void;
  /** The sync protocol version this client states; tests set an older one to play an older app. */
  statedVersion?: number;
}

/**
 * Keeps one device in step with the sync server: pushes the outbox in order and pulls the
 * school's change log through the official Electric ShapeStream. Everything it learns is
 * stored in SQLite; the UI only ever reads SQLite, so it behaves the same offline.
 */
export class SyncClient {
  readonly #store: LocalStore;
  readonly #device: Device;
  readonly #fetch: typeof fetch;
  readonly #opts: Required<Omit<SyncClientOptions, 'fetch' | 'onChange'>> & Pick<SyncClientOptions, 'onChange'>;
  #running = false;
  #online = false;
  #lastError: string | null = null;
  #lastErrorAt: string | null = null;
  #wake: (() => void) | null = null;
  #pushLoop: Promise<void> | null = null;
  #pushing: Promise<unknown> | null = null;
  #pull: { stream: ShapeStream<Row<unknown>>; abort: AbortController; unsubscribe: () => void } | null = null;
  #fatal = false;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #applying: Promise<void> = Promise.resolve();
  /** The row count of the latest snapshot's opening response (offset -1). */
  #rowsTotal: number | null = null;
  readonly #rate = new SnapshotRate();
  readonly #batch = new BatchSize();

  constructor(store: LocalStore, device: Device, options: SyncClientOptions = {}) {
    this.#store = store;
    this.#device = device;
    this.#fetch = options.fetch ?? fetch;
    this.#opts = {
      idlePushIntervalMs: options.idlePushIntervalMs ?? 5_000,
      minBackoffMs: options.minBackoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      onChange: options.onChange,
      statedVersion: options.statedVersion ?? PROTOCOL_VERSION,
    };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#fatal = false;
    this.#pushLoop = this.#runPushLoop();
    void this.#startPull();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#restartTimer);
    this.#wake?.();
    this.#stopPull();
    await this.#pushLoop;
    await this.#pushing;
    await this.#applying;
  }

  /** Wakes the push loop at once (after a command appended to the outbox). */
  kick(): void {
    this.#wake?.();
  }

  /** Pushes everything pending now and reports the resulting status. */
  async syncNow(): Promise<SyncStatus> {
    await this.#pushAll();
    return this.status();
  }

  /** Where status() reads the last backup and a failed backup's error from (set by core). */
  backupHealth: (() => BackupHealth) | null = null;

  async status(): Promise<SyncStatus> {
    const backup = this.backupHealth?.();
    const { pending, oldestPendingAt } = await outboxSummary(this.#store.db);
    const [state, attention] = await Promise.all([
      this.#store.db
        .selectFrom('sync_state')
        .select(['last_sync_at', 'snapshot_phase', 'snapshot_rows_total', 'snapshot_rows_done', 'snapshot_started_at'])
        .where('id', '=', 1)
        .executeTakeFirstOrThrow(),
      this.#store.db.selectFrom('needs_attention').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      online: this.#online,
      pending,
      oldestPendingAt,
      lastSyncAt: state.last_sync_at,
      lastError: this.#lastError ?? backup?.lastError ?? null,
      lastErrorAt: this.#lastError ? this.#lastErrorAt : (backup?.lastErrorAt ?? null),
      needsAttention: Number(attention.n),
      initialSync: this.#rate.progress(state, Date.now()),
      lastBackupAt: backup?.lastBackupAt ?? null,
    };
  }

  #setOnline(online: boolean, error: string | null): void {
    const changed = online !== this.#online || error !== this.#lastError;
    if (error !== this.#lastError) this.#lastErrorAt = error === null ? null : new Date().toISOString();
    this.#online = online;
    this.#lastError = error;
    if (changed) this.#opts.onChange?.();
  }

  async #markSynced(): Promise<void> {
    await this.#store.db.updateTable('sync_state').set({ last_sync_at: new Date().toISOString() }).where('id', '=', 1).execute();
  }

  // ---- push ---------------------------------------------------------------------------------

  /** One push pass at a time: the loop and "sync now" share it, so the outbox is never sent twice in parallel. */
  #pushAll(): Promise<boolean> {
    if (!this.#pushing) {
      this.#pushing = this.#drainOutbox().finally(() => {
        this.#pushing = null;
      });
    }
    return this.#pushing as Promise<boolean>;
  }

  /** Returns false when the server could not be reached or refused the batch. */
  async #drainOutbox(): Promise<boolean> {
    const url = this.#device.server_url;
    for (;;) {
      const outcome = await pushOnce(this.#store, url, this.#device.token, this.#fetch);
      switch (outcome.kind) {
        case 'idle':
          return true;
        case 'pushed':
          this.#setOnline(true, null);
          await this.#markSynced();
          this.#opts.onChange?.();
          continue;
        case 'network':
          this.#setOnline(false, describeNetworkFailure(url, outcome.error));
          return false;
        case 'http':
          if (outcome.response.status === 401) this.#fatal = true;
          this.#setOnline(outcome.response.status < 500, await describeHttpFailure(outcome.response));
          return false;
        case 'bad-reply':
          this.#setOnline(true, outcome.reason);
          return false;
      }
    }
  }

  async #runPushLoop(): Promise<void> {
    let backoff = this.#opts.minBackoffMs;
    while (this.#running && !this.#fatal) {
      const ok = await this.#pushAll().catch((err: unknown) => {
        this.#setOnline(this.#online, `Sync stopped by an unexpected error: ${(err as Error).message}`);
        return false;
      });
      const wait = ok ? this.#opts.idlePushIntervalMs : backoff;
      backoff = ok ? this.#opts.minBackoffMs : Math.min(backoff * 2, this.#opts.maxBackoffMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  // ---- pull ---------------------------------------------------------------------------------

  /** A fetch that tells the status bar whether the server answered. */
  #trackingFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // A stopped client opens no new connection, whatever the stream's own retry logic wants.
    if (!this.#pull || init?.signal?.aborted) throw new DOMException('Sync stopped', 'AbortError');
    try {
      const res = await this.#fetch(input, init);
      if (res.ok) this.#noteRowsTotal(input, res);
      if (res.status === 401) {
        this.#fatal = true;
        this.#setOnline(true, await describeHttpFailure(res.clone()));
      } else if (res.ok || res.status === 409) {
        if (!this.#online) this.kick();
        this.#setOnline(true, this.#online ? this.#lastError : null);
      }
      return res;
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.#setOnline(false, describeNetworkFailure(this.#device.server_url, err));
      throw err;
    }
  };

  /** The count a snapshot's opening response (offset -1) carries, for its progress bar. */
  #noteRowsTotal(input: RequestInfo | URL, res: Response): void {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.searchParams.get('offset') !== '-1') return;
    const total = Number(res.headers.get(ROWS_TOTAL_HEADER));
    this.#rowsTotal = res.headers.has(ROWS_TOTAL_HEADER) && Number.isSafeInteger(total) && total >= 0 ? total : null;
  }

  async #startPull(): Promise<void> {
    if (!this.#running) return;
    await withSqlite(this.#store, (sqlite) => rebuildForProtocolVersion(sqlite, this.#opts.statedVersion));
    const state = await this.#store.db.selectFrom('sync_state').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    if (!this.#running || this.#pull) return;
    const abort = new AbortController();
    this.#rate.restart(Date.now());
    const resume = state.shape_handle && state.shape_offset ? { handle: state.shape_handle, offset: state.shape_offset as `${number}_${number}` } : { offset: '-1' as const };
    const stream = new ShapeStream<Row<unknown>>({
      url: new URL(SHAPE_PATH, this.#device.server_url).toString(),
      ...resume,
      headers: { authorization: `Bearer ${this.#device.token}` },
      params: { [PROTOCOL_VERSION_PARAM]: String(this.#opts.statedVersion) },
      parser: { int8: (v: string) => Number(v) },
      fetchClient: this.#trackingFetch,
      signal: abort.signal,
      backoffOptions: { initialDelay: this.#opts.minBackoffMs, maxDelay: this.#opts.maxBackoffMs, multiplier: 2 },
      onError: (err) => {
        if (this.#fatal || !this.#running) return;
        this.#setOnline(this.#online, describePullFailure(err));
        return {};
      },
    });
    const unsubscribe = stream.subscribe((messages) => this.#queuePulled(stream, messages), () => undefined);
    this.#pull = { stream, abort, unsubscribe };
  }

  #stopPull(): void {
    if (!this.#pull) return;
    this.#pull.unsubscribe();
    this.#pull.abort.abort();
    this.#pull = null;
  }

  /**
   * Takes one page from the stream and stores it after the pages before it. The stream waits
   * only for the page before this one, so the server reads and the client parses the next page
   * while this one is stored (one page ahead at most). The page's handle, offset and row count
   * are taken now, when the stream has just moved to them.
   */
  #queuePulled(stream: ShapeStream<Row<unknown>>, messages: Message<Row<unknown>>[]): Promise<void> {
    const refetch = messages.some((m) => 'control' in m.headers && m.headers.control === 'must-refetch');
    const upToDate = messages.some((m) => 'control' in m.headers && m.headers.control === 'up-to-date');
    const values = messages.flatMap((m) => ('key' in m ? [m.value] : []));
    const page: PulledPage = { refetch, upToDate, handle: stream.shapeHandle ?? null, offset: stream.lastOffset, rows: values.length, rowsTotal: this.#rowsTotal };
    const before = this.#applying;
    // A page queued behind one that failed belongs to the stopped stream: it must not move the offset past the failed rows.
    this.#applying = before.then(() => (this.#pull?.stream === stream ? this.#applyPulled(page, values) : undefined));
    return before;
  }

  /** Never throws: the Electric client rethrows subscriber errors as uncaught exceptions. */
  async #applyPulled(page: PulledPage, values: unknown[]): Promise<void> {
    if (!this.#running) return;
    try {
      const { refetch, upToDate } = page;
      // A rebuild's last page stores its rows first, then sweeps what the snapshot did not bring
      // (in steps), and only then moves the offset and ends the rebuild in one transaction.
      const rebuilding = upToDate && (await withSqlite(this.#store, isRefetching));
      const unknownTables = new Set<string>();
      // A big page goes in as several short transactions (BatchSize) with a pause between them,
      // so the app's own reads and writes never wait long. The offset moves only with the last
      // one: a page cut short (a stop, a crash) comes again, and its rows are upserted again.
      for (let start = 0; ; ) {
        const end = start + this.#batch.rows;
        const last = end >= values.length;
        const began = performance.now();
        const { changes, unknownTables: unknown } = checkPulled(values.slice(start, end));
        const checkMs = performance.now() - began;
        for (const t of unknown) unknownTables.add(t);
        // A first sync stores each phase in bulk (store/bulk-load.ts); the page that ends a phase
        // puts its indexes, search and derived-table triggers back, in steps, before it is stored
        // (as usable after phase 1, as up to date after phase 2).
        const kind = parsePosition(page.offset)?.kind;
        const loading = kind === 'current' || kind === 'history' ? kind : null;
        if (last && (await withSqlite(this.#store, (sqlite) => bulkLoadPending(sqlite, loading)))) {
          if (!(await this.#inSteps((sqlite) => ({ more: restoreBulkStep(sqlite, loading), rows: 0 })))) return;
          // The rebuilt balances leave every student unsettled; settle them now, in steps, so the
          // bursar's first dashboard does not settle the whole school while they wait.
          if (loading === null && !(await this.#inSteps((sqlite, rows) => {
            const settled = settleSome(sqlite, rows);
            return { more: settled > 0, rows: settled };
          }))) return;
        }
        const writeMs = await withSqlite(this.#store, (sqlite) => {
          const writing = performance.now();
          inPulledTransaction(sqlite, () => {
            if (refetch && start === 0) beginRefetch(sqlite);
            if (loading && start === 0) beginBulkLoad(sqlite, loading);
            applyChanges(sqlite, changes);
            if (last && !rebuilding) this.#storePage(sqlite, page);
          });
          return performance.now() - writing;
        });
        this.#batch.took(Math.min(end, values.length) - start, checkMs + writeMs);
        if (last) break;
        start = end;
        await new Promise((resolve) => setImmediate(resolve));
        if (!this.#running) return;
      }
      if (rebuilding) {
        if (!(await this.#sweepRebuild())) return;
        await withSqlite(this.#store, (sqlite) => inPulledTransaction(sqlite, () => this.#storePage(sqlite, page)));
        const cleared = await this.#inSteps((sqlite, rows) => {
          const removed = clearSeenStep(sqlite, rows);
          return { more: removed > 0, rows: removed };
        });
        if (!cleared) return;
      }
      if (refetch) this.#rate.restart(Date.now());
      this.#rate.stored(values.length);
      if (unknownTables.size > 0) this.#setOnline(this.#online, describeUnknownTables([...unknownTables]));
      if (values.length > 0 || upToDate) this.#opts.onChange?.();
    } catch (err) {
      // The stored offset did not move (rows of this page already stored are upserted again):
      // start the stream again from the last good offset after a pause, rather than skip what it brought.
      this.#setOnline(this.#online, (err as Error).message);
      this.#stopPull();
      if (this.#running) this.#restartTimer = setTimeout(() => void this.#startPull(), this.#opts.maxBackoffMs);
    }
  }

  /** Drops the rows a finished rebuild did not bring, a short step at a time. False when sync stopped before the end. */
  #sweepRebuild(): Promise<boolean> {
    let cursor: SweepCursor | null = SWEEP_START;
    return this.#inSteps((sqlite, rows) => {
      const step = sweepStep(sqlite, cursor!, rows);
      cursor = step.next;
      return { more: cursor !== null, rows: step.examined };
    });
  }

  /** Runs `step` in short transactions (sized by their time) with a pause between, until it says it is done. */
  async #inSteps(step: (sqlite: Sqlite.Database, rows: number) => { more: boolean; rows: number }): Promise<boolean> {
    const size = new BatchSize();
    for (;;) {
      const { more, rows, ms } = await withSqlite(this.#store, (sqlite) => {
        const began = performance.now();
        let result = { more: false, rows: 0 };
        inPulledTransaction(sqlite, () => (result = step(sqlite, size.rows)));
        return { ...result, ms: performance.now() - began };
      });
      size.took(rows, ms);
      if (!more) return true;
      await new Promise((resolve) => setImmediate(resolve));
      if (!this.#running) return false;
    }
  }

  /** Ends a page's last transaction: the rebuild's sweep at up-to-date, the snapshot's progress and {handle, offset}. */
  #storePage(sqlite: Sqlite.Database, page: PulledPage): void {
    const now = new Date().toISOString();
    const offsetBefore = sqlite.prepare('select shape_offset from sync_state where id = 1').pluck().get() as string | null;
    if (page.upToDate) finishRefetch(sqlite);
    recordStoredPage(sqlite, { offsetBefore, offsetAfter: page.offset, rows: page.rows, refetch: page.refetch, upToDate: page.upToDate, rowsTotal: page.rowsTotal, now });
    sqlite
      .prepare('update sync_state set shape_handle = ?, shape_offset = ?, last_sync_at = coalesce(?, last_sync_at) where id = 1')
      .run(page.refetch ? null : page.handle, page.refetch ? null : page.offset, page.upToDate ? now : null);
  }
}
