// The sync-server bench's server, in its own process so its CPU time and memory can be read from
// /proc/<pid>. Enrolment is not rate limited here: the bench enrols ~1,000 devices from one
// address. Prints its URL on the first line; stops on SIGTERM.
//   argv: <databaseUrl> <liveTimeoutMs>
import { startSyncServer } from '../../sync-server/src/start.js';

const [databaseUrl, liveTimeoutMs] = process.argv.slice(2);
if (!databaseUrl || !Number(liveTimeoutMs)) {
  console.error('usage: sync-server-process.ts <database url> <live timeout ms>');
  process.exit(2);
}
const server = await startSyncServer({
  port: 0,
  databaseUrl,
  liveTimeoutMs: Number(liveTimeoutMs),
  enrolRateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
  logger: false,
});
console.log(server.url);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
