import type { GradingScaleView } from '../../../../shared/domain/report-views';
import type { GradeBand } from '../../../../shared/domain/reports';
import { gradeFor, subjectPercent, type WeightedAssessment } from '../../../../shared/domain/report-card-math';
import { readScore } from './gridKeys';

// A grid row's subject result as the teacher types: the report card's own arithmetic, applied to
// the marks on screen. Pure, so the column is tested without a window.

/** The scale a class's report cards use: its own choice, else the school's default (null: none set up). */
export function scaleFor(scales: readonly GradingScaleView[], gradingScaleId: string | null): GradingScaleView | null {
  return scales.find((s) => s.id === gradingScaleId) ?? scales.find((s) => s.isDefault) ?? null;
}

export interface RowResult {
  /** The weighted percentage to one decimal place; null when no mark on screen counts. */
  percent: number | null;
  grade: string | null;
  /** Cells left out because what is typed in them is not a mark. */
  excluded: number;
}

/**
 * One student's result from the texts in their row (one per assessment, in order). A blank cell
 * is not sat, as on the report card (neither helps nor counts as zero); a cell that is not a
 * valid mark is left out the same way until it is corrected.
 */
export function rowResult(assessments: readonly WeightedAssessment[], texts: readonly string[], bands: readonly GradeBand[] | null): RowResult {
  const scores = new Map<string, number | null>();
  let excluded = 0;
  assessments.forEach((a, i) => {
    const read = readScore(texts[i] ?? '', a.maxScore);
    if (read.ok) scores.set(a.id, read.score);
    else excluded++;
  });
  const percent = subjectPercent(assessments, scores);
  return { percent, grade: bands ? (gradeFor(bands, percent)?.grade ?? null) : null, excluded };
}
