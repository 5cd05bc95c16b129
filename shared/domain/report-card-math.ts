import type { GradeBand } from './reports.js';

// The arithmetic of a report card, pure so the device, the print views and the tests agree.
// Percentages are kept to one decimal place: what the card prints is what grades and ranks.

/** What is wrong with one mark, in words, or null. The device and the grid on screen apply the same rules. */
export function scoreProblem(score: number | null, maxScore: number): string | null {
  if (score === null) return null;
  if (!Number.isFinite(score)) return 'is not a number';
  if (score < 0) return `${score} is below 0`;
  if (score > maxScore) return `${score} is above the most marks, ${maxScore}`;
  if (!Number.isInteger(score * 2)) return `${score} is not a whole or half mark`;
  return null;
}

export interface WeightedAssessment {
  id: string;
  weight: number;
  maxScore: number;
}

/** Rounds to one decimal place, half away from zero (79.45 → 79.5), without binary surprises. */
export function roundPercent(p: number): number {
  // toPrecision(12) drops the float noise (79.45 * 10 = 794.4999…) before rounding.
  return Math.round(Number((p * 10).toPrecision(12))) / 10;
}

/** The sum of a subject's assessment weights (100 when they are set as intended). */
export function weightTotal(assessments: readonly WeightedAssessment[]): number {
  return assessments.reduce((s, a) => s + a.weight, 0);
}

/** What to tell the teacher about a subject's weights, or null when they add up to 100. */
export function weightNote(subject: string, total: number): string | null {
  if (total === 100 || total === 0) return null;
  return `${subject}: the weights add up to ${total}%, not 100%. Totals are scaled to 100 (each assessment counts its weight out of ${total}).`;
}

/**
 * A student's weighted percentage in one subject, to one decimal place, or null when they sat
 * none of its assessments. Each assessment sat counts score/max × weight; the sum is divided by
 * the weights of the assessments sat, so weights not adding up to 100 are scaled and an
 * assessment not sat (null) neither helps nor counts as zero.
 */
export function subjectPercent(assessments: readonly WeightedAssessment[], scores: ReadonlyMap<string, number | null>): number | null {
  let earned = 0;
  let weights = 0;
  for (const a of assessments) {
    const score = scores.get(a.id);
    if (score === null || score === undefined) continue;
    earned += (score / a.maxScore) * a.weight;
    weights += a.weight;
  }
  return weights === 0 ? null : roundPercent((earned / weights) * 100);
}

/**
 * The band a percentage falls in: the one with the highest start at or below it. Bands are
 * written in whole numbers ("B 70–79", "A 80–100"), so 79.5 is still a B: only 80 and above is an A.
 */
export function gradeFor(bands: readonly GradeBand[], percent: number | null): GradeBand | null {
  if (percent === null) return null;
  let best: GradeBand | null = null;
  for (const b of bands) if (b.min <= percent && (!best || b.min > best.min)) best = b;
  return best;
}

/**
 * Positions by value, highest first; equal values share a position and the next one skips
 * (1, 1, 3). Students without a value (null) get no position.
 */
export function positions(values: ReadonlyMap<string, number | null>): Map<string, number> {
  const ranked = [...values].filter((e): e is [string, number] => e[1] !== null).sort((a, b) => b[1] - a[1]);
  const out = new Map<string, number>();
  ranked.forEach(([id, v], i) => out.set(id, i > 0 && ranked[i - 1]![1] === v ? out.get(ranked[i - 1]![0])! : i + 1));
  return out;
}

export interface Overall {
  /** The sum of the subject percentages (subjects with none are left out). */
  total: number;
  /** The mean of the subject percentages, to one decimal place; null with no subject. */
  average: number | null;
  subjects: number;
}

/** A student's overall figures from their subject percentages. */
export function overall(percents: readonly (number | null)[]): Overall {
  const sat = percents.filter((p): p is number => p !== null);
  const total = roundPercent(sat.reduce((s, p) => s + p, 0));
  return { total, average: sat.length === 0 ? null : roundPercent(total / sat.length), subjects: sat.length };
}
