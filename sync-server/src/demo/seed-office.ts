import { sql } from 'kysely';
import type { ClassRow } from '../../../shared/domain/classes.js';
import { RecordMeta } from '../../../shared/domain/records.js';
import { StudentFields, type StudentRow } from '../../../shared/domain/students.js';
import { allocateSeqs, appendChanges, type Change, type ChangeOrigin } from '../changes/append.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { writeWireRows, type SchemaShapedTable } from '../records/wire.js';
import { insertStaff } from '../staff/rows.js';
import { DEMO_SCHOOL } from './demo-school.js';
import { DEMO_CLASS_SUBJECTS, DEMO_CLASSES, DEMO_SUBJECTS } from './office-classes.js';
import { DEMO_GRADING_SCALE } from './office-marks.js';
import { OFFICE_TABLES, planDemoOffice } from './office-plan.js';
import { DEMO_TEACHER_COLLEAGUES } from './office-staff.js';

// Writes the demo school office the way the server writes every row: a seq each, deleted
// false, meta {"f":{}} (no field written by anyone yet), and a change in the log, so devices
// receive it. In two steps, because students refer to classes and everything else to students:
// the teaching staff, subjects and classes before the students are written, the rest after.

const TENANT = DEMO_SCHOOL.id;
const ORIGIN: ChangeOrigin = { mutationId: null, deviceId: null };
const BATCH = 1000;

type Row = { id: string };

/** Writes whole rows with the next seqs (new ones, or replacing what is stored) and logs them. */
async function writeLogged(trx: TenantTrx, table: SchemaShapedTable, rows: readonly Row[], op: 'insert' | 'update'): Promise<void> {
  if (rows.length === 0) return;
  const first = await allocateSeqs(trx, TENANT, rows.length);
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH).map((r, i) => ({ row: r as unknown as Record<string, unknown>, seq: first + start + i }));
    await writeWireRows(trx, TENANT, table, batch, op === 'insert' ? 'insert' : 'upsert');
    const changes: Change[] = batch.map(({ row, seq }) => ({ seq, table, rowId: String(row.id), op, row }));
    await appendChanges(trx, TENANT, changes, ORIGIN);
  }
}

async function storedIds(trx: TenantTrx, table: 'subjects' | 'classes' | 'class_subjects' | 'grading_scales', ids: readonly string[]): Promise<Set<string>> {
  const rows = await trx.selectFrom(table).select('id').where('tenant_id', '=', TENANT).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

const sameClass = (a: ClassRow, b: Omit<ClassRow, 'deleted' | 'meta'>) =>
  a.grade === b.grade && a.level === b.level && a.stream === b.stream && a.academic_year === b.academic_year && a.class_teacher_id === b.class_teacher_id && a.name === b.name;

/**
 * The teaching staff, subjects, classes and who teaches what, once (returns whether it seeded).
 * Classes an earlier demo's students were migrated into keep their ids and get their grade,
 * stream and teacher. `teacherHash` is the colleagues' password hash, asked for only when
 * they are added (scrypt is slow by design).
 */
export async function seedDemoClasses(trx: TenantTrx, teacherHash: () => Promise<string>): Promise<boolean> {
  if ((await storedIds(trx, 'subjects', [DEMO_SUBJECTS[0].row.id])).size > 0) return false;
  const teacherRole = await trx.selectFrom('roles').select('id').where('tenant_id', '=', TENANT).where('key', '=', 'teacher').executeTakeFirstOrThrow();
  const present = new Set((await trx.selectFrom('staff').select('id').where('tenant_id', '=', TENANT).execute()).map((s) => s.id));
  const missing = DEMO_TEACHER_COLLEAGUES.filter((t) => !present.has(t.id));
  if (missing.length > 0) {
    const hash = await teacherHash();
    for (const t of missing) {
      await insertStaff(trx, TENANT, { id: t.id, username: t.username, display_name: t.displayName, role_id: teacherRole.id, active: true }, hash, ORIGIN);
    }
  }
  await writeLogged(trx, 'subjects', DEMO_SUBJECTS.map((s) => s.row), 'insert');

  const stored = await trx.selectFrom('classes').selectAll().where('tenant_id', '=', TENANT).where('id', 'in', DEMO_CLASSES.map((c) => c.id)).execute();
  const byId = new Map(stored.map((c) => [c.id, c]));
  await writeLogged(trx, 'classes', DEMO_CLASSES.filter((c) => !byId.has(c.id)), 'insert');
  await writeLogged(trx, 'classes', DEMO_CLASSES.filter((c) => byId.has(c.id) && !sameClass(c, byId.get(c.id)!)), 'update');

  const classSubjects = await storedIds(trx, 'class_subjects', DEMO_CLASS_SUBJECTS.map((c) => c.id));
  await writeLogged(trx, 'class_subjects', DEMO_CLASS_SUBJECTS.filter((c) => !classSubjects.has(c.id)), 'insert');
  return true;
}

/** The students as stored, in admission order (the order the demo's plans walk them in). */
async function storedStudents(trx: TenantTrx): Promise<StudentRow[]> {
  const rows = await trx
    .selectFrom('students')
    .select(['id', 'admission_no', 'first_name', 'middle_name', 'last_name', 'gender', 'class_id', 'status', 'photo_file', 'medical_notes', 'class_name', 'guardian_phone', 'deleted', 'meta'])
    .select(sql<string | null>`to_char(date_of_birth, 'YYYY-MM-DD')`.as('date_of_birth'))
    .where('tenant_id', '=', TENANT)
    .orderBy('admission_no')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ ...r, meta: RecordMeta.parse(r.meta) }) as StudentRow);
}

const PROFILE = [...Object.keys(StudentFields.shape), 'guardian_phone'] as (keyof StudentRow)[];

/**
 * Everything else, once (returns whether it seeded): guardians, the students' profiles (for a
 * demo whose students were written before they had one), optional subjects, the calendar, the
 * term's marks, the last school days' registers and the staff's messages. `now` is the seeding
 * moment: registers end the school day before it, messages a little before it.
 */
export async function seedDemoOffice(trx: TenantTrx, now: Date): Promise<boolean> {
  if ((await storedIds(trx, 'grading_scales', [DEMO_GRADING_SCALE.id])).size > 0) return false;
  const students = await storedStudents(trx);
  const plan = planDemoOffice(students, now);
  const changed = plan.students.filter((s, i) => PROFILE.some((k) => s[k] !== students[i]![k]));
  await writeLogged(trx, 'students', changed, 'update');
  for (const table of OFFICE_TABLES) await writeLogged(trx, table, plan.rows[table], 'insert');
  return true;
}
