// The initial-sync bench's sync server, in its own process (as in production: the device and
// the server do not share an event loop or a core). Prints its URL on the first line.
import { startSyncServer } from '../../sync-server/src/start.js';

const [databaseUrl, chunk] = process.argv.slice(2);
if (!databaseUrl || !Number(chunk)) {
  console.error('usage: initial-sync-server.ts <database url> <rows per page>');
  process.exit(2);
}
const server = await startSyncServer({ port: 0, databaseUrl, shapeChunkSize: Number(chunk), logger: false });
console.log(server.url);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
