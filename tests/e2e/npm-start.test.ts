// `npm start` on a machine without an Electron runtime: the server starts on embedded PGlite
// with the demo school, the device enrols, and the app is served to a browser with a clear
// message saying why.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEMO_STAFF } from '../../sync-server/src/demo/seed-demo.js';

const root = resolve(import.meta.dirname, '../..');
const dataRoot = mkdtempSync(join(tmpdir(), 'schoolhouse-start-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataRoot, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves the demo school to a browser when no Electron runtime is installed, and stops on Ctrl+C', async () => {
    // Exactly what `npm start` runs: one process, so Ctrl+C reaches the script itself.
    child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], {
      cwd: root,
      env: { ...process.env, SCHOOLHOUSE_DATA_ROOT: dataRoot, SCHOOLHOUSE_SERVER_PORT: '0', SCHOOLHOUSE_APP_PORT: '0', SCHOOLHOUSE_BROWSER: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));

    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not print an address:\n${output}`)), 90_000);
      child!.stdout!.on('data', () => {
        const m = /Schoolhouse is running: open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]!);
        }
      });
      child!.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    expect(output).toMatch(/No Electron runtime to open a window \(SCHOOLHOUSE_BROWSER=1 asks for the browser\), so the app is served to your browser instead/);
    expect(output).toMatch(/School: Kilima Hills School/);

    const page = await (await fetch(url)).text();
    const secret = /<meta name="schoolhouse-secret" content="([0-9a-f]+)">/.exec(page)?.[1];
    expect(secret).toBeTruthy();
    const invoke = async (method: string, body: unknown) =>
      (await (await fetch(`${url}api/invoke/${method}`, { method: 'POST', headers: { 'x-schoolhouse-secret': secret! }, body: JSON.stringify(body) })).json()) as {
        ok: boolean;
        value: { count: number };
      };
    expect(output).toContain(`${DEMO_STAFF.bursar.username} / ${DEMO_STAFF.bursar.password}`);
    expect((await invoke('auth.login', { username: DEMO_STAFF.bursar.username, password: DEMO_STAFF.bursar.password })).ok).toBe(true);
    const countStudents = async () => (await invoke('students.count', {})).value.count;
    // The device pulls the demo school from the server it just enrolled with.
    await expect.poll(countStudents, { timeout: 30_000 }).toBe(3000);

    const exit = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exit).toBe(0);
  }, 120_000);
});
