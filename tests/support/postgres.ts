import pg from 'pg';
import { randomToken } from '../../shared/ids.js';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

export const isCI = process.env.CI === 'true';

/** Where the real PostgreSQL for tests is: TEST_DATABASE_URL, else the local default. */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_URL;
}

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let probe: Promise<string | null> | undefined;

/** Why PostgreSQL cannot be used here, or null when it can. Under CI a missing database is an error, never a skip. */
export async function postgresUnavailable(): Promise<string | null> {
  probe ??= reachable(testDatabaseUrl());
  const reason = await probe;
  if (reason && isCI) throw new Error(`PostgreSQL is required under CI but unreachable at ${testDatabaseUrl()}: ${reason}`);
  if (reason) console.warn(`[tests] skipping PostgreSQL tests: ${reason}`);
  return reason;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server, so test files can run in parallel. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  const name = `sh_test_${randomToken(6)}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: testDatabaseUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
