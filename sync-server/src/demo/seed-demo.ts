import type { Kysely } from 'kysely';
import type { StudentRow } from '../../../shared/domain/students.js';
import { STUDENT_PROFILE_DEFAULTS } from '../../../shared/domain/students.js';
import { hashPassword } from '../auth/passwords.js';
import { allocateSeqs, appendChanges } from '../changes/append.js';
import type { ServerDatabase, Tenant } from '../db/schema.js';
import { withTenant } from '../db/with-tenant.js';
import { storeEnrolmentCode } from '../devices/enrolment-codes.js';
import { insertStaff } from '../staff/rows.js';
import { CreateSchoolInput, createSchoolIn } from '../tenants/create-school.js';
import { DEMO_SCHOOL, DEMO_STAFF } from './demo-school.js';
import { CLASSES, FIRST_NAMES, LAST_NAMES } from './names.js';
import { mulberry32, prngUuid } from './prng.js';
import { seedDemoBursary } from './seed-bursary.js';
import { seedDemoHistory } from './seed-history.js';
import { withProfiles } from './office-families.js';
import { DEMO_TEACHER_PASSWORD } from './office-staff.js';
import { seedDemoClasses, seedDemoOffice } from './seed-office.js';

export { DEMO_SCHOOL, DEMO_STAFF } from './demo-school.js';
export { DEMO_FEE_CATEGORY_IDS, DEMO_SEED_DEVICE_ID, seedDemoBursary } from './seed-bursary.js';
export { DEMO_HISTORY_DEVICE } from './history-device.js';
export { seedDemoHistory } from './seed-history.js';
export { DEMO_TEACHERS } from './office-staff.js';

export interface DemoSeedOptions {
  students: number;
  /** A term of the demo bursar's payments, voids, refunds and cash-ups up to the seeding day
   * (npm start and --seed-demo); tests that count on the plain charges leave it out. */
  history?: boolean;
}

/** The demo `npm start` and `--seed-demo` show. */
export const FULL_DEMO: DemoSeedOptions = { students: 3000, history: true };

const BATCH = 500;
const SEED = 20260101;

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

/** The demo's students in admission order, with their classes, profiles and guardians' phones. */
export function demoStudents(count: number): StudentRow[] {
  const next = mulberry32(SEED);
  const students: StudentRow[] = [];
  for (let i = 1; i <= count; i++) {
    const roll = next();
    students.push({
      ...STUDENT_PROFILE_DEFAULTS,
      id: prngUuid(next),
      admission_no: `KHS/2026/${String(i).padStart(5, '0')}`,
      first_name: pick(next, FIRST_NAMES),
      last_name: pick(next, LAST_NAMES),
      class_name: pick(next, CLASSES),
      // A few leavers, so screens and rules about non-enrolled students have something to show.
      status: roll < 0.03 ? 'withdrawn' : roll < 0.05 ? 'graduated' : 'enrolled',
      guardian_phone: null,
    });
  }
  return withProfiles(students);
}

/** Creates the demo school with `students` deterministic students, all recorded as changes so
 * devices receive them through the shape, its school office (classes, guardians, marks,
 * registers, calendar, messages) and its bursary (with the payment history if asked).
 * Does nothing if the school already exists, except add what a demo seeded before lacks. */
export async function seedDemoSchool(db: Kysely<ServerDatabase>, options: DemoSeedOptions = FULL_DEMO): Promise<Tenant> {
  const existing = await db.selectFrom('tenants').selectAll().where('id', '=', DEMO_SCHOOL.id).executeTakeFirst();
  if (existing) {
    // A demo school seeded before (parts of) the school office, the bursary or its history
    // existed gets them now, once.
    const classes = await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoClasses(trx, () => hashPassword(DEMO_TEACHER_PASSWORD)));
    const office = await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoOffice(trx, new Date()));
    const bursary = await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoBursary(trx));
    const history = options.history ? await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoHistory(trx)) : false;
    return classes || office || bursary || history ? db.selectFrom('tenants').selectAll().where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow() : existing;
  }
  const students = demoStudents(options.students);
  const { admin, ...others } = DEMO_STAFF;
  const school = CreateSchoolInput.parse({
    id: DEMO_SCHOOL.id,
    code: DEMO_SCHOOL.code,
    name: DEMO_SCHOOL.name,
    currency: DEMO_SCHOOL.currency,
    timeZone: DEMO_SCHOOL.timeZone,
    terms: DEMO_SCHOOL.terms,
    admin: { username: admin.username, displayName: admin.displayName, password: admin.password },
  });
  // Hashed outside the transaction: scrypt is slow by design.
  const [teacherHash, ...hashes] = await Promise.all([DEMO_TEACHER_PASSWORD, admin.password, ...Object.values(others).map((s) => s.password)].map((p) => hashPassword(p)));
  await withTenant(db, DEMO_SCHOOL.id, async (trx) => {
    const { roleIds } = await createSchoolIn(trx, { ...school, id: DEMO_SCHOOL.id }, hashes[0]!, admin.id);
    for (const [i, s] of Object.values(others).entries()) {
      const row = { id: s.id, username: s.username, display_name: s.displayName, role_id: roleIds[s.roleKey]!, active: true };
      await insertStaff(trx, DEMO_SCHOOL.id, row, hashes[i + 1]!, { mutationId: null, deviceId: null });
    }
    const never = new Date('9999-12-31T00:00:00Z');
    await storeEnrolmentCode(trx, DEMO_SCHOOL.id, { code: DEMO_SCHOOL.enrolmentCode, profile: 'office', reusable: true, expiresAt: never });
    await storeEnrolmentCode(trx, DEMO_SCHOOL.id, { code: DEMO_SCHOOL.teacherEnrolmentCode, profile: 'teacher_room', reusable: true, expiresAt: never });
    await seedDemoClasses(trx, async () => teacherHash!);
    if (students.length === 0) return;
    const first = await allocateSeqs(trx, DEMO_SCHOOL.id, students.length);
    for (let start = 0; start < students.length; start += BATCH) {
      const batch = students.slice(start, start + BATCH);
      const seqOf = (i: number) => first + start + i;
      await trx
        .insertInto('students')
        .values(batch.map((s, i) => ({ tenant_id: DEMO_SCHOOL.id, ...s, _seq: seqOf(i) })))
        .execute();
      await appendChanges(
        trx,
        DEMO_SCHOOL.id,
        batch.map((s, i) => ({ seq: seqOf(i), table: 'students' as const, rowId: s.id, op: 'insert' as const, row: s })),
        { mutationId: null, deviceId: null },
      );
    }
  });
  await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoOffice(trx, new Date()));
  await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoBursary(trx));
  if (options.history) await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoHistory(trx));
  return db.selectFrom('tenants').selectAll().where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow();
}
