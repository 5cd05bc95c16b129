import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ApiParsedInput } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import type { AssessmentView } from '../../../shared/domain/report-views.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { classAssessments } from '../queries/assessments.js';
import { classSubject } from '../queries/scores.js';
import { saveRecords } from './save-records.js';

// Assessments of a subject in a class for a term, with their weight and most marks. Weights
// need not add up to 100 (the screens say so; totals are scaled).

export async function saveAssessment(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'assessments.save'>): Promise<AssessmentView> {
  const id = input.id ?? uuidv7();
  await db.transaction().execute(async (tx) => {
    const cs = await classSubject(tx, input.classId, input.subjectId);
    const term = await tx.selectFrom('terms').select('name').where('name', '=', input.term).executeTakeFirst();
    if (!term) throw new AppError('invalid_input', `There is no term named "${input.term}". Choose one of the school's terms.`, [{ path: 'term', message: 'Choose one of the school’s terms.' }]);
    if (input.id) {
      const existing = await tx.selectFrom('assessments').select('id').where('id', '=', input.id).where('deleted', '=', 0).executeTakeFirst();
      if (!existing) throw new AppError('not_found', 'That assessment is not on this computer. It may have been removed.');
    }
    const siblings = await classAssessments(tx, input.classId, input.term, input.subjectId);
    if (siblings.some((a) => a.id !== id && a.name.toLowerCase() === input.name.toLowerCase())) {
      throw new AppError('invalid_input', `${cs.subjectName} in ${cs.className} already has an assessment named "${input.name}" in ${input.term}.`, [{ path: 'name', message: 'Give it another name.' }]);
    }
    if (input.id) {
      const over = await tx
        .selectFrom('scores as s')
        .innerJoin('students as st', 'st.id', 's.student_id')
        .select(['s.score', 'st.first_name', 'st.last_name'])
        .where('s.assessment_id', '=', id)
        .where('s.deleted', '=', 0)
        .where('s.score', '>', input.maxScore)
        .orderBy('s.score', 'desc')
        .executeTakeFirst();
      if (over) {
        throw new AppError('invalid_input', `${over.first_name} ${over.last_name} has ${over.score} in "${input.name}", more than ${input.maxScore} marks. Correct the scores above ${input.maxScore} first.`, [{ path: 'maxScore', message: `Some scores are above ${input.maxScore}.` }]);
      }
    }
    await saveRecords(
      tx,
      'assessments',
      [{ id, values: { class_id: input.classId, subject_id: input.subjectId, term: input.term, name: input.name, weight: input.weight, max_score: input.maxScore } }],
      author.id,
    );
  });
  return (await classAssessments(db, input.classId, input.term, input.subjectId)).find((a) => a.id === id)!;
}

/** A tombstone: the assessment and its scores stop counting on every card. */
export async function deleteAssessment(db: Kysely<LocalDatabase>, author: SessionUser, id: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('assessments').select('id').where('id', '=', id).where('deleted', '=', 0).executeTakeFirst();
    if (!existing) throw new AppError('not_found', 'That assessment is not on this computer. It may have been removed already.');
    await saveRecords(tx, 'assessments', [{ id, values: {}, delete: true }], author.id);
  });
}
