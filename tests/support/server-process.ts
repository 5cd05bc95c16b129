// Run with `node --import tsx` by tests that need several sync-server processes on one database
// (tests/support/server-processes.ts): starts a server on a free port and prints one line
// `LISTENING <url>` once it serves; stops on SIGTERM, or when its parent goes away (stdin closes).
//   argv: <databaseUrl> <liveTimeoutMs>
import { startSyncServer } from '../../sync-server/src/start.js';

const [databaseUrl, liveTimeoutMs] = process.argv.slice(2);
if (!databaseUrl || !Number(liveTimeoutMs)) {
  console.error('usage: server-process.ts <databaseUrl> <liveTimeoutMs>');
  process.exit(2);
}

const server = await startSyncServer({ port: 0, databaseUrl, liveTimeoutMs: Number(liveTimeoutMs) });
process.stdout.write(`LISTENING ${server.url}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.once('end', stop).resume();
