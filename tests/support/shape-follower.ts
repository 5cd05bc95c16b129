// A device following a school's shape over raw HTTP, as the sync client does, keeping every
// message it was sent in order, for tests of the live path and of several server processes.
import { expect } from 'vitest';
import { ENROL_PATH, PUSH_PATH, SHAPE_PATH, type EnrolResponse, type MutationEnvelope, type PushResponse } from '../../shared/sync/protocol.js';

export interface Received {
  table: string;
  id: string;
  seq: number;
  row: Record<string, unknown> | null;
  /** Which request brought it (1-based), to tell a long-poll that was woken from a new one. */
  request: number;
}

interface WireMessage {
  value?: { table: string; id: string; seq: string; row: string | null };
  headers: { control?: string };
}

export async function enrolOverHttp(url: string, code: string, deviceName: string): Promise<EnrolResponse> {
  const res = await fetch(`${url}${ENROL_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrolmentCode: code, deviceName }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as EnrolResponse;
}

export async function pushOverHttp(url: string, token: string, mutations: MutationEnvelope[]): Promise<PushResponse> {
  const res = await fetch(`${url}${PUSH_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ mutations }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as PushResponse;
}

export class ShapeFollower {
  handle = '';
  offset = '-1';
  upToDate = false;
  requests = 0;
  /** Messages of the log (after the first sync), in the order they arrived. */
  readonly log: Received[] = [];
  /** Each row's latest state and seq, from the first sync and the log. */
  readonly state = new Map<string, Received>();

  /** `urls`: the servers it may ask; each request goes to the next one in turn, as behind a
   * load balancer. */
  constructor(
    readonly urls: readonly string[],
    readonly token: string,
  ) {}

  /** Reads the first sync to its end (the snapshot; its pages may repeat rows). */
  async firstSync(): Promise<void> {
    while (!this.upToDate) await this.request(false);
  }

  async request(live: boolean, signal?: AbortSignal): Promise<Received[]> {
    const inLog = this.offset !== '-1' && this.upToDate;
    const params = new URLSearchParams({ offset: this.offset, ...(this.handle ? { handle: this.handle } : {}), ...(live ? { live: 'true' } : {}) });
    const url = this.urls[this.requests % this.urls.length]!;
    const request = ++this.requests;
    const res = await fetch(`${url}${SHAPE_PATH}?${params}`, { headers: { authorization: `Bearer ${this.token}` }, ...(signal ? { signal } : {}) });
    expect(res.status, await res.clone().text()).toBe(200);
    // The body first: a request aborted while it is read leaves the follower where it was.
    const messages = (await res.json()) as WireMessage[];
    this.handle = res.headers.get('electric-handle') ?? this.handle;
    this.offset = res.headers.get('electric-offset')!;
    const received: Received[] = [];
    for (const m of messages) {
      if (m.headers.control === 'up-to-date') this.upToDate = true;
      if (!m.value) continue;
      const r: Received = { table: m.value.table, id: m.value.id, seq: Number(m.value.seq), row: m.value.row === null ? null : (JSON.parse(m.value.row) as Record<string, unknown>), request };
      received.push(r);
      this.state.set(`${r.table}/${r.id}`, r);
      if (inLog) this.log.push(r);
    }
    return received;
  }

  /** The seq the follower has read up to (its offset's first part). */
  get seq(): number {
    return Number(this.offset.split('_')[0]);
  }

  /** Long-polls until `done` holds; resolves with how long it took. */
  async liveUntil(done: () => boolean, signal?: AbortSignal): Promise<number> {
    const started = performance.now();
    while (!done()) await this.request(true, signal);
    return performance.now() - started;
  }
}
