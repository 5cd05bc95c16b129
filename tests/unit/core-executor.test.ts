import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Generated, type Kysely } from 'kysely';
import { openLocalStore, type LocalStore } from '../../electron/core/store/open-store.js';
import { withSqlite } from '../../electron/core/store/with-sqlite.js';

// Core's Kysely runs a query at once when nobody holds the connection; these check that a
// query never slips into someone else's transaction and that results and errors are Kysely's.
let dir: string;
let store: LocalStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'core-executor-'));
  store = await openLocalStore(join(dir, 'store.sqlite'));
  await sql`create table t (id integer primary key, v text not null)`.execute(store.db);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const db = () => store.db as unknown as Kysely<{ t: { id: Generated<number>; v: string } }>;

describe('core executor', () => {
  it('returns rows, inserted ids and affected rows as Kysely does', async () => {
    const inserted = await db().insertInto('t').values({ v: 'a' }).executeTakeFirstOrThrow();
    expect(inserted.insertId).toBe(1n);
    await db().insertInto('t').values([{ v: 'b' }, { v: 'c' }]).execute();
    const updated = await db().updateTable('t').set({ v: 'x' }).where('id', '>', 1).executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(2n);
    expect(await db().selectFrom('t').select(['id', 'v']).orderBy('id').execute()).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'x' },
      { id: 3, v: 'x' },
    ]);
  });

  it('rejects a failing query with the SQLite error and keeps the data', async () => {
    await db().insertInto('t').values({ id: 1, v: 'a' }).execute();
    await expect(db().insertInto('t').values({ id: 1, v: 'b' }).execute()).rejects.toThrow(/UNIQUE constraint failed/);
    expect(await db().selectFrom('t').select('v').execute()).toEqual([{ v: 'a' }]);
  });

  it('a query made while a transaction holds the connection runs after it, never inside it', async () => {
    let outside: Promise<{ v: string }[]> | undefined;
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('t').values({ v: 'rolled back' }).execute();
          outside = db().selectFrom('t').select('v').execute();
          // Give the outside query every chance to run now.
          await new Promise((resolve) => setTimeout(resolve, 10));
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    expect(await outside).toEqual([]);
  });

  it('a query made during withSqlite waits for the synchronous work to finish', async () => {
    const order: string[] = [];
    const held = withSqlite(store, (sqlite) => {
      sqlite.prepare("insert into t (v) values ('held')").run();
      order.push('withSqlite');
    });
    const after = db()
      .selectFrom('t')
      .select('v')
      .execute()
      .then((rows) => {
        order.push('query');
        return rows;
      });
    await held;
    expect(await after).toEqual([{ v: 'held' }]);
    expect(order).toEqual(['withSqlite', 'query']);
  });

  it('refuses to stream: a streamed statement would hold the one connection', async () => {
    const stream = db().selectFrom('t').select('v').stream();
    await expect(stream.next()).rejects.toThrow(/does not stream/);
  });
});
