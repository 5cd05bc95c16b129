// Real devices (core on real SQLite files in temp folders) enrolled with a real sync server,
// for the integration tests that exercise both sides.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore, type Core } from '../../electron/core/open-core.js';
import type { SyncClientOptions } from '../../electron/core/sync/sync-client.js';

/** Sync timings short enough for tests. */
export const FAST_SYNC: SyncClientOptions = { minBackoffMs: 100, maxBackoffMs: 400, idlePushIntervalMs: 200 };

/** Calls a core method, returning its value or throwing an Error that carries the AppError code. */
export async function call<T>(core: Core, method: string, input: unknown = {}): Promise<T> {
  const reply = await core.dispatch(method, input);
  if (!reply.ok) throw Object.assign(new Error(`${method}: ${reply.error.message}`), { code: reply.error.code });
  return reply.value as T;
}

export class Fleet {
  readonly #open: { core: Core; dir: string }[] = [];

  constructor(private readonly server: () => { url: string; demoEnrolmentCode: string | null }) {}

  async enrol(name: string, options: { code?: string; fetch?: typeof fetch; startSync?: boolean } = {}): Promise<Core> {
    const dir = mkdtempSync(join(tmpdir(), 'schoolhouse-fleet-'));
    const { url, demoEnrolmentCode } = this.server();
    try {
      const core = await openCore({
        dataDir: dir,
        enrol: { serverUrl: url, enrolmentCode: options.code ?? demoEnrolmentCode!, deviceName: name },
        sync: { ...FAST_SYNC, ...(options.fetch ? { fetch: options.fetch } : {}) },
        startSync: options.startSync ?? true,
      });
      this.#open.push({ core, dir });
      return core;
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The folder a device of this fleet keeps its database in. */
  dirOf(core: Core): string {
    const open = this.#open.find((o) => o.core === core);
    if (!open) throw new Error('not a device of this fleet');
    return open.dir;
  }

  /** Takes over a device reopened from another folder (after a simulated crash); the old one is
   * closed and its folder removed. */
  async replace(old: Core, core: Core, dir: string): Promise<void> {
    const i = this.#open.findIndex((o) => o.core === old);
    if (i < 0) throw new Error('not a device of this fleet');
    const [gone] = this.#open.splice(i, 1, { core, dir });
    await gone!.core.close();
    rmSync(gone!.dir, { recursive: true, force: true });
  }

  async closeAll(): Promise<void> {
    for (const { core, dir } of this.#open.splice(0)) {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
