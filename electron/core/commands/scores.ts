import type { Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ApiParsedInput } from '../../../shared/api/contract.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import type { ErrorIssue } from '../../../shared/api/errors.js';
import { AppError } from '../../../shared/api/errors.js';
import { scoreId } from '../../../shared/domain/reports.js';
import { scoreProblem } from '../../../shared/domain/report-card-math.js';
import { classAssessments } from '../queries/assessments.js';
import { classSubject, subjectTakers } from '../queries/scores.js';
import { saveRecords } from './save-records.js';

const LISTED = 5;

/**
 * Saves a scores grid's changed cells in one transaction, all or nothing. Every cell is checked
 * first; a refusal names each student and assessment (the first few in the message, all in the
 * issues) and saves nothing. A cleared cell (null) stores "not sat"; clearing a cell never
 * written is no change. Returns how many scores changed.
 */
export async function saveScores(db: Kysely<LocalDatabase>, author: SessionUser, input: ApiParsedInput<'scores.save'>): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const cs = await classSubject(tx, input.classId, input.subjectId);
    const [assessments, takers] = await Promise.all([classAssessments(tx, input.classId, input.term, input.subjectId), subjectTakers(tx, cs)]);
    const assessmentOf = new Map(assessments.map((a) => [a.id, a]));
    const takerOf = new Map(takers.map((t) => [t.id, `${t.first_name} ${t.last_name}`]));
    const strangers = [...new Set(input.cells.map((c) => c.studentId).filter((id) => !takerOf.has(id)))];
    const strangerRows = strangers.length === 0 ? [] : await tx.selectFrom('students').select(['id', 'first_name', 'last_name', 'class_id', 'status']).where('id', 'in', strangers).execute();
    const strangerOf = new Map(strangerRows.map((s) => [s.id, s]));

    const issues: ErrorIssue[] = [];
    const seen = new Set<string>();
    input.cells.forEach((cell, i) => {
      const a = assessmentOf.get(cell.assessmentId);
      const name = takerOf.get(cell.studentId);
      const say = (message: string) => issues.push({ path: `cells.${i}`, message });
      if (!name) {
        const s = strangerOf.get(cell.studentId);
        if (!s) say('A student in the grid is not on this computer (removed, or not synced here yet).');
        else if (s.class_id !== input.classId || s.status !== 'enrolled') say(`${s.first_name} ${s.last_name} is not an enrolled student of ${cs.className}.`);
        else say(`${s.first_name} ${s.last_name} does not take ${cs.subjectName}.`);
        return;
      }
      if (!a) return say(`${name}: that assessment is not one of ${cs.subjectName}'s in ${input.term} (it may have been removed).`);
      const key = `${cell.studentId}:${cell.assessmentId}`;
      if (seen.has(key)) return say(`${name}, ${a.name}: the score is given twice.`);
      seen.add(key);
      const problem = scoreProblem(cell.score, a.maxScore);
      if (problem) say(`${name}, ${a.name}: ${problem}.`);
    });
    if (issues.length > 0) {
      const listed = issues.slice(0, LISTED).map((i) => i.message);
      const more = issues.length > LISTED ? ` And ${issues.length - LISTED} more.` : '';
      throw new AppError('invalid_input', `${listed.join(' ')}${more} Nothing was saved.`, issues);
    }

    const ids = input.cells.map((c) => scoreId(c.assessmentId, c.studentId));
    const stored = new Set((await tx.selectFrom('scores').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    const saves = input.cells
      .map((c, i) => ({ id: ids[i]!, values: { assessment_id: c.assessmentId, student_id: c.studentId, score: c.score } }))
      .filter((s) => s.values.score !== null || stored.has(s.id));
    if (saves.length === 0) return 0;
    return (await saveRecords(tx, 'scores', saves, author.id)).length;
  });
}
