// A device's network as a property test wants it: seeded faults on every push and shape request.
// A push may be dropped before it leaves, delayed, sent twice (the copy at once or later), handled
// by the server with its answer lost, or held back and delivered after the device's next push
// (reordered); a shape request may be delayed or lose its answer. `offline` cuts the device off
// entirely (a partition). Other requests (sign-in, enrolment) pass unharmed unless offline.
import { PUSH_PATH, SHAPE_PATH, type MutationEnvelope } from '../../shared/sync/protocol.js';

export const PUSH_FAULTS = ['none', 'drop', 'delay', 'twice-now', 'twice-later', 'lose-answer', 'hold'] as const;
export type PushFault = (typeof PUSH_FAULTS)[number];
export const SHAPE_FAULTS = ['none', 'delay', 'lose-answer'] as const;
export type ShapeFault = (typeof SHAPE_FAULTS)[number];

/** How often each fault is chosen (out of the weights' sum). */
const PUSH_WEIGHTS: Record<PushFault, number> = { none: 30, drop: 10, delay: 12, 'twice-now': 10, 'twice-later': 10, 'lose-answer': 15, hold: 13 };
const SHAPE_WEIGHTS: Record<ShapeFault, number> = { none: 80, delay: 10, 'lose-answer': 10 };

/** Counts of what the networks did, shared by all devices of a test. */
export interface FaultCounts {
  push: Record<PushFault | 'released', number>;
  shape: Record<ShapeFault, number>;
  offlineRefused: number;
}

export function newFaultCounts(): FaultCounts {
  return {
    push: { none: 0, drop: 0, delay: 0, 'twice-now': 0, 'twice-later': 0, 'lose-answer': 0, hold: 0, released: 0 },
    shape: { none: 0, delay: 0, 'lose-answer': 0 },
    offlineRefused: 0,
  };
}

/** A seeded draw by weight; but while some fault has never happened (in `seen`, shared by the
 * test's devices), one of those, so every test exercises every fault however few requests it makes. */
function pick<K extends string>(random: () => number, weights: Record<K, number>, seen: Record<K, number>): K {
  const never = (Object.keys(weights) as K[]).filter((k) => seen[k] === 0);
  if (never.length > 0) return never[Math.floor(random() * never.length)]!;
  const entries = Object.entries(weights) as [K, number][];
  let r = random() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) {
    r -= w;
    if (r < 0) return k;
  }
  return entries[0]![0];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failed = (why: string) => new TypeError(`fetch failed (test network: ${why})`);

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

export interface FaultyNetworkOptions {
  /** Seeded: the same seed makes the same choices in the same order. */
  random: () => number;
  counts: FaultCounts;
  /** Sees every push body as it is sent (each copy), before the server does. */
  onPush?: (mutations: MutationEnvelope[]) => void;
  /** Called as a push leaves (after its fault is chosen), e.g. to restart the server under it. */
  onPushLeaving?: () => void;
}

export class FaultyNetwork {
  /** Faults are chosen only while this is on (off while the test heals the fleet). */
  faulty = true;
  /** A partition: every request fails at once. */
  offline = false;
  #held: { input: RequestInfo | URL; init?: RequestInit } | null = null;
  readonly #background = new Set<Promise<unknown>>();

  constructor(private readonly opts: FaultyNetworkOptions) {}

  readonly fetch: typeof fetch = async (input, init) => {
    const url = urlOf(input);
    if (this.offline) {
      this.opts.counts.offlineRefused++;
      throw failed('offline');
    }
    if (url.includes(PUSH_PATH)) return this.#push(input, init);
    if (url.includes(SHAPE_PATH)) return this.#shape(input, init);
    return fetch(input, init);
  };

  /** Delivers a held push and waits for every copy still on its way. */
  async flush(): Promise<void> {
    await this.#release();
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  #send(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { mutations?: MutationEnvelope[] }) : {};
    if (body.mutations) this.opts.onPush?.(body.mutations);
    return fetch(input, init);
  }

  /** A copy nobody waits for (its answer is read and dropped). */
  #later(delayMs: number, input: RequestInfo | URL, init?: RequestInit): void {
    const p = sleep(delayMs)
      .then(() => this.#send(input, init))
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
    this.#background.add(p);
    void p.finally(() => this.#background.delete(p));
  }

  async #release(): Promise<void> {
    const held = this.#held;
    if (!held) return;
    this.#held = null;
    this.opts.counts.push.released++;
    await this.#send(held.input, held.init)
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
  }

  async #push(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let fault: PushFault = this.faulty ? pick(this.opts.random, PUSH_WEIGHTS, this.opts.counts.push) : 'none';
    if (fault === 'hold' && this.#held) fault = 'none';
    this.opts.counts.push[fault]++;
    const delay = Math.floor(this.opts.random() * 300);
    if (fault === 'drop') throw failed('the push was dropped');
    if (fault === 'hold') {
      this.#held = { input, init: init && { ...init, signal: undefined } };
      throw failed('the push is held back, to arrive after a later one');
    }
    if (fault === 'delay') await sleep(delay);
    this.opts.onPushLeaving?.();
    if (fault === 'twice-now') this.#later(0, input, init);
    if (fault === 'twice-later') this.#later(delay, input, init);
    const res = await this.#send(input, init);
    // A push held back earlier arrives after this later one.
    await this.#release();
    if (fault === 'lose-answer') {
      await res.arrayBuffer();
      throw failed('the server handled the push but its answer was lost');
    }
    return res;
  }

  async #shape(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const fault: ShapeFault = this.faulty ? pick(this.opts.random, SHAPE_WEIGHTS, this.opts.counts.shape) : 'none';
    this.opts.counts.shape[fault]++;
    if (fault === 'delay') await sleep(Math.floor(this.opts.random() * 300));
    const res = await fetch(input, init);
    if (fault === 'lose-answer') {
      await res.arrayBuffer().catch(() => undefined);
      throw failed('the answer to a shape request was lost');
    }
    return res;
  }
}
