import type { Kysely } from 'kysely';
import { z } from 'zod';
import { uuidv7 } from '../../../shared/ids.js';
import { CURRENCY_PATTERN } from '../../../shared/money.js';
import { parseInput } from '../../../shared/validate.js';
import { sha256Hex } from '../auth/hash.js';
import type { ServerDatabase, Tenant } from '../db/schema.js';

export const CreateSchoolInput = z.object({
  id: z.string().min(1).max(64).optional(),
  /** Prefix of every receipt series: 2–8 capital letters or digits. */
  code: z.string().regex(/^[A-Z0-9]{2,8}$/, { error: 'School code must be 2–8 capital letters or digits, e.g. KHS.' }),
  name: z.string().trim().min(1).max(120),
  currency: z.string().regex(CURRENCY_PATTERN, { error: 'Currency must be a 3-letter ISO code such as KES.' }),
  enrolmentCode: z.string().trim().min(4).max(64),
});
export type CreateSchoolInput = z.input<typeof CreateSchoolInput>;

/** Creates a school (tenant). Its enrolment code is stored only as a hash. */
export async function createSchool(db: Kysely<ServerDatabase>, input: CreateSchoolInput): Promise<Tenant> {
  const s = parseInput(CreateSchoolInput, input, 'school');
  return db
    .insertInto('tenants')
    .values({ id: s.id ?? uuidv7(), code: s.code, name: s.name, currency: s.currency, enrolment_code_hash: sha256Hex(s.enrolmentCode) })
    .returningAll()
    .executeTakeFirstOrThrow();
}
