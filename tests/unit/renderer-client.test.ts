import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST_INVOKE_PATH, HOST_SECRET_HEADER } from '../../shared/api/contract.js';
import { AppError } from '../../shared/api/errors.js';
import { createBridgeClient, createFetchClient, LOST_CONTACT_MESSAGE } from '../../renderer/src/api/client.js';

const SECRET = 'test-secret-123';

interface Seen {
  url: string | undefined;
  method: string | undefined;
  secret: string | string[] | undefined;
  contentType: string | undefined;
  body: unknown;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const raw = await readBody(req);
    seen.push({
      url: req.url,
      method: req.method,
      secret: req.headers[HOST_SECRET_HEADER],
      contentType: req.headers['content-type'],
      body: raw ? JSON.parse(raw) : undefined,
    });
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers[HOST_SECRET_HEADER] !== SECRET) {
      return reply(403, { ok: false, error: { code: 'forbidden', message: 'Wrong secret.' } });
    }
    switch (req.url) {
      case `${HOST_INVOKE_PATH}/sync.status`:
        return reply(200, {
          ok: true,
          value: { online: false, pending: 1, oldestPendingAt: null, lastSyncAt: null, lastError: null, needsAttention: 0 },
        });
      case `${HOST_INVOKE_PATH}/payments.record`:
        return reply(400, {
          ok: false,
          error: {
            code: 'invalid_input',
            message: 'Check the payment: the reference is missing.',
            issues: [{ path: 'reference', message: 'This payment method needs the reference number.' }],
          },
        });
      default:
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<h1>oops</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('renderer fetch transport', () => {
  it('POSTs JSON with the secret header and returns the value', async () => {
    const client = createFetchClient({ baseUrl, secret: SECRET });
    const status = await client.invoke('sync.status', {});
    expect(status).toEqual({
      online: false,
      pending: 1,
      oldestPendingAt: null,
      lastSyncAt: null,
      lastError: null,
      needsAttention: 0,
    });
    const last = seen.at(-1)!;
    expect(last.url).toBe(`${HOST_INVOKE_PATH}/sync.status`);
    expect(last.method).toBe('POST');
    expect(last.secret).toBe(SECRET);
    expect(last.contentType).toBe('application/json');
    expect(last.body).toEqual({});
  });

  it('turns an error reply into an AppError with the server message and issues', async () => {
    const client = createFetchClient({ baseUrl, secret: SECRET });
    const input = { studentId: '0190a3c2-7b1e-7c3d-8a4b-123456789abc', amountMinor: 5000, method: 'cheque' as const };
    const err = await client.invoke('payments.record', input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('invalid_input');
    expect((err as AppError).message).toBe('Check the payment: the reference is missing.');
    expect((err as AppError).issues).toEqual([{ path: 'reference', message: 'This payment method needs the reference number.' }]);
    expect(seen.at(-1)!.body).toEqual(input);
  });

  it('reports a refused secret as the host said', async () => {
    const client = createFetchClient({ baseUrl, secret: 'wrong' });
    const err = await client.invoke('sync.status', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('forbidden');
    expect((err as AppError).message).toBe('Wrong secret.');
  });

  it('turns a non-InvokeReply answer into an internal AppError', async () => {
    const client = createFetchClient({ baseUrl, secret: SECRET });
    const err = await client.invoke('app.info', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('internal');
    expect((err as AppError).message).toMatch(/HTTP 500/);
  });

  it('turns a refused connection into the unavailable error', async () => {
    // Bind a port, then close it, so nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const client = createFetchClient({ baseUrl: `http://127.0.0.1:${port}`, secret: SECRET });
    const err = await client.invoke('sync.status', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unavailable');
    expect((err as AppError).message).toBe(LOST_CONTACT_MESSAGE);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const fakeFetch = (async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify({ ok: true, value: { count: 7 } }), { status: 200 });
    }) as unknown as typeof fetch;
    const client = createFetchClient({ baseUrl: 'http://host.invalid/', secret: SECRET, fetch: fakeFetch });
    await expect(client.invoke('students.count', {})).resolves.toEqual({ count: 7 });
    expect(calls).toEqual([`http://host.invalid${HOST_INVOKE_PATH}/students.count`]);
  });
});

describe('renderer IPC bridge transport', () => {
  it('unwraps replies and maps a broken bridge to unavailable', async () => {
    const ok = createBridgeClient({ invoke: async () => ({ ok: true, value: { count: 3 } }) });
    await expect(ok.invoke('students.count', {})).resolves.toEqual({ count: 3 });

    const failing = createBridgeClient({
      invoke: async () => ({ ok: false, error: { code: 'not_found', message: 'No such student.' } }),
    });
    await expect(failing.invoke('students.get', { id: '0190a3c2-7b1e-7c3d-8a4b-123456789abc' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'No such student.',
    });

    const broken = createBridgeClient({
      invoke: async () => {
        throw new Error('ipc gone');
      },
    });
    await expect(broken.invoke('sync.status', {})).rejects.toMatchObject({ code: 'unavailable', message: LOST_CONTACT_MESSAGE });
  });
});
