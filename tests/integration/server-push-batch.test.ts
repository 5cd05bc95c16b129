// A push request is applied in one transaction (push/apply-mutation.ts): what that must not change.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_PATH, type EnrolResponse, type PushResponse } from '../../shared/sync/protocol.js';
import { buildServer } from '../../sync-server/src/app.js';
import { openServerDb, type ServerDb } from '../../sync-server/src/db/connect.js';
import { addStudent, BACKENDS, backendSkipped, enrol, freshBackend, makeSchool, mutation, paymentArgs, type BackendConfig } from '../support/sync-server.js';

describe.each(BACKENDS)('a push applied as one transaction on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: ServerDb;
  let app: FastifyInstance;
  let device: EnrolResponse;
  let tenantId: string;
  let authorId: string;
  let studentId: string;
  let receiptNo = 0;

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    const school = await makeSchool(server.db, 'KHS', 'Kilima Hills');
    tenantId = school.tenantId;
    authorId = school.adminId;
    studentId = (await addStudent(server.db, school.tenantId)).id;
    app = await buildServer({ db: server });
    device = await enrol(app, 'KHS-ENROL-1', 'Bursar PC');
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    await backend?.drop();
  });

  const payment = (overrides: Parameters<typeof paymentArgs>[3] = {}) => mutation(paymentArgs(device.receiptSeries, ++receiptNo, studentId, overrides), { authorId });

  async function pushOk(mutations: unknown[]): Promise<PushResponse> {
    const res = await app.inject({ method: 'POST', url: PUSH_PATH, headers: { authorization: `Bearer ${device.token}` }, payload: { mutations } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as PushResponse;
  }

  it('a mutation sent twice in one push applies once, and both copies get its answer', async () => {
    const m = payment();
    const { results } = await pushOk([m, m]);
    expect(results).toEqual([
      { mutationId: m.id, status: 'applied' },
      { mutationId: m.id, status: 'applied' },
    ]);
    const id = (m.args as { id: string }).id;
    expect(await server.db.selectFrom('payments').select('id').where('id', '=', id).execute()).toHaveLength(1);
    expect(await server.db.selectFrom('sync_changes').select('seq').where('row_id', '=', id).execute()).toHaveLength(1);
    expect(await server.db.selectFrom('applied_mutations').select('mutation_id').where('mutation_id', '=', m.id).execute()).toHaveLength(1);
  });

  it("a push's changes take consecutive seqs in the device's order, with no gap where a mutation was refused", async () => {
    const before = await server.db.selectFrom('tenants').select('last_seq').where('id', '=', tenantId).executeTakeFirstOrThrow();
    const mutations = Array.from({ length: 30 }, (_, i) => (i % 7 === 3 ? payment({ currency: 'USD' }) : payment()));
    const { results } = await pushOk(mutations);
    const applied = mutations.filter((_, i) => results[i]!.status === 'applied');
    expect(applied).toHaveLength(30 - mutations.filter((_, i) => i % 7 === 3).length);
    expect(results.filter((r) => r.status === 'rejected').every((r) => r.status === 'rejected' && /currency is KES/.test(r.reason))).toBe(true);

    const changes = await server.db.selectFrom('sync_changes').select(['seq', 'row_id', 'mutation_id']).where('tenant_id', '=', tenantId).where('seq', '>', before.last_seq).orderBy('seq').execute();
    expect(changes.map((c) => c.seq)).toEqual(applied.map((_, i) => before.last_seq + 1 + i));
    expect(changes.map((c) => c.mutation_id)).toEqual(applied.map((m) => m.id));
    const after = await server.db.selectFrom('tenants').select('last_seq').where('id', '=', tenantId).executeTakeFirstOrThrow();
    expect(after.last_seq).toBe(before.last_seq + applied.length);
    // Every decided mutation has its record, refusals included.
    const recorded = await server.db.selectFrom('applied_mutations').select(['mutation_id', 'status']).where('mutation_id', 'in', mutations.map((m) => m.id)).execute();
    expect(new Map(recorded.map((r) => [r.mutation_id, r.status]))).toEqual(new Map(mutations.map((m, i) => [m.id, results[i]!.status])));
  });

  it('a receipt number used earlier in the same push is refused', async () => {
    const first = payment();
    const again = mutation(paymentArgs(device.receiptSeries, receiptNo, studentId), { authorId });
    const { results } = await pushOk([first, again]);
    expect(results[0]).toEqual({ mutationId: first.id, status: 'applied' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/already used by another payment/) });
  });
});
