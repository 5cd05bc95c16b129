// `npm run seed`: writes the generated school (sync-server/src/demo/big, the same rows the bench
// uses) into the sync server's database `npm start` uses, as a second school beside the demo,
// and resets the app's device data so `npm start` enrols afresh into it and first-syncs it.
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openServerDb } from '../sync-server/src/db/connect.js';
import { BIG_SCHOOL, bigSchoolExists, createBigSchool } from '../sync-server/src/demo/big/create-big-school.js';
import { DEMO_STAFF } from '../sync-server/src/demo/demo-school.js';
import { attendanceTarget } from '../sync-server/src/demo/big/school-source.js';

const USAGE = `Usage: npm run seed -- [--students 100000] [--payments N] [--attendance N] [--seed 1]
                      [--data .data] [--database-url postgres://...]
  --students     students in the school (default 100,000)
  --payments     payments over the year (default 10 per student: 1,000,000)
  --attendance   attendance marks, whole morning registers (default 20 per student: 2,000,000)
  --seed         the generator's seed: the same seed writes the same school
  --data         the folder npm start uses (default .data): the server's PGlite in <data>/server
  --database-url a PostgreSQL database instead of PGlite (also DATABASE_URL)
Then \`npm start\` serves it: the app's device (<data>/device, <data>/desktop) is removed here so it
enrols afresh into the generated school and syncs it.`;

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '100000' },
    payments: { type: 'string' },
    attendance: { type: 'string' },
    seed: { type: 'string', default: '1' },
    data: { type: 'string', default: process.env.SCHOOLHOUSE_DATA_ROOT ?? join(root, '.data') },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function count(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100_000_000) {
    console.error(`--${name} must be a whole number from 0 to 100,000,000 (got "${value}").\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}
const students = count('students', args.students, 100_000);
if (students < 1) {
  console.error(`--students must be at least 1.\n\n${USAGE}`);
  process.exit(2);
}
const params = {
  students,
  payments: count('payments', args.payments, students * 10),
  attendance: count('attendance', args.attendance, attendanceTarget({ students, payments: 0, seed: 0 })),
  seed: count('seed', args.seed, 1),
};

const dataRoot = resolve(args.data);
const where = args['database-url'] ? 'PostgreSQL' : join(dataRoot, 'server');
console.log(`Seeding ${params.students.toLocaleString('en')} students, ${params.payments.toLocaleString('en')} payments, about ${params.attendance.toLocaleString('en')} attendance marks (seed ${params.seed}) into ${where}…`);
const server = await openServerDb(args['database-url'] ? { databaseUrl: args['database-url'] } : { dataDir: join(dataRoot, 'server') });
try {
  if (await bigSchoolExists(server.db)) {
    console.error(
      `A generated school is already in ${where}. To write another, start from an empty server: ` +
        (args['database-url'] ? 'drop and recreate the database.' : `delete ${join(dataRoot, 'server')} (npm start seeds the demo school again).`),
    );
    process.exitCode = 1;
  } else {
    const started = performance.now();
    const summary = await createBigSchool(server.db, params, (msg) => console.log(msg));
    const seconds = (performance.now() - started) / 1000;
    // npm start enrols its device with this code (and says which school it is).
    writeFileSync(join(dataRoot, 'seeded-school.json'), `${JSON.stringify({ name: BIG_SCHOOL.name, enrolmentCode: BIG_SCHOOL.enrolmentCode, params, summary }, null, 2)}\n`);
    for (const dir of ['device', 'desktop']) rmSync(join(dataRoot, dir), { recursive: true, force: true });
    const signIns = Object.values(DEMO_STAFF).map((s) => `${s.username} / ${s.password}`).join(', ');
    console.log(
      `\nDone in ${seconds.toFixed(0)} s: ${summary.students.toLocaleString('en')} students, ${summary.guardians.toLocaleString('en')} guardians, ` +
        `${summary.classes} classes, ${summary.charges.toLocaleString('en')} charges, ${summary.payments.toLocaleString('en')} payments, ` +
        `${summary.attendanceRecords.toLocaleString('en')} attendance marks in ${summary.attendanceSessions.toLocaleString('en')} registers.\n` +
        `School: ${BIG_SCHOOL.name} (${BIG_SCHOOL.code}). Office enrolment code: ${BIG_SCHOOL.enrolmentCode}\n` +
        `Sign-ins (as in the demo): ${signIns}\n` +
        `Removed the app's device data (${join(dataRoot, 'device')}, ${join(dataRoot, 'desktop')}): \`npm start\` now enrols into this school and syncs it.`,
    );
  }
} finally {
  await server.close();
}
