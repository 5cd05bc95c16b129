// A power cut in the middle of a SQLite transaction on a real device file: a command's (a TEMP
// trigger on its last write, the domain row written after its outbox entry), storing a page of
// pulled changes (the offset moving), or settling the outbox after the server's answer (an entry
// leaving). The trigger calls a function that copies the database and its WAL exactly as they are
// on disk at that instant (the transaction not committed), then fails the statement so the
// transaction never commits here either. The device is then reopened from the copy, the way the
// computer would start after the cut.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../electron/core/open-core.js';
import { LOCAL_DB_FILE } from '../../electron/core/open-core.js';

export interface PowerCut {
  /** The outbox entry the command had appended when the power went (null: it never got there). */
  readonly queued: { mutationId: string; name: string; args: unknown } | null;
  /** Whether the cut happened (the watched write was reached). */
  readonly happened: boolean;
  /** Removes the trigger and the function's effect (for a command that never reached the write). */
  disarm(): void;
}

let armed = 0;

/**
 * Arms a power cut at the first `op` of `table` inside a transaction on this device, when the
 * trigger's `when` condition holds (SQL over new/old; every row when absent): the files as they
 * are at that instant land in `copyDir` (named as openCore expects).
 */
export function armPowerCut(core: Core, dataDir: string, copyDir: string, watch: { table: string; op: 'insert' | 'update' | 'delete'; when?: string }): PowerCut {
  const sqlite = core.store.sqlite;
  const name = `test_power_cut_${++armed}`;
  let queued: PowerCut['queued'] = null;
  let happened = false;
  sqlite.function(`${name}_queued`, (mutationId: unknown, mutation: unknown, args: unknown) => {
    queued = { mutationId: String(mutationId), name: String(mutation), args: JSON.parse(String(args)) };
    return 0;
  });
  sqlite.function(name, () => {
    // A write outside a transaction is all or nothing by itself: no moment inside it to cut.
    if (happened || !sqlite.inTransaction) return 0;
    happened = true;
    const file = join(dataDir, LOCAL_DB_FILE);
    for (const suffix of ['', '-wal']) if (existsSync(file + suffix)) copyFileSync(file + suffix, join(copyDir, LOCAL_DB_FILE + suffix));
    throw new Error('test power cut: the computer lost power here');
  });
  const when = watch.when ? `when ${watch.when}` : '';
  sqlite.exec(`create temp trigger ${name}_outbox after insert on main.outbox begin select ${name}_queued(new.mutation_id, new.name, new.args); end;
    create temp trigger ${name} after ${watch.op} on main.${watch.table} ${when} begin select ${name}(); end;`);
  return {
    get queued() {
      return queued;
    },
    get happened() {
      return happened;
    },
    disarm() {
      sqlite.exec(`drop trigger if exists temp.${name}_outbox; drop trigger if exists temp.${name};`);
    },
  };
}
