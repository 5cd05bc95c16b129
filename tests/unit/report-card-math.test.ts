// The report card's arithmetic: weighted percentages (weights off 100, missing scores), grades at
// band edges, positions with ties, overall figures.
import { describe, expect, it } from 'vitest';
import { gradeFor, overall, positions, roundPercent, subjectPercent, weightNote, weightTotal } from '../../shared/domain/report-card-math.js';
import { gradeBandProblems, type GradeBand } from '../../shared/domain/reports.js';

const cat = { id: 'cat', weight: 30, maxScore: 30 };
const exam = { id: 'exam', weight: 70, maxScore: 100 };
const scores = (entries: Record<string, number | null>) => new Map(Object.entries(entries));

const KCSE: GradeBand[] = [
  { grade: 'A', min: 80, max: 100, remark: 'Excellent' },
  { grade: 'B', min: 70, max: 79, remark: 'Very good' },
  { grade: 'C', min: 50, max: 69, remark: 'Good' },
  { grade: 'D', min: 40, max: 49, remark: 'Fair' },
  { grade: 'E', min: 0, max: 39, remark: 'Needs support' },
];

describe('subjectPercent', () => {
  it('weights each assessment by its share: CAT 24/30 at 30% and exam 65/100 at 70% make 69.5', () => {
    // 24/30 × 30 = 24; 65/100 × 70 = 45.5
    expect(subjectPercent([cat, exam], scores({ cat: 24, exam: 65 }))).toBe(69.5);
    expect(subjectPercent([cat, exam], scores({ cat: 30, exam: 100 }))).toBe(100);
    expect(subjectPercent([cat, exam], scores({ cat: 0, exam: 0 }))).toBe(0);
  });

  it('scales weights that do not add up to 100', () => {
    const a = { id: 'a', weight: 20, maxScore: 20 };
    const b = { id: 'b', weight: 40, maxScore: 50 };
    // (10/20 × 20 + 40/50 × 40) / 60 = (10 + 32) / 60 = 70%
    expect(subjectPercent([a, b], scores({ a: 10, b: 40 }))).toBe(70);
    expect(weightTotal([a, b])).toBe(60);
    expect(weightNote('Mathematics', 60)).toMatch(/^Mathematics: the weights add up to 60%, not 100%\. Totals are scaled to 100/);
    expect(weightNote('Mathematics', 100)).toBeNull();
  });

  it('leaves an assessment not sat out of the sum and out of the weights; none sat gives no percentage', () => {
    // Only the exam: 65/100 at its own weight.
    expect(subjectPercent([cat, exam], scores({ cat: null, exam: 65 }))).toBe(65);
    expect(subjectPercent([cat, exam], scores({ exam: 65 }))).toBe(65);
    expect(subjectPercent([cat, exam], scores({ cat: null, exam: null }))).toBeNull();
    expect(subjectPercent([], scores({}))).toBeNull();
  });

  it('keeps half marks and rounds to one decimal place, half up', () => {
    expect(subjectPercent([{ id: 'x', weight: 100, maxScore: 40 }], scores({ x: 31.5 }))).toBe(78.8); // 78.75
    expect(subjectPercent([{ id: 'x', weight: 100, maxScore: 3 }], scores({ x: 2 }))).toBe(66.7);
    expect(roundPercent(79.45)).toBe(79.5);
    expect(roundPercent(79.449)).toBe(79.4);
  });
});

describe('gradeFor', () => {
  it('finds the band with the highest start at or below the percentage: 79.5 is a B, 80 an A', () => {
    expect(gradeBandProblems(KCSE)).toEqual([]);
    expect(gradeFor(KCSE, 79.5)?.grade).toBe('B');
    expect(gradeFor(KCSE, 79.9)?.grade).toBe('B');
    expect(gradeFor(KCSE, 80)).toMatchObject({ grade: 'A', remark: 'Excellent' });
    expect(gradeFor(KCSE, 100)?.grade).toBe('A');
    expect(gradeFor(KCSE, 0)?.grade).toBe('E');
    expect(gradeFor(KCSE, 39.9)?.grade).toBe('E');
    expect(gradeFor(KCSE, 49.5)?.grade).toBe('D');
    expect(gradeFor(KCSE, null)).toBeNull();
  });
});

describe('positions', () => {
  it('gives ties the same position and skips the next (1, 1, 3)', () => {
    const p = positions(new Map([['a', 70], ['b', 85.5], ['c', 85.5], ['d', 60], ['e', null]]));
    expect(Object.fromEntries(p)).toEqual({ b: 1, c: 1, a: 3, d: 4 });
    expect(p.has('e')).toBe(false);
  });

  it('handles everyone tied, nobody ranked and a three-way tie in the middle', () => {
    expect(Object.fromEntries(positions(new Map([['a', 50], ['b', 50]])))).toEqual({ a: 1, b: 1 });
    expect(positions(new Map([['a', null]])).size).toBe(0);
    expect(Object.fromEntries(positions(new Map([['a', 90], ['b', 70], ['c', 70], ['d', 70], ['e', 10]])))).toEqual({ a: 1, b: 2, c: 2, d: 2, e: 5 });
  });
});

describe('overall', () => {
  it('sums and averages the subjects with a percentage', () => {
    expect(overall([69.5, 80, null, 75])).toEqual({ total: 224.5, average: 74.8, subjects: 3 }); // 74.833
    expect(overall([null, null])).toEqual({ total: 0, average: null, subjects: 0 });
  });
});
