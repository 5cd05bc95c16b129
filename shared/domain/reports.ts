import { z } from 'zod';
import { recordColumns } from './records.js';
import { derivedId } from '../ids.js';

/** One letter band of a grading scale: a percentage range, inclusive at both ends. */
export const GradeBand = z.object({
  grade: z.string().trim().min(1).max(4),
  min: z.number().min(0).max(100),
  max: z.number().min(0).max(100),
  remark: z.string().trim().max(40),
});
export type GradeBand = z.infer<typeof GradeBand>;

export const GradingScaleFields = z.object({
  name: z.string().trim().min(1, { error: 'Name the grading scale.' }).max(60),
  /** Highest band first; validated with gradeBandProblems(). */
  bands: z.array(GradeBand).min(1).max(20),
  is_default: z.boolean(),
});
export type GradingScaleFields = z.infer<typeof GradingScaleFields>;
export const GradingScaleRow = GradingScaleFields.extend(recordColumns);
export type GradingScaleRow = z.infer<typeof GradingScaleRow>;

/** An assessment of a subject in a class for a term ("CAT 1", "End of term exam"), with the
 * weight it carries in the subject's total and the most marks it can score. */
export const AssessmentFields = z.object({
  class_id: z.uuid(),
  subject_id: z.uuid(),
  term: z.string().trim().min(1).max(40),
  name: z.string().trim().min(1, { error: 'Name the assessment, e.g. "CAT 1".' }).max(60),
  weight: z.int({ error: 'The weight is a whole percentage.' }).min(1, { error: 'The weight must be at least 1%.' }).max(100, { error: 'The weight is at most 100%.' }),
  max_score: z.int({ error: 'The most marks is a whole number.' }).min(1).max(1000),
});
export type AssessmentFields = z.infer<typeof AssessmentFields>;
export const AssessmentRow = AssessmentFields.extend(recordColumns);
export type AssessmentRow = z.infer<typeof AssessmentRow>;

/** A student's marks in one assessment (null: not sat / cleared). Halves allowed. Whether it is
 * within the assessment's maximum is a business rule both device and server check. */
export const ScoreFields = z.object({
  assessment_id: z.uuid(),
  student_id: z.uuid(),
  score: z
    .number({ error: 'A score is a number.' })
    .min(0, { error: 'A score cannot be below 0.' })
    .refine((n) => Number.isInteger(n * 2), { error: 'A score is a whole or half mark, e.g. 37 or 37.5.' })
    .nullable(),
});
export type ScoreFields = z.infer<typeof ScoreFields>;
export const ScoreRow = ScoreFields.extend(recordColumns);
export type ScoreRow = z.infer<typeof ScoreRow>;

export function scoreId(assessmentId: string, studentId: string): string {
  return derivedId('score', assessmentId, studentId);
}

export const ReportCommentFields = z.object({
  student_id: z.uuid(),
  term: z.string().trim().min(1).max(40),
  class_teacher_comment: z.string().trim().max(500),
  head_teacher_comment: z.string().trim().max(500),
});
export type ReportCommentFields = z.infer<typeof ReportCommentFields>;
export const ReportCommentRow = ReportCommentFields.extend(recordColumns);
export type ReportCommentRow = z.infer<typeof ReportCommentRow>;

export function reportCommentId(studentId: string, term: string): string {
  return derivedId('report-comment', studentId, term.trim());
}

/** What is wrong with a scale's bands, in words (empty: nothing). Bands must not overlap and
 * must cover 0–100 without gaps, so every percentage gets exactly one grade. */
export function gradeBandProblems(bands: readonly GradeBand[]): string[] {
  const problems: string[] = [];
  for (const b of bands) if (b.min > b.max) problems.push(`Band ${b.grade} starts at ${b.min} but ends at ${b.max}.`);
  const sorted = [...bands].sort((a, b) => a.min - b.min);
  if (sorted.length > 0 && sorted[0]!.min !== 0) problems.push(`No band covers 0 to ${sorted[0]!.min}.`);
  if (sorted.length > 0 && sorted.at(-1)!.max !== 100) problems.push(`No band covers ${sorted.at(-1)!.max} to 100.`);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.min <= prev.max) problems.push(`Bands ${prev.grade} and ${cur.grade} overlap.`);
    else if (cur.min - prev.max > 1) problems.push(`No band covers ${prev.max} to ${cur.min}.`);
  }
  const letters = bands.map((b) => b.grade.toUpperCase());
  if (new Set(letters).size !== letters.length) problems.push('Two bands have the same grade.');
  return problems;
}
