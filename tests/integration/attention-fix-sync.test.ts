// Correcting refused changes against a real sync server (PGlite and PostgreSQL): a payment the
// server refused because its student was withdrawn by another office meanwhile is moved to the
// right student and recorded once, under its own receipt number; a student edit refused because
// its class was removed meanwhile is put in another class. Nothing is retyped.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../electron/core/open-core.js';
import { saveRecords } from '../../electron/core/commands/save-records.js';
import { call, Fleet } from '../support/fleet.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { BACKENDS, backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';
import { waitFor } from '../support/wait.js';
import type { PaymentView } from '../../shared/domain/payments.js';
import type { StudentListItem } from '../../shared/domain/students.js';
import type { ClassesList, StudentProfile } from '../../shared/domain/student-views.js';
import type { Statement } from '../../shared/domain/fees.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import type { AttentionItem } from '../../shared/api/contract.js';

const STUDENTS = 40;
const tableCount = (core: Core, table: string) => core.store.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;

describe.each(BACKENDS)('correcting refused changes on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  const fleet = new Fleet(() => server);

  async function office(name: string, who: { username: string; password: string }): Promise<Core> {
    const core = await fleet.enrol(name);
    await waitFor(`${name}: initial sync`, async () => tableCount(core, 'students') === STUDENTS);
    await call(core, 'auth.login', { username: who.username, password: who.password });
    return core;
  }
  const settled = (core: Core) => waitFor('nothing pending', async () => (await call<SyncStatus>(core, 'sync.status')).pending === 0);
  /** Back online; waits until the server has answered everything and refused `refused` of it. */
  async function reconnect(core: Core, refused: number): Promise<AttentionItem> {
    core.sync.start();
    await waitFor('the refusal', async () => {
      const s = await call<SyncStatus>(core, 'sync.status');
      return s.pending === 0 && s.needsAttention === refused;
    });
    const { rows } = await call<{ rows: AttentionItem[] }>(core, 'attention.list');
    expect(rows).toHaveLength(refused);
    return rows[0]!;
  }
  async function fixAndSync(core: Core, item: AttentionItem, args: Record<string, unknown>): Promise<void> {
    await call(core, 'attention.fix', { id: item.id, args });
    await waitFor('the corrected change to be accepted', async () => {
      const s = await call<SyncStatus>(core, 'sync.status');
      return s.pending === 0 && s.needsAttention === 0;
    });
  }

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), seedDemo: { students: STUDENTS }, liveTimeoutMs: 1500 });
  });
  afterEach(() => fleet.closeAll());
  afterAll(async () => {
    await server.close();
    await backend.drop();
  });

  it('a payment for a student withdrawn meanwhile is moved to the right student and recorded once, same receipt', async () => {
    const bursary = await office('Bursary', DEMO_STAFF.bursar);
    const head = await office('Head office', DEMO_STAFF.admin);
    const [wrong, right] = (await call<{ rows: StudentListItem[] }>(bursary, 'students.list', { status: 'enrolled', limit: 2 })).rows;

    await bursary.sync.stop();
    const payment = await call<PaymentView>(bursary, 'payments.record', { studentId: wrong!.id, amountMinor: 4_500, method: 'mobile_money', reference: 'QK12FIX' });
    const profile = await call<StudentProfile>(head, 'students.profile', { id: wrong!.id });
    await call(head, 'students.save', { id: wrong!.id, values: { ...profile.values, status: 'withdrawn' } });
    await settled(head);

    const item = await reconnect(bursary, 1);
    expect(item).toMatchObject({ name: 'payments.record', fixable: true, reason: expect.stringMatching(/enrolled/), args: { id: payment.id, receiptNo: payment.receiptNo } });
    expect(await server.db.db.selectFrom('payments').select('id').where('id', '=', payment.id).execute()).toEqual([]);

    const open = (await call<Statement>(bursary, 'students.statement', { studentId: right!.id })).openCharges;
    const allocations = open.length > 0 ? [{ chargeId: open[0]!.chargeId, amountMinor: Math.min(4_500, open[0]!.outstandingMinor) }] : [];
    await fixAndSync(bursary, item, { studentId: right!.id, allocations });

    const onServer = await server.db.db.selectFrom('payments').select(['id', 'student_id', 'amount_minor', 'reference']).where('receipt_no', '=', payment.receiptNo).execute();
    expect(onServer).toEqual([{ id: payment.id, student_id: right!.id, amount_minor: 4_500, reference: 'QK12FIX' }]);
    // Everywhere: once, on the right student's statement, and not on the withdrawn one's.
    await waitFor('the head office to receive it', async () => (await call<{ rows: PaymentView[] }>(head, 'payments.listForStudent', { studentId: right!.id })).rows.some((p) => p.id === payment.id));
    for (const core of [bursary, head]) {
      expect(core.store.sqlite.prepare('select student_id from payments where receipt_no = ?').pluck().all(payment.receiptNo)).toEqual([right!.id]);
      const entries = (await call<Statement>(core, 'students.statement', { studentId: right!.id })).entries;
      expect(entries.filter((e) => JSON.stringify(e).includes(payment.receiptNo))).toHaveLength(1);
    }
  });

  it('a student edit into a class removed meanwhile is put in another class, the rest of it kept', async () => {
    const registry = await office('Registry', DEMO_STAFF.admin);
    const head = await office('Head office', DEMO_STAFF.admin);
    const { classes } = await call<ClassesList>(registry, 'classes.list', {});
    const student = (await call<{ rows: StudentListItem[] }>(registry, 'students.list', { status: 'enrolled', limit: 1 })).rows[0]!;
    const [removed, other] = classes.filter((c) => c.name !== student.className);

    await registry.sync.stop();
    const profile = await call<StudentProfile>(registry, 'students.profile', { id: student.id });
    await call(registry, 'students.save', { id: student.id, values: { ...profile.values, class_id: removed!.id, medical_notes: 'Asthma: inhaler in the office' } });
    // Another office removes the class (a tombstone, through the one write path of records).
    await head.store.db.transaction().execute((tx) => saveRecords(tx, 'classes', [{ id: removed!.id, values: {}, delete: true }], DEMO_STAFF.admin.id));
    head.sync.kick();
    await settled(head);

    const item = await reconnect(registry, 1);
    expect(item).toMatchObject({ name: 'students.save', fixable: true, reason: expect.stringMatching(/class .*removed/) });
    await fixAndSync(registry, item, { rows: [{ id: student.id, fields: { class_id: other!.id } }] });

    const onServer = await server.db.db.selectFrom('students').select(['class_id', 'medical_notes']).where('id', '=', student.id).executeTakeFirstOrThrow();
    expect(onServer).toEqual({ class_id: other!.id, medical_notes: 'Asthma: inhaler in the office' });
    await waitFor('the head office to receive it', async () => (await call<StudentProfile>(head, 'students.profile', { id: student.id })).values.class_id === other!.id);
    expect((await call<StudentProfile>(registry, 'students.profile', { id: student.id })).values).toMatchObject({ class_id: other!.id, medical_notes: 'Asthma: inhaler in the office' });
  });
});
