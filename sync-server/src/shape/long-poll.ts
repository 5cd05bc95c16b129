import type { ChangeNotifier } from '../changes/notifier.js';
import type { LogRow } from './read-changes.js';

export type LongPollResult = { kind: 'rows'; rows: LogRow[] } | { kind: 'refetch'; handle: string };

export interface LongPollOptions {
  notifier: ChangeNotifier;
  tenantId: string;
  timeoutMs: number;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** What is new for this request; empty when nothing is. */
  read(): Promise<LogRow[]>;
  /** Runs on every wake-up and at the timeout: throws when the device may no longer sync (so a
   * revoked device gets its 401 at once), returns the shape's new handle when it changed, else null. */
  recheck(): Promise<string | null>;
}

/**
 * The live branch of a shape request: answers as soon as there is something new for the device;
 * otherwise waits for a change notification and reads again. A wake-up that finds nothing new
 * (another device's revocation, a wake coalesced with changes this device already read, the
 * wake-all after LISTEN reconnects) does not end the request: it keeps waiting until its own
 * timeout, so an up-to-date device is never sent an early empty answer.
 */
export async function longPoll(o: LongPollOptions): Promise<LongPollResult> {
  const deadline = Date.now() + o.timeoutMs;
  for (let woken = false; ; woken = true) {
    // Subscribe before reading, so a change committed in between still wakes this request.
    const subscription = o.notifier.subscribe(o.tenantId, Math.max(0, deadline - Date.now()), o.signal);
    let found: LongPollResult | null;
    try {
      found = await (woken ? recheckThenRead(o) : readNew(o));
    } catch (e) {
      subscription.cancel();
      throw e;
    }
    if (found) {
      subscription.cancel();
      return found;
    }
    const outcome = await subscription.wait;
    if (outcome === 'changed') continue;
    if (outcome === 'timeout') {
      const handle = await o.recheck();
      if (handle !== null) return { kind: 'refetch', handle };
    }
    return { kind: 'rows', rows: [] };
  }
}

async function readNew(o: LongPollOptions): Promise<LongPollResult | null> {
  const rows = await o.read();
  return rows.length > 0 ? { kind: 'rows', rows } : null;
}

async function recheckThenRead(o: LongPollOptions): Promise<LongPollResult | null> {
  const handle = await o.recheck();
  return handle !== null ? { kind: 'refetch', handle } : readNew(o);
}
