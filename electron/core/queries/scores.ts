import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ScoresGrid } from '../../../shared/domain/report-views.js';
import { AppError } from '../../../shared/api/errors.js';
import { classAssessments, withWeights } from './assessments.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

export interface Taker {
  id: string;
  admission_no: string;
  first_name: string;
  last_name: string;
}

export interface ClassSubject {
  classId: string;
  className: string;
  subjectId: string;
  subjectName: string;
  classSubjectId: string;
  compulsory: boolean;
}

/** The class and the subject as taught in it, or a refusal saying which is missing. */
export async function classSubject(db: Db, classId: string, subjectId: string): Promise<ClassSubject> {
  const [cls, subject, taught] = await Promise.all([
    db.selectFrom('classes').select(['id', 'name']).where('id', '=', classId).where('deleted', '=', 0).executeTakeFirst(),
    db.selectFrom('subjects').select(['id', 'name']).where('id', '=', subjectId).where('deleted', '=', 0).executeTakeFirst(),
    db.selectFrom('class_subjects').select(['id', 'compulsory']).where('class_id', '=', classId).where('subject_id', '=', subjectId).where('deleted', '=', 0).executeTakeFirst(),
  ]);
  if (!cls) throw new AppError('not_found', 'That class is not on this computer. It may have been removed, or not synced here yet.');
  if (!subject) throw new AppError('not_found', 'That subject is not on this computer. It may have been removed, or not synced here yet.');
  if (!taught) throw new AppError('invalid_input', `${subject.name} is not taught in ${cls.name}. Add it to the class's subjects first.`);
  return { classId, className: cls.name, subjectId, subjectName: subject.name, classSubjectId: taught.id, compulsory: taught.compulsory === 1 };
}

/**
 * The students taking a subject in a class, by name: every enrolled student of the class for a
 * compulsory subject, only those enrolled in it (student_subjects) for an optional one.
 */
export async function subjectTakers(db: Db, cs: ClassSubject): Promise<Taker[]> {
  const base = db
    .selectFrom('students as st')
    .select(['st.id', 'st.admission_no', 'st.first_name', 'st.last_name'])
    .where('st.class_id', '=', cs.classId)
    .where('st.status', '=', 'enrolled')
    .where('st.deleted', '=', 0);
  if (cs.compulsory) return base.orderBy('st.last_name').orderBy('st.first_name').orderBy('st.id').execute();
  const rows = await base
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('student_subjects as ss')
          .select('ss.id')
          .whereRef('ss.student_id', '=', 'st.id')
          .where('ss.class_subject_id', '=', cs.classSubjectId)
          .where('ss.deleted', '=', 0),
      ),
    )
    .orderBy('st.last_name')
    .orderBy('st.first_name')
    .orderBy('st.id')
    .execute();
  return rows;
}

/** The scores grid of one class, subject and term: four reads, whatever the class's size. */
export async function scoresGrid(db: Db, classId: string, subjectId: string, term: string): Promise<ScoresGrid> {
  const cs = await classSubject(db, classId, subjectId);
  const [takers, assessments] = await Promise.all([subjectTakers(db, cs), classAssessments(db, classId, term, subjectId)]);
  const scores =
    assessments.length === 0
      ? []
      : await db
          .selectFrom('scores')
          .select(['assessment_id', 'student_id', 'score'])
          .where('assessment_id', 'in', assessments.map((a) => a.id))
          .where('deleted', '=', 0)
          .execute();
  const byStudent = new Map(takers.map((t) => [t.id, {} as Record<string, number | null>]));
  for (const s of scores) {
    const row = byStudent.get(s.student_id);
    if (row) row[s.assessment_id] = s.score;
  }
  return {
    ...withWeights(cs.subjectName, assessments),
    classId,
    className: cs.className,
    subjectId,
    subjectName: cs.subjectName,
    compulsory: cs.compulsory,
    term,
    students: takers.map((t) => ({ id: t.id, admissionNo: t.admission_no, name: `${t.first_name} ${t.last_name}`, scores: byStudent.get(t.id)! })),
  };
}
