import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../shared/api/errors.js';
import { ENROL_PATH, EnrolResponse, PUSH_PATH, SHAPE_PATH } from '../../shared/sync/protocol.js';
import { buildServer } from '../../sync-server/src/app.js';
import { openServerDb, type ServerDb } from '../../sync-server/src/db/connect.js';
import { revokeDevice } from '../../sync-server/src/devices/enrol-device.js';
import { addStudent, makeSchool, BACKENDS, counts, enrol, freshBackend, mutation, paymentArgs, backendSkipped, type BackendConfig } from '../support/sync-server.js';

describe.each(BACKENDS)('auth and enrolment on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let server: ServerDb;
  let app: FastifyInstance;
  let tenantId: string;
  let studentId: string;

  beforeAll(async () => {
    backend = await freshBackend(kind);
    server = await openServerDb(backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : {});
    tenantId = (await makeSchool(server.db, 'KHS', 'Kilima Hills')).tenantId;
    studentId = (await addStudent(server.db, tenantId)).id;
    app = await buildServer({ db: server, enrolRateLimit: { max: 1000, timeWindowMs: 60_000 } });
  });

  afterAll(async () => {
    await app?.close();
    await server?.close();
    await backend?.drop();
  });

  it('enrols a device with a valid code and stores only hashes of the secrets', async () => {
    const device = EnrolResponse.parse(await enrol(app, 'KHS-ENROL-1'));
    expect(device.school).toEqual({ id: tenantId, name: 'Kilima Hills', currency: 'KES', timeZone: 'Africa/Nairobi' });
    expect(device.profile).toBe('office');
    expect(device.receiptSeries).toMatch(/^KHS-D\d+$/);
    const stored = await server.db.selectFrom('devices').selectAll().where('id', '=', device.deviceId).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(device.token);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a wrong enrolment code with 401 and creates no device', async () => {
    const before = await server.db.selectFrom('devices').select('id').execute();
    const res = await app.inject({ method: 'POST', url: ENROL_PATH, payload: { enrolmentCode: 'WRONG-CODE', deviceName: 'PC' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(/^That enrolment code is not valid for any school/) });
    expect(await server.db.selectFrom('devices').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses a malformed enrolment request with 400 naming the field', async () => {
    const res = await app.inject({ method: 'POST', url: ENROL_PATH, payload: { enrolmentCode: 'KHS-ENROL-1' } });
    expect(res.statusCode).toBe(400);
    expect((res.json() as ErrorBody).message).toMatch(/deviceName/);
  });

  describe('push and shape need a valid, unrevoked device token', () => {
    let revokedToken: string;
    beforeAll(async () => {
      const device = await enrol(app, 'KHS-ENROL-1', 'Lost laptop');
      await revokeDevice(server.db, tenantId, device.deviceId);
      revokedToken = device.token;
    });

    const cases: [string, () => Record<string, string>, RegExp][] = [
      ['no token', () => ({}), /no device token/],
      ['not a Bearer header', () => ({ authorization: 'Basic abc' }), /Bearer/],
      ['unknown token', () => ({ authorization: `Bearer ${'f'.repeat(64)}` }), /not recognised/],
      ['revoked device', () => ({ authorization: `Bearer ${revokedToken}` }), /removed from the school/],
    ];

    it.each(cases)('push with %s -> 401, nothing applied', async (_label, headers, message) => {
      const before = await counts(server.db);
      const res = await app.inject({
        method: 'POST',
        url: PUSH_PATH,
        headers: headers(),
        payload: { mutations: [mutation(paymentArgs('KHS-D1', 999, studentId))] },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(message) });
      expect(await counts(server.db)).toEqual(before);
    });

    it.each(cases)('shape with %s -> 401', async (_label, headers, message) => {
      const res = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?offset=-1`, headers: headers() });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'unauthenticated', message: expect.stringMatching(message) });
    });
  });

  it('answers unknown routes with a 404 ErrorBody', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
  });

  it('answers a too-large body with 413', async () => {
    const device = await enrol(app, 'KHS-ENROL-1');
    const res = await app.inject({
      method: 'POST',
      url: PUSH_PATH,
      headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ mutations: [], padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/too large/) });
  });

  it('rate-limits enrolment attempts per address with 429', async () => {
    const limited = await buildServer({ db: server, enrolRateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const attempt = () => limited.inject({ method: 'POST', url: ENROL_PATH, payload: { enrolmentCode: 'GUESS-0000', deviceName: 'x' } });
      for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
      const res = await attempt();
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/Too many attempts/) });
      // Even the right code waits out the window: guessing gets no faster.
      expect((await limited.inject({ method: 'POST', url: ENROL_PATH, payload: { enrolmentCode: 'KHS-ENROL-1', deviceName: 'x' } })).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
