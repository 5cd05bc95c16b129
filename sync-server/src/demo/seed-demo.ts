import type { Kysely } from 'kysely';
import type { StudentRow } from '../../../shared/domain/students.js';
import { allocateSeqs, appendChanges } from '../changes/append.js';
import type { ServerDatabase, Tenant } from '../db/schema.js';
import { createSchool } from '../tenants/create-school.js';
import { CLASSES, FIRST_NAMES, LAST_NAMES } from './names.js';
import { mulberry32, prngUuid } from './prng.js';

export const DEMO_SCHOOL = {
  id: 'demo',
  code: 'DEMO',
  name: 'Kilima Hills School',
  currency: 'KES',
  enrolmentCode: 'DEMO-ENROL-2026',
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
  if (existing) return existing;
  const students = demoStudents(options.students);
  await db.transaction().execute(async (trx) => {
    await createSchool(trx, DEMO_SCHOOL);
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
  return db.selectFrom('tenants').selectAll().where('id', '=', DEMO_SCHOOL.id).executeTakeFirstOrThrow();
}
