// The browser host: the same dispatch as Electron, guarded by a per-run secret and the Host header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host.js';
import { openTestDevice, type TestDevice } from '../support/local-device.js';
import { HOST_INVOKE_PATH, HOST_SECRET_HEADER } from '../../shared/api/contract.js';

let device: TestDevice;
let host: BrowserHost;
let staticDir: string;

beforeAll(async () => {
  device = await openTestDevice({ students: 30 });
  staticDir = mkdtempSync(join(tmpdir(), 'schoolhouse-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<html><head><meta name="schoolhouse-secret" content=""></head><body></body></html>');
  writeFileSync(join(staticDir, 'app.js'), 'console.log(1)');
  host = await startBrowserHost({ dispatch: device.core.dispatch, staticDir });
});
afterAll(async () => {
  await host.close();
  await device.dispose();
  rmSync(staticDir, { recursive: true, force: true });
});

function invoke(method: string, body: string, headers: Record<string, string> = { [HOST_SECRET_HEADER]: host.secret }) {
  return fetch(`${host.url}${HOST_INVOKE_PATH.slice(1)}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** fetch() will not forge a Host header; a raw request can, as a DNS-rebinding page would. */
function rawGet(path: string, hostHeader: string): Promise<number> {
  const { port } = new URL(host.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: hostHeader } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser host', () => {
  it('serves the page with this run’s secret and a strict CSP', async () => {
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain(`<meta name="schoolhouse-secret" content="${host.secret}">`);
  });

  it('answers API calls that carry the secret', async () => {
    const res = await invoke('students.count', '{}');
    expect(await res.json()).toEqual({ ok: true, value: { count: 30 } });
  });

  it('refuses calls without the secret or with a wrong one, before reaching core', async () => {
    const attempts: Record<string, string>[] = [{}, { [HOST_SECRET_HEADER]: 'x'.repeat(host.secret.length) }, { [HOST_SECRET_HEADER]: 'short' }];
    for (const headers of attempts) {
      const res = await invoke('payments.record', JSON.stringify({ studentId: device.students[0]!.id, amountMinor: 100 }), headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error.message).toMatch(/secret/);
    }
    expect(device.core.store.sqlite.prepare('select count(*) from payments').pluck().get()).toBe(0);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { port } = new URL(host.url);
    expect(await rawGet('/', 'evil.example')).toBe(403);
    expect(await rawGet('/', `127.0.0.1:${port}`)).toBe(200);
    expect(await rawGet('/', `localhost:${port}`)).toBe(200);
  });

  it('gives clear errors for bad JSON, oversized bodies, wrong verbs and unknown methods', async () => {
    const bad = await invoke('students.list', '{not json');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/not valid JSON/);
    const big = await invoke('students.list', JSON.stringify({ search: 'x'.repeat(17 * 1024 * 1024) })).catch((e: Error) => e);
    if (big instanceof Response) expect(big.status).toBe(413);
    const get = await fetch(`${host.url}${HOST_INVOKE_PATH.slice(1)}/students.list`);
    expect(get.status).toBe(405);
    const unknown = await invoke('students.drop', '{}');
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const invalid = await invoke('payments.record', JSON.stringify({ studentId: device.students[0]!.id, amountMinor: -1 }));
    expect(await invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('never serves files outside the renderer folder', async () => {
    expect(await rawGet('/../../etc/passwd', new URL(host.url).host)).toBe(200);
    const res = await fetch(`${host.url}..%2f..%2fetc%2fpasswd`);
    expect(await res.text()).not.toContain('root:');
  });
});
