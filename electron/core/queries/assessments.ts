import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { AssessmentView, SubjectAssessments } from '../../../shared/domain/report-views.js';
import { weightNote, weightTotal } from '../../../shared/domain/report-card-math.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

/** A class's live assessments in a term (one subject's, or every subject's), in the order they were set. */
export async function classAssessments(db: Db, classId: string, term: string, subjectId?: string): Promise<AssessmentView[]> {
  let query = db
    .selectFrom('assessments as a')
    .innerJoin('subjects as s', 's.id', 'a.subject_id')
    .select(['a.id', 'a.class_id', 'a.subject_id', 's.name as subject_name', 'a.term', 'a.name', 'a.weight', 'a.max_score'])
    .where('a.class_id', '=', classId)
    .where('a.term', '=', term)
    .where('a.deleted', '=', 0);
  if (subjectId) query = query.where('a.subject_id', '=', subjectId);
  const rows = await query.orderBy('a.subject_id').orderBy('a.id').execute();
  return rows.map((r) => ({
    id: r.id,
    classId: r.class_id,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    term: r.term,
    name: r.name,
    weight: r.weight,
    maxScore: r.max_score,
  }));
}

export function withWeights(subjectName: string, assessments: AssessmentView[]): SubjectAssessments {
  const total = weightTotal(assessments);
  return { assessments, weightTotal: total, weightNote: weightNote(subjectName, total) };
}

export async function subjectAssessments(db: Db, classId: string, subjectId: string, term: string): Promise<SubjectAssessments> {
  const assessments = await classAssessments(db, classId, term, subjectId);
  const subject = await db.selectFrom('subjects').select('name').where('id', '=', subjectId).executeTakeFirst();
  return withWeights(subject?.name ?? 'This subject', assessments);
}
