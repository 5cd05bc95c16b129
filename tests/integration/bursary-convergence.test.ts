// Issue 4's property: random offline bursary activity on three devices converges. Each run takes
// the three offices offline, lets them record payments (some spread over charges, some
// overpaying), void payments (their own, or ones they saw synced), grant discounts and refund
// credit; then brings them back in a random order through a network that loses push responses
// and sends pushes twice. Afterwards every device and the server hold the same ledger rows,
// every payment recorded exists exactly once on the server, and every device shows the server's
// balance for every student.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Core } from '../../electron/core/open-core.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';
import { backendSkipped, freshBackend, type BackendConfig, type BackendKind } from '../support/sync-server.js';
import { call, Fleet } from '../support/fleet.js';
import { waitFor } from '../support/wait.js';
import type { PaymentView } from '../../shared/domain/payments.js';
import type { Statement } from '../../shared/domain/fees.js';
import type { StudentListItem } from '../../shared/domain/students.js';
import type { SyncStatus } from '../../shared/domain/sync-status.js';
import { PUSH_PATH } from '../../shared/sync/protocol.js';

const STUDENTS = 12;
const LEDGER_TABLES = ['charges', 'payments', 'discounts', 'refunds', 'voids'] as const;

type Op =
  | { kind: 'pay'; device: number; student: number; amountMinor: number; spread: boolean }
  | { kind: 'void'; device: number; pick: number }
  | { kind: 'discount'; device: number; student: number; amountMinor: number }
  | { kind: 'refund'; device: number; student: number; amountMinor: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('pay' as const), device: fc.nat(2), student: fc.nat(3), amountMinor: fc.integer({ min: 1, max: 400 }).map((n) => n * 10_000), spread: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), device: fc.nat(2), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('discount' as const), device: fc.nat(2), student: fc.nat(3), amountMinor: fc.integer({ min: 1, max: 50 }).map((n) => n * 10_000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund' as const), device: fc.nat(2), student: fc.nat(3), amountMinor: fc.integer({ min: 1, max: 100 }).map((n) => n * 10_000) }) },
);

/** Faults on the push route: 'lose' delivers the push but loses the answer; 'twice' sends it twice. */
type Fault = 'none' | 'lose' | 'twice';

/** What the runs did, so the test proves the property was exercised, not merely not violated. */
const exercised = { restarts: 0, payments: 0, voids: 0, discounts: 0, refunds: 0, refusedOnDevice: 0, lost: 0, twice: 0 };

function faultyFetch(faults: () => Fault): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes(PUSH_PATH)) return fetch(input, init);
    const fault = faults();
    if (fault === 'lose') exercised.lost++;
    if (fault === 'twice') exercised.twice++;
    if (fault === 'lose') {
      await fetch(input, init);
      throw new TypeError('fetch failed (test: the answer was lost)');
    }
    if (fault === 'twice') await fetch(input, init);
    return fetch(input, init);
  };
}

// One real PostgreSQL (PGlite where PostgreSQL is not available outside CI): the property is
// about the sync protocol, which both backends share, and each run is several seconds.
const kind: BackendKind = 'postgres';

describe('bursary activity on three offline devices converges (property)', () => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: RunningSyncServer;
  const fleet = new Fleet(() => server);
  const devices: Core[] = [];
  const faultPlans: Fault[][] = [[], [], []];
  let students: StudentListItem[] = [];

  const serverOptions = () => ({ ...(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {}), liveTimeoutMs: 1000 });

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await startSyncServer({ port: 0, ...serverOptions(), seedDemo: { students: STUDENTS } });
    for (const [i, name] of ['Front office', 'Back office', 'Gate office'].entries()) {
      const core = await fleet.enrol(name, { fetch: faultyFetch(() => faultPlans[i]!.shift() ?? 'none') });
      await waitFor(`${name}: initial sync`, async () => core.store.sqlite.prepare('select count(*) from students').pluck().get() === STUDENTS);
      await call(core, 'auth.login', { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password });
      devices.push(core);
    }
    students = (await call<{ rows: StudentListItem[] }>(devices[0]!, 'students.list', { status: 'enrolled', limit: 4 })).rows;
    expect(students).toHaveLength(4);
  }, 120_000);

  afterAll(async () => {
    await fleet.closeAll();
    await server?.close();
    await backend?.drop();
  });

  const settled = (core: Core) => waitFor('the outbox to empty', async () => (await call<SyncStatus>(core, 'sync.status')).pending === 0, 60_000);

  /** The ledger rows a holder has, as comparable JSON per table (ids and amounts). */
  function deviceLedger(core: Core): Record<string, string[]> {
    return Object.fromEntries(
      LEDGER_TABLES.map((t) => [t, (core.store.sqlite.prepare(`select id from ${t} order by id`).pluck().all() as string[])]),
    );
  }

  async function serverLedger(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const t of LEDGER_TABLES) {
      out[t] = (await server.db.db.selectFrom(t).select('id').orderBy('id').execute()).map((r) => r.id);
    }
    return out;
  }

  async function serverBalance(studentId: string): Promise<number> {
    const sum = async (table: 'charges' | 'payments' | 'discounts' | 'refunds') => {
      const r = await server.db.db
        .selectFrom(table)
        .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount_minor'), sql<string>`0`).as('total'))
        .where('student_id', '=', studentId)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('voids').select('voids.id').whereRef('voids.target_id', '=', `${table}.id`))))
        .executeTakeFirstOrThrow();
      return Number(r.total);
    };
    return (await sum('charges')) - (await sum('payments')) - (await sum('discounts')) + (await sum('refunds'));
  }

  async function perform(op: Op, recorded: string[]): Promise<void> {
    const core = devices[op.device]!;
    const student = op.kind === 'void' ? undefined : students[op.student]!;
    try {
      if (op.kind === 'pay') {
        let allocations: { chargeId: string; amountMinor: number }[] | undefined;
        if (op.spread) {
          // The bursar sets the payment against the newest open charges first, against the default.
          const open = (await call<Statement>(core, 'students.statement', { studentId: student!.id })).openCharges.slice().reverse();
          let left = op.amountMinor;
          allocations = [];
          for (const c of open) {
            if (left === 0) break;
            const part = Math.min(left, c.outstandingMinor);
            allocations.push({ chargeId: c.chargeId, amountMinor: part });
            left -= part;
          }
        }
        const p = await call<PaymentView>(core, 'payments.record', { studentId: student!.id, amountMinor: op.amountMinor, ...(allocations ? { allocations } : {}) });
        recorded.push(p.id);
        exercised.payments++;
      } else if (op.kind === 'void') {
        const candidates = core.store.sqlite.prepare(`select id from payments where id not in (select target_id from voids) order by id`).pluck().all() as string[];
        if (candidates.length === 0) return;
        await call(core, 'ledger.void', { targetTable: 'payments', targetId: candidates[op.pick % candidates.length], reason: 'Property test void' });
        exercised.voids++;
      } else if (op.kind === 'discount') {
        await call(core, 'discounts.grant', { studentId: student!.id, kind: 'discount', basis: 'fixed', amountMinor: op.amountMinor, reason: 'Property test discount' });
        exercised.discounts++;
      } else {
        await call(core, 'refunds.record', { studentId: student!.id, amountMinor: op.amountMinor, method: 'cash', reason: 'Property test refund' });
        exercised.refunds++;
      }
    } catch (e) {
      // The device refused it (a refund above the credit, a discount above the bill): nothing
      // was saved, which is what the other assertions check.
      if (!(e instanceof Error) || !('code' in e)) throw e;
      exercised.refusedOnDevice++;
    }
  }

  it('every device and the server agree, and every payment exists exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 4, maxLength: 18 }),
        fc.array(fc.constantFrom<Fault>('none', 'lose', 'twice'), { minLength: 3, maxLength: 9 }),
        fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
        fc.boolean(),
        async (ops, faults, order, restart) => {
          await Promise.all(devices.map((d) => d.sync.stop()));
          const recorded: string[] = [];
          for (const op of ops) await perform(op, recorded);
          // The server restarts while the offices are offline (only where its data outlives the
          // process: PostgreSQL, not the in-memory PGlite of a machine without it).
          if (restart && backend.databaseUrl) {
            const port = server.port;
            await server.close();
            server = await startSyncServer({ port, ...serverOptions() });
            exercised.restarts++;
          }
          faults.forEach((f, i) => faultPlans[i % 3]!.push(f));
          for (const i of order) {
            devices[i]!.sync.start();
            await settled(devices[i]!);
          }
          // A second round, so every device pulls what the ones after it pushed.
          for (const d of devices) await call(d, 'sync.now');

          const onServer = await serverLedger();
          for (const id of recorded) expect(onServer.payments!.filter((p) => p === id)).toHaveLength(1);
          await waitFor('every device to hold the server ledger', async () => devices.every((d) => JSON.stringify(deviceLedger(d)) === JSON.stringify(onServer)), 30_000);
          for (const s of students) {
            const expected = await serverBalance(s.id);
            for (const d of devices) expect((await call<Statement>(d, 'students.statement', { studentId: s.id })).balanceMinor).toBe(expected);
          }
        },
      ),
      { numRuns: 8, endOnFailure: true },
    );
    console.info('bursary convergence exercised:', exercised);
    expect(exercised.payments).toBeGreaterThan(10);
    expect(exercised.voids + exercised.discounts + exercised.refunds).toBeGreaterThan(0);
    expect(exercised.lost + exercised.twice).toBeGreaterThan(0);
  }, 600_000);
});
