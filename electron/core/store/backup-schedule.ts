import { join } from 'node:path';
import type { BackupInfo, BackupsOverview, RecoveryReport } from '../../../shared/domain/backups.js';
import { BACKUP_FOLDER, listBackupFiles, removePartialBackups } from './backup-files.js';
import { writeBackup } from './backup-write.js';
import { markDamaged } from './damage-marker.js';
import { quickCheck } from './sqlite-worker.js';
import { pendingIn } from './pending-in.js';

export interface BackupSettings {
  /** Hours between scheduled backups (fractions allowed; tests use a few seconds). */
  everyHours?: number;
  /** How many backups are kept. */
  keep?: number;
  /** How long after start the first check for a due backup runs, so the first screens and the
   * first sync get the disk first. */
  firstCheckAfterMs?: number;
  /** false: no timer at all (backups.create still works). */
  scheduled?: boolean;
}

export const DEFAULT_BACKUPS = { everyHours: 4, keep: 10, firstCheckAfterMs: 60_000, scheduled: true } as const;

/** What the status bar shows about backups. */
export interface BackupHealth {
  lastBackupAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

function hhmm(at: Date): string {
  return at.toISOString().slice(11, 16);
}

/**
 * The device's own database backups: one when the newest is older than the interval (checked a
 * minute after start, then every interval), one on request, the newest `keep` kept. A failed
 * backup is reported through `health()` (and so the sync status), never thrown into the void;
 * one whose copy fails its check makes the live database be checked too, and a damaged live
 * database is marked for a rebuild at the next start.
 */
export class BackupSchedule {
  readonly folder: string;
  readonly everyHours: number;
  readonly keep: number;
  readonly #dataDir: string;
  readonly #liveFile: string;
  readonly #settings: Required<BackupSettings>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #health: BackupHealth = { lastBackupAt: null, lastError: null, lastErrorAt: null };
  #stopped = true;

  constructor(dataDir: string, liveFile: string, settings: BackupSettings = {}) {
    this.#settings = { ...DEFAULT_BACKUPS, ...settings };
    this.#dataDir = dataDir;
    this.#liveFile = liveFile;
    this.folder = join(dataDir, BACKUP_FOLDER);
    this.everyHours = this.#settings.everyHours;
    this.keep = this.#settings.keep;
  }

  get #intervalMs(): number {
    return this.everyHours * 3_600_000;
  }

  /** Reads the newest backup's time and, when scheduled, arms the timer. */
  async start(): Promise<void> {
    this.#stopped = false;
    try {
      await removePartialBackups(this.folder);
      this.#health.lastBackupAt = (await listBackupFiles(this.folder))[0]?.takenAt ?? null;
    } catch (err) {
      // The app starts all the same; the scheduled backup will say what is wrong again.
      this.#failed(`The backups folder ${this.folder} cannot be read: ${(err as Error).message}. Your data is unchanged; ask IT to check that folder.`);
    }
    if (this.#settings.scheduled) this.#arm(this.#settings.firstCheckAfterMs, true);
  }

  /** Stops the timer and waits for a backup in progress to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running.catch(() => undefined);
  }

  health(): BackupHealth {
    return { ...this.#health };
  }

  #arm(ms: number, first = false): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(first), ms);
    this.#timer.unref();
  }

  async #tick(first = false): Promise<void> {
    if (this.#stopped) return;
    const last = this.#health.lastBackupAt ? Date.parse(this.#health.lastBackupAt) : 0;
    const due = last + this.#intervalMs - Date.now();
    // A backup checks its copy, which is the live database's content; without one due, the
    // live database is checked once after start all the same.
    if (due <= 0) await this.create().catch(() => undefined);
    else if (first) await this.#run(() => this.#checkLive());
    if (!this.#stopped) this.#arm(due <= 0 ? this.#intervalMs : due);
  }

  async #checkLive(): Promise<void> {
    const check = await quickCheck(this.#liveFile);
    if (!check.ok) this.#failed(await this.#markLiveDamaged(check.problems));
  }

  async #markLiveDamaged(problems: string[]): Promise<string> {
    const reason = `its integrity check found: ${problems.join('; ')}`;
    await markDamaged(this.#dataDir, reason);
    return `This computer's database is damaged (${reason}). Close Schoolhouse and open it again: it will rebuild the database from the server and the last good backup (${this.folder}).`;
  }

  #failed(message: string): void {
    this.#health = { ...this.#health, lastError: message, lastErrorAt: new Date().toISOString() };
  }

  /** One backup or check at a time, in the order asked. */
  #run<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#running.catch(() => undefined).then(work);
    this.#running = run;
    return run;
  }

  /** Takes a backup now (after any in progress). Throws, with words a user can act on, when it fails. */
  create(): Promise<BackupInfo> {
    return this.#run(() => this.#backup());
  }

  async #backup(): Promise<BackupInfo> {
    const now = new Date();
    try {
      const info = await writeBackup(this.#liveFile, this.folder, this.keep, now);
      this.#health = { lastBackupAt: info.takenAt, lastError: null, lastErrorAt: null };
      return info;
    } catch (err) {
      const message = await this.#describeFailure(err as Error, now);
      this.#failed(message);
      throw Object.assign(new Error(message), { cause: err });
    }
  }

  async #describeFailure(err: Error, at: Date): Promise<string> {
    const check = await quickCheck(this.#liveFile);
    if (!check.ok) return this.#markLiveDamaged(check.problems);
    const disk = /ENOSPC|SQLITE_FULL|disk is full/.test(err.message) ? ' The disk is full: free some space.' : '';
    return `The backup at ${hhmm(at)} UTC failed: ${err.message}.${disk} Your data is unchanged; the next backup is tried in ${this.everyHours} hours, or use "Back up now".`;
  }

  /** The backups on disk with this device's settings and last rebuild. */
  async overview(lastRecovery: RecoveryReport | null): Promise<BackupsOverview> {
    const files = await listBackupFiles(this.folder);
    return {
      folder: this.folder,
      everyHours: this.everyHours,
      keep: this.keep,
      rows: files.map((f) => ({ name: f.name, takenAt: f.takenAt, bytes: f.bytes, pending: pendingIn(f.path) })),
      lastRecovery,
    };
  }
}
