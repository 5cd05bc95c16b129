import type Sqlite from 'better-sqlite3';

/** How many distinct statements to keep compiled: every query shape core runs, with room. */
const CAPACITY = 500;

/**
 * Core's compiled statements, kept by their SQL text (least recently used dropped first).
 * Kysely hands over SQL text on every query; compiling it again is most of what a query path
 * adds over a raw prepared statement on a hot read. Safe because core has one connection, runs
 * one query on it at a time, and never streams (a streamed statement stays busy until read out).
 */
export class StatementCache {
  readonly #sqlite: Sqlite.Database;
  readonly #cache = new Map<string, Sqlite.Statement>();

  constructor(sqlite: Sqlite.Database) {
    this.#sqlite = sqlite;
  }

  prepare(sql: string): Sqlite.Statement {
    let stmt = this.#cache.get(sql);
    if (stmt) {
      this.#cache.delete(sql);
    } else {
      stmt = this.#sqlite.prepare(sql);
      if (this.#cache.size >= CAPACITY) this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(sql, stmt);
    return stmt;
  }

  clear(): void {
    this.#cache.clear();
  }
}
