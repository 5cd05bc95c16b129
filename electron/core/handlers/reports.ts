import type { Handlers } from '../../../shared/api/contract.js';
import type { reportsApi } from '../../../shared/api/reports-api.js';
import { saveGradingScale } from '../commands/grading.js';
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
