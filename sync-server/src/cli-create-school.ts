import { openServerDb } from './db/connect.js';
import { createSchool, type TermInput } from './tenants/create-school.js';
import { AppError } from '../../shared/api/errors.js';

export interface CreateSchoolArgs {
  code?: string | undefined;
  name?: string | undefined;
  currency?: string | undefined;
  'time-zone'?: string | undefined;
  'admin-username'?: string | undefined;
  'admin-name'?: string | undefined;
  term?: string[] | undefined;
  data?: string | undefined;
}

const TERM = /^(.+):(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$/;

/** `create-school`: the school, its roles and first administrator, and the one-time code that
 * enrols its first office device. The password comes from the environment, never argv
 * (argv is visible to every user of the machine in the process list). */
export async function runCreateSchool(args: CreateSchoolArgs, fail: (message: string) => never): Promise<void> {
  const password = process.env.SCHOOLHOUSE_ADMIN_PASSWORD;
  if (!password || password.length < 10) {
    fail('Set SCHOOLHOUSE_ADMIN_PASSWORD to the first administrator\'s password (at least 10 characters); it is not accepted on the command line.');
  }
  for (const required of ['code', 'name', 'currency', 'time-zone', 'admin-username', 'admin-name'] as const) {
    if (!args[required]) fail(`create-school needs --${required}.`);
  }
  const terms: TermInput[] = (args.term ?? []).map((t) => {
    const m = TERM.exec(t);
    if (!m) fail(`--term "${t}" must look like "Term 1:2027-01-04:2027-04-02" (name:start:end).`);
    return { name: m[1]!, startsOn: m[2]!, endsOn: m[3]! };
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl && !args.data) fail('create-school needs a database: set DATABASE_URL or pass --data <folder>.');
  const db = await openServerDb(databaseUrl ? { databaseUrl } : { dataDir: args.data! });
  try {
    const created = await createSchool(db.db, {
      code: args.code!,
      name: args.name!,
      currency: args.currency!,
      timeZone: args['time-zone']!,
      terms,
      admin: { username: args['admin-username']!, displayName: args['admin-name']!, password },
    });
    console.log(`Created ${created.tenant.name} (${created.tenant.code}), administrator "${args['admin-username']}".`);
    console.log(`Enrolment code for the first office device (single use, until ${created.enrolment.expiresAt}):`);
    console.log(created.enrolment.code);
  } catch (e) {
    if (e instanceof AppError) fail(e.message);
    if ((e as { code?: string }).code === '23505') fail(`A school with code ${args.code} already exists.`);
    throw e;
  } finally {
    await db.close();
  }
}
