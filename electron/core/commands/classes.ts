import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { className, classSubjectId, studentSubjectId, type ClassFields, type SubjectFields } from '../../../shared/domain/classes.js';
import { saveRecords } from './save-records.js';

type Tx = Transaction<LocalDatabase>;

function refuse(path: string, message: string): never {
  throw new AppError('invalid_input', message, [{ path, message }]);
}

async function requireTeacher(tx: Tx, staffId: string, path: string): Promise<void> {
  const s = await tx.selectFrom('staff').select('active').where('id', '=', staffId).executeTakeFirst();
  if (!s || s.active !== 1) refuse(path, 'That teacher is not an active member of staff on this device. Choose someone from the list.');
}

/** The class's own rules: a unique name within its year, a teacher on the staff, a known scale. */
async function checkClass(tx: Tx, id: string, values: ClassFields): Promise<void> {
  const name = className(values.grade, values.stream);
  const same = await tx
    .selectFrom('classes')
    .select('id')
    .where('academic_year', '=', values.academic_year)
    .where('name', '=', name)
    .where('id', '!=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (same) refuse('values.stream', `${name} already exists for ${values.academic_year}. Give this class another stream, or edit that one.`);
  if (values.class_teacher_id) await requireTeacher(tx, values.class_teacher_id, 'values.class_teacher_id');
  if (values.grading_scale_id) {
    const scale = await tx.selectFrom('grading_scales').select('id').where('id', '=', values.grading_scale_id).where('deleted', '=', 0).executeTakeFirst();
    if (!scale) refuse('values.grading_scale_id', 'That grading scale is not on this device. Choose another, or leave it empty for the default scale.');
  }
}

/** Creates a class in the caller's transaction (promotion uses it too) or edits one. */
export async function saveClassIn(tx: Tx, author: SessionUser, id: string, values: ClassFields, create: boolean): Promise<void> {
  if (!create) {
    const existing = await tx.selectFrom('classes').select('id').where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
    if (!existing) throw new AppError('not_found', 'That class is not on this device any more. Sync, then try again.');
  }
  await checkClass(tx, id, values);
  await saveRecords(tx, 'classes', [{ id, values }], author.id);
}

export async function saveClass(db: Kysely<LocalDatabase>, author: SessionUser, input: { id?: string | undefined; values: ClassFields }): Promise<string> {
  const id = input.id ?? uuidv7();
  await db.transaction().execute((tx) => saveClassIn(tx, author, id, input.values, !input.id));
  return id;
}

export async function saveSubject(db: Kysely<LocalDatabase>, author: SessionUser, input: { id?: string | undefined; values: SubjectFields }): Promise<string> {
  const id = input.id ?? uuidv7();
  await db.transaction().execute(async (tx) => {
    const same = await tx.selectFrom('subjects').select('name').where('code', '=', input.values.code).where('id', '!=', id).where('deleted', '=', 0).executeTakeFirst();
    if (same) refuse('values.code', `The code ${input.values.code} is already used by ${same.name}. Choose another code.`);
    if (input.id) {
      const existing = await tx.selectFrom('subjects').select('id').where('id', '=', input.id).where('deleted', '=', 0).executeTakeFirst();
      if (!existing) throw new AppError('not_found', 'That subject is not on this device any more. Sync, then try again.');
    }
    await saveRecords(tx, 'subjects', [{ id, values: input.values }], author.id);
  });
  return id;
}

export interface ClassSubjectInput {
  classId: string;
  subjectId: string;
  teacherId: string | null;
  compulsory: boolean;
  /** Takes the subject off the class's timetable (a tombstone). */
  remove: boolean;
}

/** Adds a subject to a class, changes its teacher or whether it is compulsory, or removes it. */
export async function saveClassSubject(db: Kysely<LocalDatabase>, author: SessionUser, input: ClassSubjectInput): Promise<void> {
  const id = classSubjectId(input.classId, input.subjectId);
  await db.transaction().execute(async (tx) => {
    const cls = await tx.selectFrom('classes').select('id').where('id', '=', input.classId).where('deleted', '=', 0).executeTakeFirst();
    if (!cls) refuse('classId', 'That class is not on this device any more. Sync, then try again.');
    const subject = await tx.selectFrom('subjects').select('id').where('id', '=', input.subjectId).where('deleted', '=', 0).executeTakeFirst();
    if (!subject) refuse('subjectId', 'That subject is not on this device. Choose one from the list.');
    if (input.remove) {
      const link = await tx.selectFrom('class_subjects').select('id').where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
      if (!link) throw new AppError('not_found', 'That subject is not taught in this class (someone may have removed it already).');
      await saveRecords(tx, 'class_subjects', [{ id, values: {}, delete: true }], author.id);
      return;
    }
    if (input.teacherId) await requireTeacher(tx, input.teacherId, 'teacherId');
    await saveRecords(
      tx,
      'class_subjects',
      [{ id, values: { class_id: input.classId, subject_id: input.subjectId, teacher_id: input.teacherId, compulsory: input.compulsory } }],
      author.id,
    );
  });
}

/** Enrols students of the class in one of its optional subjects, or drops them from it. */
export async function enrolInSubject(db: Kysely<LocalDatabase>, author: SessionUser, classSubject: string, studentIds: readonly string[], enrolled: boolean): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const cs = await tx
      .selectFrom('class_subjects as cs')
      .innerJoin('subjects as s', 's.id', 'cs.subject_id')
      .innerJoin('classes as c', 'c.id', 'cs.class_id')
      .select(['cs.class_id', 'cs.compulsory', 's.name as subject', 'c.name as className'])
      .where('cs.id', '=', classSubject)
      .where('cs.deleted', '=', 0)
      .executeTakeFirst();
    if (!cs) throw new AppError('not_found', 'That subject is not taught in this class any more. Sync, then try again.');
    if (cs.compulsory === 1) refuse('classSubjectId', `${cs.subject} is compulsory in ${cs.className}: every student of the class takes it.`);
    const ids = [...new Set(studentIds)];
    const inClass = await tx.selectFrom('students').select('id').where('id', 'in', ids).where('class_id', '=', cs.class_id).where('deleted', '=', 0).execute();
    if (inClass.length < ids.length) refuse('studentIds', `${ids.length - inClass.length} of the chosen students are not in ${cs.className}. Only the class's own students can take its subjects.`);
    const saves = ids.map((sid) => ({ id: studentSubjectId(sid, classSubject), values: { student_id: sid, class_subject_id: classSubject }, delete: !enrolled }));
    if (!enrolled) {
      // Dropping a student who never took the subject changes nothing (and creates no tombstone).
      const taking = new Set((await tx.selectFrom('student_subjects').select('id').where('id', 'in', saves.map((s) => s.id)).where('deleted', '=', 0).execute()).map((r) => r.id));
      return (await saveRecords(tx, 'student_subjects', saves.filter((s) => taking.has(s.id)), author.id)).length;
    }
    return (await saveRecords(tx, 'student_subjects', saves, author.id)).length;
  });
}
