// Sync servers as separate OS processes (tests/support/server-process.ts) on one PostgreSQL
// database, as a school is served behind a load balancer.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

const SCRIPT = fileURLToPath(new URL('./server-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  /** The application_name its database sessions carry, to find them in pg_stat_activity. */
  applicationName: string;
  stop(): Promise<void>;
}

/** Starts a server process whose database sessions are named `applicationName`. */
export async function startServerProcess(databaseUrl: string, applicationName: string, liveTimeoutMs: number): Promise<ServerProcess> {
  const url = new URL(databaseUrl);
  url.searchParams.set('application_name', applicationName);
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, url.toString(), String(liveTimeoutMs)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const early = exited.then((code) => {
    throw new Error(`sync-server process ${applicationName} stopped by itself (exit ${code}): ${err}`);
  });
  early.catch(() => undefined);
  const line = await Promise.race([waitFor(`sync-server process ${applicationName} to listen`, async () => /^LISTENING (\S+)\n/.exec(out), 30_000), early]);
  return {
    url: line[1]!,
    applicationName,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
