import { sql, type Kysely, type Transaction } from 'kysely';
import type { ServerDatabase } from './schema.js';

export type TenantTrx = Transaction<ServerDatabase>;

/** Runs `work` in a transaction bound to one school: row-level security then shows and accepts
 * only that school's rows. The setting is transaction-local, so a pooled connection never
 * carries one request's school into the next. The tenant must come from a token, never from
 * request parameters. */
export async function withTenant<T>(db: Kysely<ServerDatabase>, tenantId: string, work: (trx: TenantTrx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('app.tenant_id', ${tenantId}, true)`.execute(trx);
    return work(trx);
  });
}
