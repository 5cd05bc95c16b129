import type { AssessmentRow, GradingScaleRow, ReportCommentRow, ScoreRow } from '../../../shared/domain/reports.js';
import { reportCommentId, scoreId } from '../../../shared/domain/reports.js';
import type { StudentSubjectRow } from '../../../shared/domain/classes.js';
import { EMPTY_META } from '../../../shared/domain/records.js';
import { DEMO_CLASS_SUBJECTS, demoClassNamed } from './office-classes.js';
import type { DemoStudentBase } from './office-families.js';
import { mulberry32, stableUuid } from './prng.js';
import { DEMO_FEES } from './seed-bursary.js';

// The demo term's marks: the school's default grading scale, two assessments of every subject
// in every class (a CAT and the end-of-term exam), scores for most students (a few did not sit
// one) and class and head teachers' comments on a few report cards.

const RECORD = { deleted: false, meta: EMPTY_META } as const;
/** The share of (student, assessment) pairs left blank: absent that day, or not marked yet. */
const BLANK = 0.03;

export const DEMO_GRADING_SCALE: GradingScaleRow = {
  ...RECORD,
  id: stableUuid('demo', 'grading-scale', 'default'),
  name: 'Standard A–E',
  bands: [
    { grade: 'A', min: 80, max: 100, remark: 'Excellent' },
    { grade: 'B', min: 65, max: 79, remark: 'Good' },
    { grade: 'C', min: 50, max: 64, remark: 'Fair' },
    { grade: 'D', min: 40, max: 49, remark: 'Weak' },
    { grade: 'E', min: 0, max: 39, remark: 'Poor' },
  ],
  is_default: true,
};

const ASSESSMENTS = [
  { name: 'CAT 1', weight: 30, max_score: 30 },
  { name: 'End of term', weight: 70, max_score: 100 },
] as const;

export const DEMO_ASSESSMENTS: readonly AssessmentRow[] = DEMO_CLASS_SUBJECTS.flatMap((cs) =>
  ASSESSMENTS.map((a) => ({ ...RECORD, id: stableUuid('demo', 'assessment', cs.id, a.name), class_id: cs.class_id, subject_id: cs.subject_id, term: DEMO_FEES.term, ...a })),
);

const COMMENTS = {
  high: ['An excellent term. Keep it up!', 'Consistent, careful work in every subject.'],
  middle: ['Steady progress; more practice in Mathematics will help.', 'A good term. Read more at home.'],
  low: ['Needs to hand in homework on time and ask for help early.', 'Capable of more: regular revision will make the difference.'],
};
const HEAD_TEACHER = 'Well done. We look forward to an even better Term 1.';

export interface DemoMarks {
  scores: ScoreRow[];
  comments: ReportCommentRow[];
}

/** Scores of the enrolled students in the subjects they take, around a level of their own,
 * in whole or half marks; comments on the first three report cards of every class. */
export function demoMarks(students: readonly DemoStudentBase[], optional: readonly StudentSubjectRow[]): DemoMarks {
  const next = mulberry32(20260505);
  const takesOptional = new Set(optional.map((o) => `${o.student_id}/${o.class_subject_id}`));
  const assessmentsOf = new Map<string, AssessmentRow[]>();
  for (const a of DEMO_ASSESSMENTS) {
    const list = assessmentsOf.get(a.class_id);
    if (list) list.push(a);
    else assessmentsOf.set(a.class_id, [a]);
  }
  const compulsory = new Set(DEMO_CLASS_SUBJECTS.filter((cs) => cs.compulsory).map((cs) => `${cs.class_id}/${cs.subject_id}`));
  const classSubjectOf = new Map(DEMO_CLASS_SUBJECTS.map((cs) => [`${cs.class_id}/${cs.subject_id}`, cs.id]));
  const commented = new Map<string, number>();
  const out: DemoMarks = { scores: [], comments: [] };

  for (const s of students) {
    const cls = demoClassNamed(s.class_name);
    if (s.status !== 'enrolled' || !cls) continue;
    const level = 35 + next() * 55;
    let total = 0;
    let count = 0;
    for (const a of assessmentsOf.get(cls.id) ?? []) {
      const key = `${a.class_id}/${a.subject_id}`;
      if (!compulsory.has(key) && !takesOptional.has(`${s.id}/${classSubjectOf.get(key)}`)) continue;
      if (next() < BLANK) continue;
      const percent = Math.min(100, Math.max(0, level + (next() - 0.5) * 30));
      const score = Math.round((percent / 100) * a.max_score * 2) / 2;
      out.scores.push({ ...RECORD, id: scoreId(a.id, s.id), assessment_id: a.id, student_id: s.id, score });
      total += percent;
      count++;
    }
    const shown = commented.get(cls.id) ?? 0;
    if (shown < 3 && count > 0) {
      commented.set(cls.id, shown + 1);
      const average = total / count;
      const pool = average >= 65 ? COMMENTS.high : average >= 50 ? COMMENTS.middle : COMMENTS.low;
      out.comments.push({
        ...RECORD,
        id: reportCommentId(s.id, DEMO_FEES.term),
        student_id: s.id,
        term: DEMO_FEES.term,
        class_teacher_comment: pool[shown % pool.length]!,
        head_teacher_comment: shown === 0 ? HEAD_TEACHER : '',
      });
    }
  }
  return out;
}
