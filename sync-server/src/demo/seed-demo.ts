import type { Kysely } from 'kysely';
import type { ChargeRow } from '../../../shared/domain/fees.js';
import type { StudentRow } from '../../../shared/domain/students.js';
import { hashPassword } from '../auth/passwords.js';
import { allocateSeqs, appendChanges } from '../changes/append.js';
import type { ServerDatabase, Tenant } from '../db/schema.js';
import { withTenant, type TenantTrx } from '../db/with-tenant.js';
import { storeEnrolmentCode } from '../devices/enrolment-codes.js';
import { insertCharges, insertFeeCategory } from '../ledger/rows.js';
import { insertStaff } from '../staff/rows.js';
import { CreateSchoolInput, createSchoolIn } from '../tenants/create-school.js';
import { CLASSES, FIRST_NAMES, LAST_NAMES } from './names.js';
import { mulberry32, prngUuid, stableUuid } from './prng.js';

export const DEMO_SCHOOL = {
  id: 'demo',
  code: 'DEMO',
  name: 'Kilima Hills School',
  currency: 'KES',
  timeZone: 'Africa/Nairobi',
  /** Reusable office enrolment code (demo only: real schools get single-use codes). */
  enrolmentCode: 'DEMO-ENROL-2026',
  /** Reusable teacher-room enrolment code: devices that receive no bursary data. */
  teacherEnrolmentCode: 'DEMO-TEACHER-2026',
  terms: [
    { name: 'Term 1 2026', startsOn: '2026-01-05', endsOn: '2026-04-02' },
    { name: 'Term 2 2026', startsOn: '2026-04-27', endsOn: '2026-07-31' },
    { name: 'Term 3 2026', startsOn: '2026-08-24', endsOn: '2026-10-30' },
  ],
  /** The current term's fees: tuition for every enrolled student, lunch for two thirds of them. */
  fees: {
    categories: ['Tuition', 'Lunch', 'Transport'],
    term: 'Term 3 2026',
    dueOn: '2026-08-31',
    postedAt: '2026-08-24T05:00:00.000Z',
    tuitionMinor: 120_000,
    lunchMinor: 30_000,
  },
} as const;

/** The demo fee categories' fixed ids, by name. */
export const DEMO_FEE_CATEGORY_IDS: Record<(typeof DEMO_SCHOOL.fees.categories)[number], string> = {
  Tuition: stableUuid('demo', 'fee-category', 'Tuition'),
  Lunch: stableUuid('demo', 'fee-category', 'Lunch'),
  Transport: stableUuid('demo', 'fee-category', 'Transport'),
};
/** The device id the seeded charges carry (no real device posted them). */
export const DEMO_SEED_DEVICE_ID = stableUuid('demo', 'seed-device');

/** The demo school's staff and their passwords (demo only: printed in the README). The first
 * is the administrator createSchool makes; the others are added with their built-in roles. */
// Fixed ids, so tests and other tools can name the demo staff as authors.
const staffIds = mulberry32(20260102);
export const DEMO_STAFF = {
  admin: { id: prngUuid(staffIds), username: 'admin', password: 'demo-admin-2026', displayName: 'Grace Wanjiru', roleKey: 'administrator' },
  bursar: { id: prngUuid(staffIds), username: 'bursar', password: 'demo-bursar-2026', displayName: 'Peter Otieno', roleKey: 'bursar' },
  teacher: { id: prngUuid(staffIds), username: 'teacher', password: 'demo-teacher-2026', displayName: 'Mary Achieng', roleKey: 'teacher' },
  auditor: { id: prngUuid(staffIds), username: 'auditor', password: 'demo-auditor-2026', displayName: 'James Mwangi', roleKey: 'auditor' },
} as const;

const BATCH = 500;
const SEED = 20260101;

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)]!;
}

export function demoStudents(count: number): StudentRow[] {
  const next = mulberry32(SEED);
  const students: StudentRow[] = [];
  for (let i = 1; i <= count; i++) {
    const roll = next();
    const phone = `+254 7${String(Math.floor(next() * 100)).padStart(2, '0')} ${String(Math.floor(next() * 1000)).padStart(3, '0')} ${String(Math.floor(next() * 1000)).padStart(3, '0')}`;
    students.push({
      id: prngUuid(next),
      admission_no: `KHS/2026/${String(i).padStart(5, '0')}`,
      first_name: pick(next, FIRST_NAMES),
      last_name: pick(next, LAST_NAMES),
      class_name: pick(next, CLASSES),
      // A few leavers, so screens and rules about non-enrolled students have something to show.
      status: roll < 0.03 ? 'withdrawn' : roll < 0.05 ? 'graduated' : 'enrolled',
      guardian_phone: next() < 0.9 ? phone : null,
    });
  }
  return students;
}

/** Creates the demo school with `students` deterministic students, all recorded as changes so
 * devices receive them through the shape. Does nothing if the school already exists. */
export async function seedDemoSchool(db: Kysely<ServerDatabase>, options: { students: number } = { students: 3000 }): Promise<Tenant> {
  const existing = await db.selectFrom('tenants').selectAll().where('id', '=', DEMO_SCHOOL.id).executeTakeFirst();
  if (existing) {
    // A demo school seeded before the bursary existed gets its fees now (once).
    const seeded = await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoFees(trx));
    return seeded ? db.selectFrom('tenants').selectAll().where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow() : existing;
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
  const hashes = await Promise.all([admin, ...Object.values(others)].map((s) => hashPassword(s.password)));
  await withTenant(db, DEMO_SCHOOL.id, async (trx) => {
    const { roleIds } = await createSchoolIn(trx, { ...school, id: DEMO_SCHOOL.id }, hashes[0]!, admin.id);
    for (const [i, s] of Object.values(others).entries()) {
      const row = { id: s.id, username: s.username, display_name: s.displayName, role_id: roleIds[s.roleKey]!, active: true };
      await insertStaff(trx, DEMO_SCHOOL.id, row, hashes[i + 1]!, { mutationId: null, deviceId: null });
    }
    const never = new Date('9999-12-31T00:00:00Z');
    await storeEnrolmentCode(trx, DEMO_SCHOOL.id, { code: DEMO_SCHOOL.enrolmentCode, profile: 'office', reusable: true, expiresAt: never });
    await storeEnrolmentCode(trx, DEMO_SCHOOL.id, { code: DEMO_SCHOOL.teacherEnrolmentCode, profile: 'teacher_room', reusable: true, expiresAt: never });
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
  await withTenant(db, DEMO_SCHOOL.id, (trx) => seedDemoFees(trx));
  return db.selectFrom('tenants').selectAll().where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow();
}

/** Seeds the demo fee categories and the current term's charges, as synced changes: tuition
 * for every enrolled student, lunch for two of every three (by admission number), both due on
 * the term's due date. Charges follow the rules of charges.post, so withdrawn and graduated
 * students are not charged. Does nothing if the categories are already there; returns whether
 * it seeded. */
export async function seedDemoFees(trx: TenantTrx): Promise<boolean> {
  const tenantId = DEMO_SCHOOL.id;
  const { fees } = DEMO_SCHOOL;
  const present = await trx.selectFrom('fee_categories').select('id').where('tenant_id', '=', tenantId).where('id', '=', DEMO_FEE_CATEGORY_IDS.Tuition).executeTakeFirst();
  if (present) return false;
  const origin = { mutationId: null, deviceId: null };
  for (const name of fees.categories) {
    await insertFeeCategory(trx, tenantId, { id: DEMO_FEE_CATEGORY_IDS[name], name, active: true }, origin);
  }
  const enrolled = await trx
    .selectFrom('students')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'enrolled')
    .where('deleted', '=', false)
    .orderBy('admission_no')
    .execute();
  const charge = (studentId: string, category: 'Tuition' | 'Lunch', amountMinor: number): ChargeRow => ({
    id: stableUuid('demo', 'charge', fees.term, category, studentId),
    student_id: studentId,
    category_id: DEMO_FEE_CATEGORY_IDS[category],
    description: '',
    amount_minor: amountMinor,
    currency: DEMO_SCHOOL.currency,
    term: fees.term,
    due_on: fees.dueOn,
    posted_at: fees.postedAt,
    posted_by: DEMO_STAFF.bursar.displayName,
    device_id: DEMO_SEED_DEVICE_ID,
  });
  const rows: ChargeRow[] = [];
  for (const [i, s] of enrolled.entries()) {
    rows.push(charge(s.id, 'Tuition', fees.tuitionMinor));
    if (i % 3 !== 2) rows.push(charge(s.id, 'Lunch', fees.lunchMinor));
  }
  await insertCharges(trx, tenantId, rows, origin);
  return true;
}
