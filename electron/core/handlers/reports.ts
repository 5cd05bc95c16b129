import type { Handlers } from '../../../shared/api/contract.js';
import type { reportsApi } from '../../../shared/api/reports-api.js';
import type { ReportClass } from '../../../shared/domain/report-views.js';
import { assignGradingScale, saveGradingScale } from '../commands/grading.js';
import { deleteAssessment, saveAssessment } from '../commands/assessments.js';
import { saveScores } from '../commands/scores.js';
import { saveReportComments } from '../commands/report-comments.js';
import { listGradingScales } from '../queries/grading.js';
import { subjectAssessments } from '../queries/assessments.js';
import { scoresGrid } from '../queries/scores.js';
import { classReportCards, classResultsCsv, studentReportCard } from '../queries/report-cards.js';
import { signedIn, type CoreContext } from './context.js';

export function reportHandlers({ store, device, sync }: CoreContext): Pick<Handlers, keyof typeof reportsApi> {
  const db = store.db;
  return {
    'gradingScales.list': async () => ({ scales: await listGradingScales(db) }),
    'gradingScales.save': async (input, user) => {
      const scale = await saveGradingScale(db, signedIn(user), input);
      sync.kick();
      return scale;
    },
    'gradingScales.assign': async (input, user) => {
      const saved = await assignGradingScale(db, signedIn(user), input);
      sync.kick();
      return { saved };
    },
    'reportCards.classes': async () => {
      const [classes, subjects] = await Promise.all([
        db.selectFrom('classes').select(['id', 'name', 'academic_year']).where('deleted', '=', 0).orderBy('academic_year', 'desc').orderBy('level').orderBy('stream').orderBy('id').execute(),
        db
          .selectFrom('class_subjects as cs')
          .innerJoin('subjects as s', 's.id', 'cs.subject_id')
          .select(['cs.class_id', 'cs.subject_id', 'cs.compulsory', 's.name', 's.code'])
          .where('cs.deleted', '=', 0)
          .where('s.deleted', '=', 0)
          .orderBy('s.name')
          .execute(),
      ]);
      const byClass = new Map<string, ReportClass['subjects']>();
      for (const s of subjects) byClass.set(s.class_id, [...(byClass.get(s.class_id) ?? []), { subjectId: s.subject_id, name: s.name, code: s.code, compulsory: s.compulsory === 1 }]);
      return { classes: classes.map((c) => ({ id: c.id, name: c.name, academicYear: c.academic_year, subjects: byClass.get(c.id) ?? [] })) };
    },
    'assessments.list': ({ classId, subjectId, term }) => subjectAssessments(db, classId, subjectId, term),
    'assessments.save': async (input, user) => {
      const view = await saveAssessment(db, signedIn(user), input);
      sync.kick();
      return view;
    },
    'assessments.delete': async ({ id }, user) => {
      await deleteAssessment(db, signedIn(user), id);
      sync.kick();
      return { deleted: true as const };
    },
    'scores.grid': ({ classId, subjectId, term }) => scoresGrid(db, classId, subjectId, term),
    'scores.save': async (input, user) => {
      const saved = await saveScores(db, signedIn(user), input);
      if (saved > 0) sync.kick();
      return { saved };
    },
    'reportCards.get': ({ studentId, term }) => studentReportCard(db, device, studentId, term),
    'reportCards.forClass': async ({ classId, term }) => ({ cards: await classReportCards(db, device, classId, term) }),
    'reportCards.saveComments': async (input, user) => {
      const saved = await saveReportComments(db, signedIn(user), input);
      if (saved) sync.kick();
      return { saved };
    },
    'reportCards.exportCsv': async ({ classId, term }) => {
      const cards = await classReportCards(db, device, classId, term);
      const name = cards[0]?.className ?? 'class';
      return { filename: `results ${name} ${term}.csv`.replace(/[^A-Za-z0-9 ._-]/g, '_'), csv: classResultsCsv(cards) };
    },
  };
}
