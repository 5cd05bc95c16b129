import { sql, type Kysely } from 'kysely';
import type { DeviceProfile } from '../../../shared/domain/permissions.js';
import type { ServerDatabase } from './schema.js';

// Lookups made before the tenant is known go through SECURITY DEFINER functions (migration
// 0002): they answer one question and return only what the caller needs.

export interface DeviceByToken {
  tenant_id: string;
  id: string;
  receipt_series: string;
  profile: DeviceProfile;
  revoked: boolean;
}

export async function deviceByTokenHash(db: Kysely<ServerDatabase>, tokenHash: string): Promise<DeviceByToken | undefined> {
  const r = await sql<DeviceByToken>`select * from sh_device_by_token(${tokenHash})`.execute(db);
  return r.rows[0];
}

/** deviceByTokenHash for many tokens in one query (the long-polls a change wakes re-check
 * their devices together): the rows found, by token hash. */
export async function devicesByTokenHashes(db: Kysely<ServerDatabase>, tokenHashes: readonly string[]): Promise<Map<string, DeviceByToken>> {
  const r = await sql<DeviceByToken & { token_hash: string }>`select t.h as token_hash, d.*
    from unnest(${[...tokenHashes]}::text[]) as t(h) cross join lateral sh_device_by_token(t.h) d`.execute(db);
  return new Map(r.rows.map(({ token_hash, ...device }) => [token_hash, device]));
}

/** The school an enrolment code belongs to, or null; validity (expiry, use) is checked inside
 * that school's transaction. */
export async function tenantOfEnrolmentCode(db: Kysely<ServerDatabase>, codeHash: string): Promise<string | null> {
  const r = await sql<{ t: string | null }>`select sh_enrolment_code_tenant(${codeHash}) as t`.execute(db);
  return r.rows[0]?.t ?? null;
}

/** The JWT signing secret shared by every server process: `candidate` is stored if none is. */
export async function sharedJwtSecret(db: Kysely<ServerDatabase>, candidate: string): Promise<string> {
  const r = await sql<{ s: string }>`select sh_jwt_secret(${candidate}) as s`.execute(db);
  return r.rows[0]!.s;
}
