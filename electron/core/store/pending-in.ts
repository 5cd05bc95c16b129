import Sqlite from 'better-sqlite3';

/** How many changes a backup's outbox holds: its own small table, read without loading the rest
 * (0 when the file cannot be read; restoring it says why). */
export function pendingIn(file: string): number {
  let db: Sqlite.Database | undefined;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
    return Number(db.prepare('select count(*) from outbox').pluck().get());
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}
