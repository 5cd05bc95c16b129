// `npm run seed`'s school: a second school beside the demo, with the demo's sign-ins (same
// usernames and passwords, in this school) and a reusable office enrolment code, filled with
// the generated school (seed-big-school.ts).
import type { Kysely } from 'kysely';
import { hashPassword } from '../../auth/passwords.js';
import type { ServerDatabase } from '../../db/schema.js';
import { withTenant } from '../../db/with-tenant.js';
import { storeEnrolmentCode } from '../../devices/enrolment-codes.js';
import { insertStaff } from '../../staff/rows.js';
import { CreateSchoolInput, createSchoolIn } from '../../tenants/create-school.js';
import { DEMO_STAFF } from '../demo-school.js';
import { SCHOOL } from './school-source.js';
import { seedServerSchool, type SchoolParams, type SchoolSummary } from './seed-big-school.js';

export const BIG_SCHOOL = {
  id: 'big',
  code: 'KHS',
  name: SCHOOL.name,
  currency: SCHOOL.currency,
  timeZone: SCHOOL.timeZone,
  /** Reusable office enrolment code (a generated school only). */
  enrolmentCode: 'BIG-ENROL-2025',
} as const;

export async function bigSchoolExists(db: Kysely<ServerDatabase>): Promise<boolean> {
  return (await db.selectFrom('tenants').select('id').where('id', '=', BIG_SCHOOL.id).executeTakeFirst()) !== undefined;
}

/** Creates the school with its staff and enrolment code, then writes the generated school into it. */
export async function createBigSchool(db: Kysely<ServerDatabase>, params: SchoolParams, log: (msg: string) => void): Promise<SchoolSummary> {
  const { admin, ...others } = DEMO_STAFF;
  const school = CreateSchoolInput.parse({
    id: BIG_SCHOOL.id,
    code: BIG_SCHOOL.code,
    name: BIG_SCHOOL.name,
    currency: BIG_SCHOOL.currency,
    timeZone: BIG_SCHOOL.timeZone,
    admin: { username: admin.username, displayName: admin.displayName, password: admin.password },
  });
  // Hashed outside the transaction: scrypt is slow by design.
  const [adminHash, ...hashes] = await Promise.all([admin.password, ...Object.values(others).map((s) => s.password)].map((p) => hashPassword(p)));
  await withTenant(db, BIG_SCHOOL.id, async (trx) => {
    const { roleIds } = await createSchoolIn(trx, { ...school, id: BIG_SCHOOL.id }, adminHash!, admin.id);
    for (const [i, s] of Object.values(others).entries()) {
      await insertStaff(trx, BIG_SCHOOL.id, { id: s.id, username: s.username, display_name: s.displayName, role_id: roleIds[s.roleKey]!, active: true }, hashes[i]!, { mutationId: null, deviceId: null });
    }
    await storeEnrolmentCode(trx, BIG_SCHOOL.id, { code: BIG_SCHOOL.enrolmentCode, profile: 'office', reusable: true, expiresAt: new Date('9999-12-31T00:00:00Z') });
  });
  log(`  school "${BIG_SCHOOL.name}" (${BIG_SCHOOL.code}) created with the demo's sign-ins`);
  return seedServerSchool(db, BIG_SCHOOL.id, params, log);
}
