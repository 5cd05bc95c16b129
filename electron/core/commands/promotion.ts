import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { className, type ClassFields } from '../../../shared/domain/classes.js';
import { nextClassFields, type PromotionPlan, type PromotionResult } from '../../../shared/domain/student-views.js';
import { saveRecords } from './save-records.js';
import { saveClassIn } from './classes.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

export type PromoteTo = { kind: 'class'; classId: string } | { kind: 'next' } | { kind: 'graduate' };

async function classFields(db: Db, id: string): Promise<ClassFields & { name: string }> {
  const c = await db
    .selectFrom('classes')
    .select(['name', 'grade', 'level', 'stream', 'academic_year', 'class_teacher_id', 'grading_scale_id'])
    .where('id', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (!c) throw new AppError('not_found', 'That class is not on this device any more. Sync, then try again.');
  return c;
}

async function enrolledIds(db: Db, classId: string): Promise<string[]> {
  const rows = await db.selectFrom('students').select('id').where('class_id', '=', classId).where('status', '=', 'enrolled').where('deleted', '=', 0).execute();
  return rows.map((r) => r.id);
}

async function existingClass(db: Db, name: string, year: number): Promise<string | null> {
  const row = await db.selectFrom('classes').select('id').where('academic_year', '=', year).where('name', '=', name).where('deleted', '=', 0).executeTakeFirst();
  return row?.id ?? null;
}

/** What promoting a class would do, for the dialog: how many move, and next year's class. */
export async function promotionPlan(db: Db, classId: string): Promise<PromotionPlan> {
  const cls = await classFields(db, classId);
  const next = nextClassFields(cls);
  const nextName = next ? className(next.grade, next.stream) : null;
  const top = await db.selectFrom('classes').select((eb) => eb.fn.max('level').as('level')).where('deleted', '=', 0).executeTakeFirstOrThrow();
  return {
    classId,
    enrolled: (await enrolledIds(db, classId)).length,
    next,
    nextName,
    nextExistingId: next && nextName ? await existingClass(db, nextName, next.academic_year) : null,
    finalYear: cls.level >= Number(top.level ?? cls.level),
  };
}

/**
 * Promotes a class in one step: its enrolled students move to the target class (an existing one,
 * or next year's class, created if missing) or graduate. Withdrawn and graduated students stay.
 */
export async function promoteClass(db: Kysely<LocalDatabase>, author: SessionUser, classId: string, to: PromoteTo): Promise<PromotionResult> {
  if (!author.permissions.includes('students.update')) {
    throw new AppError('forbidden', 'Promoting a class changes its students, which your role may not do (Edit students). Ask someone who may.');
  }
  return db.transaction().execute(async (tx) => {
    const cls = await classFields(tx, classId);
    const ids = await enrolledIds(tx, classId);
    if (ids.length === 0) throw new AppError('conflict', `${cls.name} (${cls.academic_year}) has no enrolled students to promote.`);
    if (to.kind === 'graduate') {
      const writes = await saveRecords(tx, 'students', ids.map((id) => ({ id, values: { status: 'graduated' as const } })), author.id);
      return { moved: 0, graduated: writes.length, targetClassId: null, targetName: null };
    }
    let targetId: string;
    if (to.kind === 'next') {
      const next = nextClassFields(cls);
      if (!next) throw new AppError('invalid_input', `The grade "${cls.grade}" has no number to increase. Create next year's class yourself, then promote to it.`);
      const name = className(next.grade, next.stream);
      const existing = await existingClass(tx, name, next.academic_year);
      targetId = existing ?? uuidv7();
      if (!existing) await saveClassIn(tx, author, targetId, next, true);
    } else {
      targetId = to.classId;
    }
    if (targetId === classId) throw new AppError('invalid_input', 'Choose a different class to promote to.', [{ path: 'to.classId', message: 'Choose a different class to promote to.' }]);
    const target = await classFields(tx, targetId);
    if (target.academic_year <= cls.academic_year) {
      const message = `${target.name} is in ${target.academic_year}; promotion moves students to a class of a later year than ${cls.academic_year}.`;
      throw new AppError('invalid_input', message, [{ path: 'to.classId', message }]);
    }
    const writes = await saveRecords(tx, 'students', ids.map((id) => ({ id, values: { class_id: targetId } })), author.id);
    return { moved: writes.length, graduated: 0, targetClassId: targetId, targetName: target.name };
  });
}
