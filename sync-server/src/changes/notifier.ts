import type { ServerDb, Unlisten } from '../db/connect.js';
import { CHANGES_CHANNEL } from './append.js';

export type WaitOutcome = 'changed' | 'timeout' | 'aborted' | 'closing';

/** Wake-ups per tenant: the first at once, then at most one per window while notifications keep
 * coming (see docs/decisions.md, "Live updates: waking long-polls"). */
export const WAKE_WINDOW_MS = 100;

interface Waiter {
  finish(outcome: WaitOutcome): void;
}

/** One LISTEN per process, fanned out to the long-polls waiting on each tenant. */
export class ChangeNotifier {
  readonly #waiters = new Map<string, Set<Waiter>>();
  /** Tenants woken within the current window; `pending`: another notification came during it. */
  readonly #windows = new Map<string, { pending: boolean; timer: NodeJS.Timeout }>();
  #unlisten: Unlisten | undefined;
  #closed = false;

  static async start(db: ServerDb): Promise<ChangeNotifier> {
    const notifier = new ChangeNotifier();
    notifier.#unlisten = await db.listen(
      CHANGES_CHANNEL,
      (tenantId) => notifier.#changed(tenantId),
      // Changes committed while LISTEN was down sent no notification that reached us: every
      // waiting long-poll re-reads once.
      () => {
        for (const tenantId of [...notifier.#waiters.keys()]) notifier.#changed(tenantId);
      },
    );
    return notifier;
  }

  /** Registers a waiter now (before the caller re-reads), so a change committed between the
   * read and the wait still wakes it. Call `wait` to get the outcome, `cancel` if not needed. */
  subscribe(tenantId: string, timeoutMs: number, signal: AbortSignal): { wait: Promise<WaitOutcome>; cancel(): void } {
    let settle!: (o: WaitOutcome) => void;
    const wait = new Promise<WaitOutcome>((resolve) => (settle = resolve));
    if (this.#closed) {
      settle('closing');
      return { wait, cancel: () => undefined };
    }
    const set = this.#waiters.get(tenantId) ?? new Set<Waiter>();
    this.#waiters.set(tenantId, set);
    const onAbort = () => waiter.finish('aborted');
    const timer = setTimeout(() => waiter.finish('timeout'), timeoutMs);
    const waiter: Waiter = {
      finish: (outcome) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        set.delete(waiter);
        if (set.size === 0 && this.#waiters.get(tenantId) === set) this.#waiters.delete(tenantId);
        settle(outcome);
      },
    };
    set.add(waiter);
    if (signal.aborted) waiter.finish('aborted');
    else signal.addEventListener('abort', onAbort, { once: true });
    return { wait, cancel: () => waiter.finish('aborted') };
  }

  /** Number of long-polls currently waiting (for tests and metrics). */
  get waiting(): number {
    let n = 0;
    for (const set of this.#waiters.values()) n += set.size;
    return n;
  }

  /** Wakes the tenant's waiters now unless they were woken within the window; then once more at
   * the window's end if further notifications came in meanwhile. */
  #changed(tenantId: string): void {
    if (this.#closed) return;
    const window = this.#windows.get(tenantId);
    if (window) {
      window.pending = true;
      return;
    }
    this.#wake(tenantId, 'changed');
    const timer = setTimeout(() => {
      const ended = this.#windows.get(tenantId);
      this.#windows.delete(tenantId);
      if (ended?.pending) this.#changed(tenantId);
    }, WAKE_WINDOW_MS);
    this.#windows.set(tenantId, { pending: false, timer });
  }

  #wake(tenantId: string, outcome: WaitOutcome): void {
    for (const waiter of [...(this.#waiters.get(tenantId) ?? [])]) waiter.finish(outcome);
  }

  /** Answers every waiting long-poll and stops listening, so the HTTP server can close at once. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const { timer } of this.#windows.values()) clearTimeout(timer);
    this.#windows.clear();
    for (const tenantId of [...this.#waiters.keys()]) this.#wake(tenantId, 'closing');
    await this.#unlisten?.();
    this.#unlisten = undefined;
  }
}
