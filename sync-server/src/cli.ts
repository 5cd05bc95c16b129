import { parseArgs } from 'node:util';
import { runBumpShape } from './cli-bump-shape.js';
import { runCreateSchool } from './cli-create-school.js';
import { DEMO_SCHOOL, DEMO_STAFF, FULL_DEMO } from './demo/seed-demo.js';
import { startSyncServer } from './start.js';

const USAGE = `Usage: npm run server -- [--port 3100] [--host 127.0.0.1] [--data .data/server] [--seed-demo]
       npm run server -- create-school --code KHS --name "Kilima Hills School" --currency KES
         --time-zone Africa/Nairobi --admin-username head --admin-name "Grace Wanjiru"
         [--term "Term 1:2027-01-04:2027-04-02" ...] [--data .data/server]
       npm run server -- bump-shape --school KHS [--data .data/server]
         after a breaking change: the school's devices rebuild their synced data (pending changes kept)
  DATABASE_URL=postgres://...  use a real PostgreSQL instead of embedded PGlite in --data
  SCHOOLHOUSE_ADMIN_PASSWORD   the first administrator's password (create-school)
  SCHOOLHOUSE_APP_DATABASE_URL the request pool's connection (default: DATABASE_URL as user schoolhouse_app)
  SCHOOLHOUSE_JWT_SECRET       signing key of staff access tokens (default: generated once, kept in the database)`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        code: { type: 'string' },
        school: { type: 'string' },
        name: { type: 'string' },
        currency: { type: 'string' },
        'time-zone': { type: 'string' },
        'admin-username': { type: 'string' },
        'admin-name': { type: 'string' },
        term: { type: 'string', multiple: true },
        port: { type: 'string', default: '3100' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string' },
        'seed-demo': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (e) {
    return fail((e as Error).message);
  }
}

const { values: args, positionals } = parse();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const command = positionals[0] ?? 'serve';
if (positionals.length > 1 || !['serve', 'create-school', 'bump-shape'].includes(command)) fail(`Unknown command "${positionals.join(' ')}".`);
if (command === 'create-school') {
  await runCreateSchool(args, fail);
  process.exit(0);
}
if (command === 'bump-shape') {
  await runBumpShape(args, fail);
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
  seedDemo: args['seed-demo'] ? FULL_DEMO : false,
  logger: { level: 'info' },
});
console.log(`Schoolhouse sync server listening on ${server.url} (${server.db.kind})`);
if (server.demoEnrolmentCode) {
  console.log(`Demo school enrolment codes: ${server.demoEnrolmentCode} (office), ${DEMO_SCHOOL.teacherEnrolmentCode} (teacher room)`);
  console.log(`Demo sign-ins: ${Object.values(DEMO_STAFF).map((s) => `${s.username} / ${s.password}`).join(', ')}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
