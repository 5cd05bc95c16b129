import { sql, type Kysely, type Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import type { StudentFields } from '../../../shared/domain/students.js';
import type { BulkChange, BulkResult, BulkTarget } from '../../../shared/domain/student-views.js';
import { saveRecords } from './save-records.js';
import { breathe } from './breathe.js';
import { matchingStudentIds } from '../queries/students.js';

type Tx = Transaction<LocalDatabase>;

/** The most students one bulk change takes: well under a second, and a slip ("all 40,000") stays small. */
export const MAX_BULK_STUDENTS = 5000;

function refuse(field: string, message: string): never {
  throw new AppError('invalid_input', message, [{ path: `values.${field}`, message }]);
}

/** A class a student can be put in: on this device and not removed. */
export async function requireClass(tx: Kysely<LocalDatabase> | Tx, classId: string, field = 'values.class_id'): Promise<{ id: string; name: string; academic_year: number }> {
  const cls = await tx.selectFrom('classes').select(['id', 'name', 'academic_year']).where('id', '=', classId).where('deleted', '=', 0).executeTakeFirst();
  if (!cls) {
    const message = 'That class is not on this device (it may have been removed, or not synced yet). Choose another class.';
    throw new AppError('invalid_input', message, [{ path: field, message }]);
  }
  return cls;
}

/** The rules a student's values must meet on this device, besides their own shapes. */
async function checkStudent(tx: Tx, id: string, values: StudentFields, today: string): Promise<void> {
  const holder = await tx
    .selectFrom('students')
    .select(['first_name', 'last_name'])
    .where('admission_no', '=', values.admission_no)
    .where('id', '!=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (holder) refuse('admission_no', `Admission number ${values.admission_no} already belongs to ${holder.first_name} ${holder.last_name}. Check the number, or edit that student instead.`);
  if (values.date_of_birth && values.date_of_birth > today) refuse('date_of_birth', `The date of birth ${values.date_of_birth} is in the future (today is ${today}). Check the year.`);
  if (values.class_id) await requireClass(tx, values.class_id);
}

/** Creates a student (no id) or saves the profile form: only the fields that changed are queued. */
export async function saveStudent(db: Kysely<LocalDatabase>, author: SessionUser, today: string, input: { id?: string | undefined; values: StudentFields }): Promise<string> {
  const id = input.id ?? uuidv7();
  await db.transaction().execute(async (tx) => {
    if (input.id) {
      const existing = await tx.selectFrom('students').select('id').where('id', '=', input.id).where('deleted', '=', 0).executeTakeFirst();
      if (!existing) throw new AppError('not_found', 'That student is not on this device any more. Sync, then try again.');
    }
    await checkStudent(tx, id, input.values, today);
    await saveRecords(tx, 'students', [{ id, values: input.values }], author.id);
  });
  return id;
}

async function targetIds(db: Kysely<LocalDatabase>, target: BulkTarget): Promise<string[]> {
  const ids = 'ids' in target ? [...new Set(target.ids)] : await matchingStudentIds(db, target.filter, MAX_BULK_STUDENTS);
  if (ids.length > MAX_BULK_STUDENTS) {
    throw new AppError('invalid_input', `More than ${MAX_BULK_STUDENTS.toLocaleString('en')} students match. Change at most ${MAX_BULK_STUDENTS.toLocaleString('en')} at a time: narrow the list, e.g. by class.`);
  }
  return ids;
}

/** Students one transaction of a bulk change writes: about 25 ms on an office PC, so the main
 * process answers other calls between them (DESIGN §2: no call over 50 ms). */
export const BULK_CHUNK_STUDENTS = 1000;

/** Moves the chosen students to a class (or out of any), or changes their status. Everything is
 * checked first; then BULK_CHUNK_STUDENTS students per transaction (and per mutation), so a
 * change of thousands never holds the main process for long. A student removed by a sync while
 * it runs is skipped. */
export async function bulkChangeStudents(db: Kysely<LocalDatabase>, author: SessionUser, target: BulkTarget, change: BulkChange): Promise<BulkResult> {
  const ids = await targetIds(db, target);
  if (ids.length === 0) throw new AppError('invalid_input', 'No student matches; nothing was changed.');
  const present = await liveStudents(db, ids);
  if (present.size < ids.length) throw new AppError('not_found', `${ids.length - present.size} of the selected students are not on this device any more. Sync, then select them again.`);
  if ('classId' in change && change.classId) await requireClass(db, change.classId, 'classId');
  const values = 'classId' in change ? { class_id: change.classId } : { status: change.status };
  const changedIds: string[] = [];
  for (let i = 0; i < ids.length; i += BULK_CHUNK_STUDENTS) {
    if (i > 0) await breathe();
    const writes = await db.transaction().execute(async (tx) => {
      const live = await liveStudents(tx, ids.slice(i, i + BULK_CHUNK_STUDENTS));
      return saveRecords(tx, 'students', [...live].map((id) => ({ id, values })), author.id);
    });
    changedIds.push(...writes.map((w) => w.id));
  }
  return { selected: ids.length, changed: changedIds.length, changedIds };
}

/** Which of `ids` are on this device and not removed, in their given order. */
async function liveStudents(db: Kysely<LocalDatabase> | Tx, ids: readonly string[]): Promise<Set<string>> {
  const { rows } = await sql<{ id: string }>`select id from students where id in (select value from json_each(${JSON.stringify(ids)})) and deleted = 0`.execute(db);
  const live = new Set(rows.map((r) => r.id));
  return new Set(ids.filter((id) => live.has(id)));
}
