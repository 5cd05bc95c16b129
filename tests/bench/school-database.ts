// The initial-sync bench's school on PostgreSQL, written once and kept as a template database
// (writing the 100k school takes minutes; copying it, seconds): keyed by the school options and
// a hash of everything that shapes the rows (the generator, the server's migrations). Each run
// syncs from a fresh copy, so a run never sees another's devices or changes.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { randomToken } from '../../shared/ids.js';
import { openServerDb } from '../../sync-server/src/db/connect.js';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../../sync-server/src/db/schema.js';
import { testDatabaseUrl, type TestDatabase } from '../support/postgres.js';

const root = resolve(import.meta.dirname, '../..');

function sourcesHash(options: unknown): string {
  const h = createHash('sha256').update(JSON.stringify(options));
  const dirs = ['sync-server/src/demo/big', 'sync-server/src/db/migrations'];
  const files = [...dirs.flatMap((d) => readdirSync(join(root, d)).sort().map((f) => join(root, d, f))), join(root, 'tests/support/big-school.ts'), join(root, 'tests/support/sync-server.ts')];
  for (const f of files) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 10);
}

function urlOf(name: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: testDatabaseUrl() });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/**
 * A copy of the cached school for `options`, writing it first when there is none. `write` fills
 * a migrated database and returns what it wrote (kept as the template's comment).
 */
export async function schoolDatabase(
  options: Record<string, unknown>,
  write: (db: Kysely<ServerDatabase>) => Promise<string>,
  log: (msg: string) => void,
): Promise<TestDatabase & { written: string; cached: boolean }> {
  const template = `sh_bench_school_${sourcesHash(options)}`;
  let written = await admin(async (c) => (await c.query<{ d: string | null }>('select shobj_description(oid, $2) as d from pg_database where datname = $1', [template, 'pg_database'])).rows[0]?.d ?? null);
  const cached = written !== null;
  if (!cached) {
    const partial = `${template}_partial`;
    await admin((c) => c.query(`drop database if exists ${partial} with (force)`).then(() => c.query(`create database ${partial}`)));
    const owner = await openServerDb({ databaseUrl: urlOf(partial) });
    try {
      written = await write(owner.db);
    } finally {
      await owner.close();
    }
    await admin(async (c) => {
      await c.query(`comment on database ${partial} is ${pg.escapeLiteral(written!)}`);
      await c.query(`alter database ${partial} rename to ${template}`);
    });
  } else {
    log(`school cached in PostgreSQL database ${template}: ${written}`);
  }
  const name = `sh_test_${randomToken(6)}`;
  const started = performance.now();
  await admin((c) => c.query(`create database ${name} template ${template}`));
  if (cached) log(`  copied for this run in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    url: urlOf(name),
    written: written!,
    cached,
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}
