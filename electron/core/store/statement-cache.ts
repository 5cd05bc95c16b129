import type Sqlite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** How many distinct statements to keep compiled: every query shape core runs, with room. */
const CAPACITY = 500;

/**
 * The connection Kysely's SqliteDialect is given: the same better-sqlite3 database, except that
 * `prepare` keeps each compiled statement by its SQL text (least recently used dropped first).
 * Kysely prepares on every query; compiling is most of what it adds over a raw prepared
 * statement on a hot read. Safe because core has one connection and Kysely runs one query on it
 * at a time, and no core query streams (a streamed statement stays busy until it is read out).
 */
export function withStatementCache(sqlite: Sqlite.Database): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= CAPACITY) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
