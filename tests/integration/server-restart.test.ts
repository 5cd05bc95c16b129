import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENROL_PATH, PUSH_PATH, SHAPE_PATH, type EnrolResponse, type PushResponse } from '../../shared/sync/protocol.js';
import { DEMO_SCHOOL } from '../../sync-server/src/demo/seed-demo.js';
import { startSyncServer } from '../../sync-server/src/start.js';
import { BACKENDS, freshBackend, mutation, paymentArgs, backendSkipped } from '../support/sync-server.js';

describe.each(BACKENDS)('server stops and comes back on the same port and data (%s)', (kind) => {
  if (backendSkipped(kind)) return;
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('keeps devices, payments and the change log across a restart; a long-poll in flight does not block the stop', async () => {
    const backend = await freshBackend(kind);
    cleanups.push(backend.drop);
    const dataDir = kind === 'pglite' ? await mkdtemp(join(tmpdir(), 'sh-server-')) : undefined;
    if (dataDir) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const storage = backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : { dataDir: dataDir! };

    const first = await startSyncServer({ port: 0, ...storage, seedDemo: { students: 30 }, liveTimeoutMs: 20_000 });
    const enrolRes = await fetch(`${first.url}${ENROL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrolmentCode: DEMO_SCHOOL.enrolmentCode, deviceName: 'Bursar' }),
    });
    const device = (await enrolRes.json()) as EnrolResponse;
    const auth = { authorization: `Bearer ${device.token}` };
    const student = await first.db.db.selectFrom('students').select('id').where('status', '=', 'enrolled').executeTakeFirstOrThrow();
    const m = mutation(paymentArgs(device.receiptSeries, 1, student.id));
    const push = (url: string) =>
      fetch(`${url}${PUSH_PATH}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ mutations: [m] }) });
    expect(((await (await push(first.url)).json()) as PushResponse).results[0]!.status).toBe('applied');

    // Read the initial snapshot to its end (the demo school is more than one page), as a device does.
    let snapshot = await fetch(`${first.url}${SHAPE_PATH}?offset=-1`, { headers: auth });
    const handle = snapshot.headers.get('electric-handle')!;
    let offset = snapshot.headers.get('electric-offset')!;
    for (;;) {
      const messages = (await snapshot.json()) as { headers: { control?: string } }[];
      if (messages.some((m) => m.headers.control === 'up-to-date')) break;
      snapshot = await fetch(`${first.url}${SHAPE_PATH}?offset=${offset}&handle=${handle}`, { headers: auth });
      offset = snapshot.headers.get('electric-offset')!;
    }
    // A device long-polling when the server stops gets an answer (or a closed connection), not a hang.
    const longPoll = fetch(`${first.url}${SHAPE_PATH}?offset=${offset}&handle=${handle}&live=true`, { headers: auth }).then(
      (r) => r.status,
      () => 'closed',
    );
    await new Promise((r) => setTimeout(r, 200));
    const stopStarted = Date.now();
    await first.close();
    expect(Date.now() - stopStarted).toBeLessThan(5000);
    expect([200, 'closed']).toContain(await longPoll);

    const second = await startSyncServer({ port: first.port, ...storage, seedDemo: { students: 30 } });
    cleanups.push(second.close);
    expect(second.port).toBe(first.port);
    // The replayed push is recognised: still one payment, one change for it.
    expect(((await (await push(second.url)).json()) as PushResponse).results[0]!.status).toBe('applied');
    expect(await second.db.db.selectFrom('payments').select('id').execute()).toHaveLength(1);
    expect(await second.db.db.selectFrom('sync_changes').select('seq').where('table_name', '=', 'payments').execute()).toHaveLength(1);
    expect(await second.db.db.selectFrom('students').select('id').execute()).toHaveLength(30);
    const resumed = await fetch(`${second.url}${SHAPE_PATH}?offset=${offset}&handle=${handle}`, { headers: auth });
    expect(resumed.status).toBe(200);
    expect(await resumed.json()).toEqual([{ headers: { control: 'up-to-date' } }]);
  });
});
