// `npm run server -- bump-shape --school CODE`: the administrator's way to announce a breaking
// change. Run as a real child process against the server's database (PGlite folder or
// PostgreSQL); afterwards a device's old handle gets 409 must-refetch. Bad input: clear errors.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENROL_PATH, SHAPE_PATH, type EnrolResponse } from '../../shared/sync/protocol.js';
import { startSyncServer, type RunningSyncServer } from '../../sync-server/src/start.js';
import { BACKENDS, backendSkipped, freshBackend, type BackendConfig } from '../support/sync-server.js';

const run = promisify(execFile);

describe.each(BACKENDS)('the bump-shape command on %s', (kind) => {
  if (backendSkipped(kind)) return;

  let backend: BackendConfig;
  let dataDir: string;
  let device: EnrolResponse;

  const where = () => (backend.databaseUrl ? { databaseUrl: backend.databaseUrl } : { dataDir });

  async function handleOf(server: RunningSyncServer, handle?: string): Promise<{ status: number; handle: string | null }> {
    const query = handle ? `offset=0_0&handle=${encodeURIComponent(handle)}` : 'offset=-1';
    const res = await fetch(`${server.url}${SHAPE_PATH}?${query}`, { headers: { authorization: `Bearer ${device.token}` } });
    await res.arrayBuffer();
    return { status: res.status, handle: res.headers.get('electric-handle') };
  }

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env };
    if (backend.databaseUrl) env.DATABASE_URL = backend.databaseUrl;
    else delete env.DATABASE_URL;
    const extra = backend.databaseUrl ? [] : ['--data', dataDir];
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'sync-server/src/cli.ts', ...args, ...extra], { env, timeout: 60_000 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  beforeAll(async () => {
    backend = await freshBackend(kind);
    dataDir = mkdtempSync(join(tmpdir(), 'schoolhouse-bump-'));
    const server = await startSyncServer({ port: 0, ...where(), seedDemo: { students: 5 } });
    try {
      const res = await fetch(`${server.url}${ENROL_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ enrolmentCode: server.demoEnrolmentCode, deviceName: 'Office' }),
      });
      device = (await res.json()) as EnrolResponse;
    } finally {
      await server.close();
    }
  });

  afterAll(async () => {
    await backend.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('bumps the named school, after which a device holding the old handle must refetch', async () => {
    let server = await startSyncServer({ port: 0, ...where() });
    const before = await handleOf(server);
    await server.close();

    const out = await cli('bump-shape', '--school', 'demo');
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Bumped the shape of Kilima Hills School (DEMO): each device rebuilds its synced data from a fresh snapshot at its next sync and keeps the changes it has not sent.');

    server = await startSyncServer({ port: 0, ...where() });
    try {
      const stale = await handleOf(server, before.handle!);
      expect(stale.status).toBe(409);
      expect(stale.handle).not.toBe(before.handle);
    } finally {
      await server.close();
    }
  });

  it('refuses an unknown school or a missing --school, saying what to pass', async () => {
    const unknown = await cli('bump-shape', '--school', 'NOPE');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No school has the code "NOPE". Schools here: DEMO.');
    const missing = await cli('bump-shape');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("bump-shape needs --school <code>, the school's code (e.g. KHS).");
  });
});
