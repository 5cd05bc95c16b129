import { sql, type Kysely } from 'kysely';

// Ledger rows are never updated or deleted: the code never does, and from here on the role the
// server serves requests as cannot either. A correction is always a new row (a void).

const APP_ROLE = 'schoolhouse_app';
const LEDGER_TABLES = ['payments', 'charges', 'voids', 'login_history', 'sync_changes', 'applied_mutations'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of LEDGER_TABLES) {
    await sql`revoke update, delete on ${sql.table(table)} from ${sql.id(APP_ROLE)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of LEDGER_TABLES) {
    await sql`grant update, delete on ${sql.table(table)} to ${sql.id(APP_ROLE)}`.execute(db);
  }
}
