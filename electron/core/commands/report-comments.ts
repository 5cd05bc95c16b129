import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ApiParsedInput } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { AppError } from '../../../shared/api/errors.js';
import { reportCommentId } from '../../../shared/domain/reports.js';
import { saveRecords } from './save-records.js';

/**
 * Saves a student's report card comments for a term. Anyone entering scores writes the class
 * teacher's comment; the head teacher's is theirs: it changes only for someone who may publish
 * report cards. Returns whether anything changed.
 */
export async function saveReportComments(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'reportCards.saveComments'>): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const student = await tx.selectFrom('students').select(['id', 'first_name', 'last_name']).where('id', '=', input.studentId).where('deleted', '=', 0).executeTakeFirst();
    if (!student) throw new AppError('not_found', 'That student is not on this computer. They may have been removed, or not synced here yet.');
    const id = reportCommentId(input.studentId, input.term);
    const current = await tx.selectFrom('report_comments').select('head_teacher_comment').where('id', '=', id).executeTakeFirst();
    if ((current?.head_teacher_comment ?? '') !== input.headTeacherComment && !author.permissions.includes('reportcards.publish')) {
      throw new AppError('forbidden', `Only someone who publishes report cards (the head teacher) can write the head teacher's comment for ${student.first_name} ${student.last_name}.`, [
        { path: 'headTeacherComment', message: 'Only the head teacher can change this comment.' },
      ]);
    }
    const writes = await saveRecords(
      tx,
      'report_comments',
      [{ id, values: { student_id: input.studentId, term: input.term, class_teacher_comment: input.classTeacherComment, head_teacher_comment: input.headTeacherComment } }],
      author.id,
    );
    return writes.length > 0;
  });
}
