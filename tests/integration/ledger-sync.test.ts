// The ledger across devices and the server (issue 4's sync rules): payments recorded offline on
// two devices for the same student both land exactly once; the same payment voided on both
// devices is voided once, the other void goes to "needs attention"; balances agree everywhere.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/open-core.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { BACKENDS, backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { call, Fleet } from '../support/fleet.js';
import { waitFor } from '../support/wait.js';
import type { PaymentView } from '../../shared/domain/payments.js';
import type { StudentListItem } from '../../shared/domain/students.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import type { Statement } from '../../shared/domain/fees.js';

const STUDENTS = 30;

describe.each(BACKENDS)('the ledger across devices on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  const fleet = new Fleet(() => server);

  async function bursarDevice(name: string): Promise<Core> {
    const core = await fleet.enrol(name);
    await waitFor(`${name}: initial sync`, async () => core.store.sqlite.prepare('select count(*) from students').pluck().get() === STUDENTS);
    await call(core, 'auth.login', { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password });
    return core;
  }

  const settled = (core: Core) => waitFor('sync to settle', async () => (await call<SyncStatus>(core, 'sync.status')).pending === 0);
  const balance = async (core: Core, studentId: string) => (await call<Statement>(core, 'students.statement', { studentId })).balanceMinor;

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), seedDemo: { students: STUDENTS }, liveTimeoutMs: 1000 });
  });
  afterEach(() => fleet.closeAll());
  afterAll(async () => {
    await server.close();
    await backend.drop();
  });

  it('two offices take payments offline for the same student: both land once, balances agree', async () => {
    const front = await bursarDevice('Front office');
    const back = await bursarDevice('Back office');
    const student = (await call<{ rows: StudentListItem[] }>(front, 'students.list', { status: 'enrolled', limit: 1 })).rows[0]!;
    const opening = await balance(front, student.id);
    expect(opening).toBeGreaterThan(0); // the demo school charges every student tuition

    await Promise.all([front.sync.stop(), back.sync.stop()]);
    const a = await call<PaymentView>(front, 'payments.record', { studentId: student.id, amountMinor: 30_000 });
    const b = await call<PaymentView>(back, 'payments.record', { studentId: student.id, amountMinor: 45_000 });
    expect(a.receiptNo.split('-').slice(0, 2)).not.toEqual(b.receiptNo.split('-').slice(0, 2));

    front.sync.start();
    back.sync.start();
    await Promise.all([settled(front), settled(back)]);
    const expected = opening - 75_000;
    await waitFor('both devices to see both payments', async () => (await balance(front, student.id)) === expected && (await balance(back, student.id)) === expected);
    const onServer = await server.db.db.selectFrom('payments').select('id').where('student_id', '=', student.id).execute();
    expect(onServer.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('the same payment voided on two devices offline is voided once; the other void needs attention', async () => {
    const front = await bursarDevice('Front office');
    const back = await bursarDevice('Back office');
    const student = (await call<{ rows: StudentListItem[] }>(front, 'students.list', { status: 'enrolled', limit: 2 })).rows[1]!;
    const payment = await call<PaymentView>(front, 'payments.record', { studentId: student.id, amountMinor: 10_000 });
    await settled(front);
    await waitFor('the payment to reach the back office', async () => (await call<{ rows: PaymentView[] }>(back, 'payments.listForStudent', { studentId: student.id })).rows.some((p) => p.id === payment.id));
    const withPayment = await balance(back, student.id);

    await Promise.all([front.sync.stop(), back.sync.stop()]);
    await call(front, 'ledger.void', { targetTable: 'payments', targetId: payment.id, reason: 'Cheque bounced' });
    await call(back, 'ledger.void', { targetTable: 'payments', targetId: payment.id, reason: 'Duplicate' });
    front.sync.start();
    await settled(front);
    back.sync.start();
    await settled(back);

    const status = await waitFor('the second void to be refused', async () => {
      const s = await call<SyncStatus>(back, 'sync.status');
      return s.needsAttention === 1 ? s : false;
    });
    expect(status.needsAttention).toBe(1);
    const voids = await server.db.db.selectFrom('voids').select(['reason']).where('target_id', '=', payment.id).execute();
    expect(voids).toEqual([{ reason: 'Cheque bounced' }]);
    const expected = withPayment + 10_000;
    await waitFor('balances to agree', async () => (await balance(front, student.id)) === expected && (await balance(back, student.id)) === expected);
    const backStatement = await call<Statement>(back, 'students.statement', { studentId: student.id });
    expect(backStatement.entries.find((e) => e.id === payment.id)).toMatchObject({ voided: true, voidReason: 'Cheque bounced' });
  });
});
