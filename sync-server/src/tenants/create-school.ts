import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ADMINISTRATOR_ROLE_KEY, BUILTIN_ROLES } from '../../../shared/domain/permissions.js';
import { Password, Username } from '../../../shared/domain/staff.js';
import { uuidv7 } from '../../../shared/ids.js';
import { CURRENCY_PATTERN } from '../../../shared/money.js';
import type { EnrolmentCode } from '../../../shared/sync/protocol.js';
import { parseInput } from '../../../shared/validate.js';
import { hashPassword } from '../auth/passwords.js';
import type { ServerDatabase, Tenant } from '../db/schema.js';
import { withTenant, type TenantTrx } from '../db/with-tenant.js';
import { issueEnrolmentCode } from '../devices/enrolment-codes.js';
import { insertRole, insertStaff } from '../staff/rows.js';
import { insertTerms } from './terms.js';

const IsoDate = z.iso.date({ error: 'Dates are written YYYY-MM-DD.' });

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const TermInput = z
  // At most 40 characters: a term's name is synced as TermRow and named by fee structures.
  .object({ name: z.string().trim().min(1).max(40), startsOn: IsoDate, endsOn: IsoDate })
  .refine((t) => t.endsOn >= t.startsOn, { error: 'A term cannot end before it starts.' });
export type TermInput = z.infer<typeof TermInput>;

export const CreateSchoolInput = z.object({
  id: z.string().min(1).max(64).optional(),
  /** Prefix of every receipt series: 2–8 capital letters or digits. */
  code: z.string().regex(/^[A-Z0-9]{2,8}$/, { error: 'School code must be 2–8 capital letters or digits, e.g. KHS.' }),
  name: z.string().trim().min(1).max(120),
  currency: z.string().regex(CURRENCY_PATTERN, { error: 'Currency must be a 3-letter ISO code such as KES.' }),
  timeZone: z.string().refine(validTimeZone, { error: 'Time zone must be an IANA name such as Africa/Nairobi.' }),
  terms: z.array(TermInput).max(12).optional(),
  admin: z.object({ username: Username, displayName: z.string().trim().min(1).max(80), password: Password }),
});
export type CreateSchoolInput = z.input<typeof CreateSchoolInput>;

export interface CreatedSchool {
  tenant: Tenant;
  /** The first administrator's staff id. */
  adminId: string;
  /** Role ids by built-in key (administrator, bursar, …). */
  roleIds: Record<string, string>;
  /** One-time code for the first office device, valid 7 days. */
  enrolment: EnrolmentCode;
}

/** Creates a school: the tenant, its terms, the built-in roles and the first administrator,
 * and a one-time enrolment code for its first office device. One transaction: all or nothing. */
export async function createSchool(db: Kysely<ServerDatabase>, input: CreateSchoolInput): Promise<CreatedSchool> {
  const s = parseInput(CreateSchoolInput, input, 'school');
  const id = s.id ?? uuidv7();
  // Hashed before the transaction: scrypt is slow by design and must not hold locks.
  const passwordHash = await hashPassword(s.admin.password);
  return withTenant(db, id, (trx) => createSchoolIn(trx, { ...s, id }, passwordHash));
}

/** The body of createSchool, for callers that already hold a transaction bound to `s.id`. */
export async function createSchoolIn(
  trx: TenantTrx,
  s: z.output<typeof CreateSchoolInput> & { id: string },
  adminPasswordHash: string,
  adminId: string = uuidv7(),
): Promise<CreatedSchool> {
  const tenant = await trx
    .insertInto('tenants')
    .values({ id: s.id, code: s.code, name: s.name, currency: s.currency, time_zone: s.timeZone })
    .returningAll()
    .executeTakeFirstOrThrow();
  const origin = { mutationId: null, deviceId: null };
  const terms = (s.terms ?? []).map((t) => ({ id: uuidv7(), name: t.name, starts_on: t.startsOn, ends_on: t.endsOn }));
  await insertTerms(trx, s.id, terms, origin);
  const roleIds: Record<string, string> = {};
  for (const role of BUILTIN_ROLES) {
    roleIds[role.key] = uuidv7();
    await insertRole(trx, s.id, { id: roleIds[role.key]!, key: role.key, name: role.name, permissions: [...role.permissions] }, origin);
  }
  await insertStaff(
    trx,
    s.id,
    { id: adminId, username: s.admin.username, display_name: s.admin.displayName, role_id: roleIds[ADMINISTRATOR_ROLE_KEY]!, active: true },
    adminPasswordHash,
    origin,
  );
  const enrolment = await issueEnrolmentCode(trx, s.id, 'office', adminId);
  return { tenant, adminId, roleIds, enrolment };
}
