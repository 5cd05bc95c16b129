import { z } from 'zod';
import type { MethodTable } from './access.js';
import {
  AssessmentView,
  ClassTermInput,
  GradingScaleView,
  ReportCard,
  SaveAssessmentInput,
  SaveCommentsInput,
  SaveGradingScaleInput,
  SaveScoresInput,
  ScoresGrid,
  SubjectAssessments,
  SubjectTermInput,
} from '../domain/report-views.js';

const Empty = z.object({}).strict();

/** Grading scales, assessments, scores and report cards (issue 5). */
export const reportsApi = {
  'gradingScales.list': { access: 'signed-in', input: Empty, output: z.object({ scales: z.array(GradingScaleView) }) },
  /** Creates (no id) or edits a scale; making it the default makes the previous default ordinary. */
  'gradingScales.save': { access: 'classes.manage', input: SaveGradingScaleInput, output: GradingScaleView },
  // Which scale a class uses is the class's own field (classes.save); classes and their subjects
  // come from classes.list.
  'assessments.list': { access: 'scores.enter', input: SubjectTermInput, output: SubjectAssessments },
  'assessments.save': { access: 'scores.enter', input: SaveAssessmentInput, output: AssessmentView },
  /** Removes an assessment; its scores stop counting. */
  'assessments.delete': { access: 'scores.enter', input: z.object({ id: z.uuid() }), output: z.object({ deleted: z.literal(true) }) },

  'scores.grid': { access: 'scores.enter', input: SubjectTermInput, output: ScoresGrid },
  /** Saves the cells that changed, all or nothing; a refusal names the student and the assessment. */
  'scores.save': { access: 'scores.enter', input: SaveScoresInput, output: z.object({ saved: z.int() }) },

  'reportCards.get': { access: 'scores.enter', input: z.object({ studentId: z.uuid(), term: z.string().trim().min(1).max(40) }), output: ReportCard },
  /** Every enrolled student's card for a class and term, in name order (one read for the batch). */
  'reportCards.forClass': { access: 'scores.enter', input: ClassTermInput, output: z.object({ cards: z.array(ReportCard) }) },
  'reportCards.saveComments': { access: 'scores.enter', input: SaveCommentsInput, output: z.object({ saved: z.boolean() }) },
  /** The class's results as CSV: per subject the percentage, grade and position; then overall. */
  'reportCards.exportCsv': { access: 'scores.enter', input: ClassTermInput, output: z.object({ filename: z.string(), csv: z.string() }) },
} as const satisfies MethodTable;
