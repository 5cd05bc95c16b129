import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/api/errors.js';
import { uuidv7 } from '../../shared/ids.js';
import { PUSH_PATH, type EnrolResponse, type PushResponse } from '../../shared/sync/protocol.js';
import { buildServer } from '../../sync-server/src/app.js';
import { openServerDb, type ServerDb } from '../../sync-server/src/db/connect.js';
import {
  addStudent,
  BACKENDS,
  counts,
  enrol,
  freshBackend,
  makeSchool,
  mutation as baseMutation,
  paymentArgs,
  backendSkipped,
  type BackendConfig,
} from '../support/sync-server.js';

describe.each(BACKENDS)('push on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: ServerDb;
  let app: FastifyInstance;
  let deviceA: EnrolResponse;
  let deviceB: EnrolResponse;
  let enrolledId: string;
  let withdrawnId: string;
  let receiptNo = 0;
  let authorId: string;
  // Every mutation here is made by the school's administrator, who may record payments.
  const mutation = (args: unknown, overrides: Parameters<typeof baseMutation>[1] = {}) => baseMutation(args, { authorId, ...overrides });

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    const school = await makeSchool(server.db, 'KHS', 'Kilima Hills');
    authorId = school.adminId;
    enrolledId = (await addStudent(server.db, school.tenantId)).id;
    withdrawnId = (await addStudent(server.db, school.tenantId, { first_name: 'Baraka', last_name: 'Mwangi', admission_no: 'KHS/2020/00042', status: 'withdrawn' })).id;
    app = await buildServer({ db: server });
    deviceA = await enrol(app, 'KHS-ENROL-1', 'Bursar PC');
    deviceB = await enrol(app, 'KHS-ENROL-1', 'Office PC');
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    await backend?.drop();
  });

  const nextPayment = (overrides: Parameters<typeof paymentArgs>[3] = {}) => paymentArgs(deviceA.receiptSeries, ++receiptNo, enrolledId, overrides);

  async function push(body: unknown, token = deviceA.token) {
    return app.inject({ method: 'POST', url: PUSH_PATH, headers: { authorization: `Bearer ${token}` }, payload: body as object });
  }

  async function pushOk(body: unknown): Promise<PushResponse> {
    const res = await push(body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as PushResponse;
  }

  it('gives devices distinct receipt series', () => {
    expect(deviceA.receiptSeries).toBe('KHS-D1');
    expect(deviceB.receiptSeries).toBe('KHS-D2');
  });

  it('applies a payment: domain row, change log entry and idempotency record in one go', async () => {
    const args = nextPayment();
    const m = mutation(args);
    const before = await counts(server.db);
    expect(await pushOk({ mutations: [m] })).toEqual({ results: [{ mutationId: m.id, status: 'applied' }] });

    const payment = await server.db.selectFrom('payments').selectAll().where('id', '=', args.id).executeTakeFirstOrThrow();
    expect(payment).toMatchObject({ amount_minor: 150_000, currency: 'KES', receipt_no: args.receiptNo, device_id: deviceA.deviceId });
    const change = await server.db.selectFrom('sync_changes').selectAll().where('row_id', '=', args.id).executeTakeFirstOrThrow();
    expect(change).toMatchObject({ table_name: 'payments', op: 'insert', mutation_id: m.id, device_id: deviceA.deviceId, seq: payment._seq });
    expect(change.row).toMatchObject({ id: args.id, amount_minor: 150_000, device_id: deviceA.deviceId });
    const tenant = await server.db.selectFrom('tenants').select('last_seq').executeTakeFirstOrThrow();
    expect(tenant.last_seq).toBe(payment._seq);
    expect(await counts(server.db)).toEqual({ payments: before.payments + 1, changes: before.changes + 1, applied: before.applied + 1 });
  });

  describe('malformed requests are refused whole with HTTP 400', () => {
    const cases: [string, () => Promise<Awaited<ReturnType<typeof push>>>, RegExp][] = [
      [
        'body that is not JSON',
        () => app.inject({ method: 'POST', url: PUSH_PATH, headers: { authorization: `Bearer ${deviceA.token}`, 'content-type': 'application/json' }, payload: '{"mutations": [' }),
        /not valid JSON/,
      ],
      [
        'body that is plain text',
        () => app.inject({ method: 'POST', url: PUSH_PATH, headers: { authorization: `Bearer ${deviceA.token}`, 'content-type': 'text/plain' }, payload: 'hello' }),
        /as JSON/,
      ],
      ['missing mutations', () => push({}), /mutations/],
      ['empty mutations', () => push({ mutations: [] }), /mutations/],
      ['unknown mutation name', () => push({ mutations: [mutation(nextPayment()), mutation({}, { name: 'payments.erase' as never })] }), /mutations\.1\.name/],
      ['mutation without an id', () => push({ mutations: [{ ...mutation(nextPayment()), id: 'nope' }] }), /mutations\.0\.id/],
    ];
    it.each(cases)('%s', async (_label, send, message) => {
      const before = await counts(server.db);
      const res = await send();
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json() as ErrorBody;
      expect(body.code).toBe('invalid_input');
      expect(body.message).toMatch(message);
      expect(await counts(server.db)).toEqual(before);
    });
  });

  describe('mutations that break a rule are rejected, recorded, and change no data', () => {
    const cases: [string, () => unknown, RegExp][] = [
      ['zero amount', () => nextPayment({ amountMinor: 0 }), /amountMinor: Amount must be greater than zero/],
      ['negative amount', () => nextPayment({ amountMinor: -500 }), /amountMinor: Amount must be greater than zero/],
      ['fractional amount', () => nextPayment({ amountMinor: 100.5 }), /amountMinor: Amount must be a whole number/],
      ['huge amount', () => nextPayment({ amountMinor: 5_000_000_000_000 }), /amountMinor: .*extra zero/],
      ['args that are not an object', () => 'pay 100', /Invalid arguments for payments\.record/],
      ['unknown student', () => nextPayment({ studentId: uuidv7() }), /does not exist in this school/],
      ['withdrawn student', () => paymentArgs(deviceA.receiptSeries, ++receiptNo, withdrawnId), /Baraka Mwangi \(KHS\/2020\/00042\) is withdrawn/],
      ['wrong currency', () => nextPayment({ currency: 'USD' }), /in USD but this school's currency is KES/],
      ["another device's receipt series", () => paymentArgs(deviceB.receiptSeries, 1, enrolledId), /not from this device's receipt series KHS-D1/],
    ];
    it.each(cases)('%s', async (_label, makeArgs, reason) => {
      const before = await counts(server.db);
      const m = mutation(makeArgs());
      const { results } = await pushOk({ mutations: [m] });
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ mutationId: m.id, status: 'rejected' });
      expect(results[0]!.status === 'rejected' && results[0]!.reason).toMatch(reason);
      expect(await counts(server.db)).toEqual({ ...before, applied: before.applied + 1 });
      // A replay returns the stored rejection.
      expect((await pushOk({ mutations: [m] })).results).toEqual(results);
    });

    it('duplicate receipt number', async () => {
      const first = nextPayment();
      await pushOk({ mutations: [mutation(first)] });
      const before = await counts(server.db);
      const { results } = await pushOk({ mutations: [mutation(nextPayment({ receiptNo: first.receiptNo }))] });
      expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/already used by another payment/) });
      expect(await counts(server.db)).toEqual({ ...before, applied: before.applied + 1 });
    });

    it('a payment id already recorded under another mutation', async () => {
      const first = nextPayment();
      await pushOk({ mutations: [mutation(first)] });
      const before = await counts(server.db);
      const { results } = await pushOk({ mutations: [mutation(nextPayment({ id: first.id }))] });
      expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/already recorded/) });
      expect(await counts(server.db)).toEqual({ ...before, applied: before.applied + 1 });
    });

    it('a mutation from a newer app version is refused without being recorded', async () => {
      const before = await counts(server.db);
      const m = mutation(nextPayment(), { schemaVersion: 99 });
      const { results } = await pushOk({ mutations: [m] });
      expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/newer version of Schoolhouse.*update the sync server/) });
      expect(await counts(server.db)).toEqual(before);
    });
  });

  describe('replays apply nothing twice', () => {
    async function paymentsWithId(id: string) {
      const payments = await server.db.selectFrom('payments').select('id').where('id', '=', id).execute();
      const changes = await server.db.selectFrom('sync_changes').select('seq').where('row_id', '=', id).execute();
      return { payments: payments.length, changes: changes.length };
    }

    it('the same push sent twice', async () => {
      const args = nextPayment();
      const body = { mutations: [mutation(args)] };
      const first = await pushOk(body);
      const second = await pushOk(body);
      expect(second).toEqual(first);
      expect(await paymentsWithId(args.id)).toEqual({ payments: 1, changes: 1 });
    });

    it('a push whose response was lost, resent later with new mutations', async () => {
      const lost = mutation(nextPayment());
      await pushOk({ mutations: [lost] });
      const later = mutation(nextPayment());
      const { results } = await pushOk({ mutations: [lost, later] });
      expect(results).toEqual([
        { mutationId: lost.id, status: 'applied' },
        { mutationId: later.id, status: 'applied' },
      ]);
      expect(await paymentsWithId((lost.args as { id: string }).id)).toEqual({ payments: 1, changes: 1 });
      expect(await paymentsWithId((later.args as { id: string }).id)).toEqual({ payments: 1, changes: 1 });
    });

    it('identical pushes sent concurrently leave exactly one payment and all get an answer', async () => {
      const args = nextPayment();
      const body = { mutations: [mutation(args)] };
      const responses = await Promise.all(Array.from({ length: 6 }, () => push(body)));
      for (const res of responses) {
        expect(res.statusCode, res.body).toBe(200);
        expect((res.json() as PushResponse).results[0]!.status).toBe('applied');
      }
      expect(await paymentsWithId(args.id)).toEqual({ payments: 1, changes: 1 });
    });

    it('mutations are applied in order, each on its own', async () => {
      const good = mutation(nextPayment());
      const bad = mutation(nextPayment({ currency: 'USD' }));
      const good2 = mutation(nextPayment());
      const { results } = await pushOk({ mutations: [good, bad, good2] });
      expect(results.map((r) => [r.mutationId, r.status])).toEqual([
        [good.id, 'applied'],
        [bad.id, 'rejected'],
        [good2.id, 'applied'],
      ]);
    });
  });
});
