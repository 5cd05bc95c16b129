import { parseArgs } from 'node:util';
import { startSyncServer } from './start.js';

const USAGE = `Usage: tsx sync-server/src/cli.ts [--port 3100] [--host 127.0.0.1] [--data .data/server] [--seed-demo]
  DATABASE_URL=postgres://...  use a real PostgreSQL instead of embedded PGlite in --data`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '3100' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string' },
        'seed-demo': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
}

const args = parse();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a number from 0 to 65535, not "${args.port}".`);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl && !args.data) console.warn('No --data folder and no DATABASE_URL: the database is in memory and is lost when the server stops.');

const server = await startSyncServer({
  port,
  host: args.host,
  ...(databaseUrl ? { databaseUrl } : args.data ? { dataDir: args.data } : {}),
  seedDemo: args['seed-demo'],
  logger: { level: 'info' },
});
console.log(`Schoolhouse sync server listening on ${server.url} (${server.db.kind})`);
if (server.demoEnrolmentCode) console.log(`Demo school enrolment code: ${server.demoEnrolmentCode}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
