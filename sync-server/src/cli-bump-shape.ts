import { openServerDb } from './db/connect.js';
import { bumpShapeEpoch } from './shape/handle.js';

export interface BumpShapeArgs {
  school?: string | undefined;
  data?: string | undefined;
}

/** `bump-shape`: after a breaking change to a school's synced data, every device of the school
 * rebuilds its synced tables from a fresh snapshot at its next request (409 must-refetch); what
 * it has not sent yet stays in its outbox and is sent after. */
export async function runBumpShape(args: BumpShapeArgs, fail: (message: string) => never): Promise<void> {
  if (!args.school) fail('bump-shape needs --school <code>, the school\'s code (e.g. KHS).');
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl && !args.data) fail('bump-shape needs a database: set DATABASE_URL or pass --data <folder>.');
  const db = await openServerDb(databaseUrl ? { databaseUrl } : { dataDir: args.data! });
  try {
    const code = args.school!.trim().toUpperCase();
    const school = await db.db.selectFrom('tenants').select(['id', 'name', 'code']).where('code', '=', code).executeTakeFirst();
    if (!school) {
      const known = await db.db.selectFrom('tenants').select('code').orderBy('code').limit(20).execute();
      fail(`No school has the code "${args.school}". ${known.length ? `Schools here: ${known.map((k) => k.code).join(', ')}.` : 'This database has no schools yet.'}`);
    }
    await bumpShapeEpoch(db.db, school.id);
    console.log(`Bumped the shape of ${school.name} (${school.code}): each device rebuilds its synced data from a fresh snapshot at its next sync and keeps the changes it has not sent.`);
  } finally {
    await db.close();
  }
}
