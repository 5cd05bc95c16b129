import { z } from 'zod';
import { GradeBand, GradingScaleFields } from './reports.js';
import { IsoDate } from './fees.js';

// What the report card screens read and send (the rows themselves are in reports.ts).

const Term = z.string().trim().min(1, { error: 'Choose a term.' }).max(40);

export const GradingScaleView = z.object({
  id: z.string(),
  name: z.string(),
  bands: z.array(GradeBand),
  isDefault: z.boolean(),
  /** The classes whose report cards use this scale by choice (the default also serves the rest). */
  classNames: z.array(z.string()),
});
export type GradingScaleView = z.infer<typeof GradingScaleView>;

export const SaveGradingScaleInput = GradingScaleFields.extend({ id: z.uuid().optional() });

export const AssessmentView = z.object({
  id: z.string(),
  classId: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  term: z.string(),
  name: z.string(),
  weight: z.int(),
  maxScore: z.int(),
});
export type AssessmentView = z.infer<typeof AssessmentView>;

export const ClassTermInput = z.object({ classId: z.uuid({ error: 'Choose a class.' }), term: Term });
export const SubjectTermInput = ClassTermInput.extend({ subjectId: z.uuid({ error: 'Choose a subject.' }) });

export const SaveAssessmentInput = SubjectTermInput.extend({
  id: z.uuid().optional(),
  name: z.string().trim().min(1, { error: 'Name the assessment, e.g. "CAT 1".' }).max(60),
  weight: z.int({ error: 'The weight is a whole percentage.' }).min(1, { error: 'The weight must be at least 1%.' }).max(100, { error: 'The weight is at most 100%.' }),
  maxScore: z.int({ error: 'The most marks is a whole number.' }).min(1, { error: 'The most marks must be at least 1.' }).max(1000, { error: 'The most marks is at most 1000.' }),
});

/** One subject's assessments in a term, and what to say about their weights. */
export const SubjectAssessments = z.object({
  assessments: z.array(AssessmentView),
  weightTotal: z.int(),
  weightNote: z.string().nullable(),
});
export type SubjectAssessments = z.infer<typeof SubjectAssessments>;

export const GridStudent = z.object({
  id: z.string(),
  admissionNo: z.string(),
  name: z.string(),
  /** Marks by assessment id (null: not sat; absent: never entered). */
  scores: z.record(z.string(), z.number().nullable()),
});
export type GridStudent = z.infer<typeof GridStudent>;

/** The scores grid: one class, one subject, one term. */
export const ScoresGrid = SubjectAssessments.extend({
  classId: z.string(),
  className: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  compulsory: z.boolean(),
  term: z.string(),
  students: z.array(GridStudent),
});
export type ScoresGrid = z.infer<typeof ScoresGrid>;

export const ScoreCell = z.object({
  studentId: z.uuid(),
  assessmentId: z.uuid(),
  /** Null clears the cell: not sat. Checked against the assessment by the command, by name. */
  score: z.number({ error: 'A score is a number.' }).nullable(),
});
export type ScoreCell = z.infer<typeof ScoreCell>;

export const SaveScoresInput = SubjectTermInput.extend({
  cells: z.array(ScoreCell).min(1, { error: 'Nothing to save.' }).max(5000, { error: 'Save at most 5,000 scores at a time.' }),
});

export const CardAssessment = z.object({ name: z.string(), weight: z.int(), maxScore: z.int(), score: z.number().nullable() });

export const CardSubject = z.object({
  subjectId: z.string(),
  name: z.string(),
  code: z.string(),
  assessments: z.array(CardAssessment),
  percent: z.number().nullable(),
  grade: z.string().nullable(),
  remark: z.string().nullable(),
  /** Position among the class's students taking the subject, of `outOf` with a percentage. */
  position: z.int().nullable(),
  outOf: z.int(),
});
export type CardSubject = z.infer<typeof CardSubject>;

export const AttendanceSummary = z.object({ present: z.int(), absent: z.int(), late: z.int(), excused: z.int() });
export type AttendanceSummary = z.infer<typeof AttendanceSummary>;

export const ReportCard = z.object({
  schoolName: z.string(),
  student: z.object({ id: z.string(), name: z.string(), admissionNo: z.string() }),
  classId: z.string(),
  className: z.string(),
  classTeacher: z.string().nullable(),
  term: z.string(),
  termStarts: IsoDate.nullable(),
  termEnds: IsoDate.nullable(),
  scaleName: z.string().nullable(),
  subjects: z.array(CardSubject),
  overall: z.object({
    total: z.number(),
    average: z.number().nullable(),
    grade: z.string().nullable(),
    remark: z.string().nullable(),
    position: z.int().nullable(),
    outOf: z.int(),
    subjects: z.int(),
  }),
  attendance: AttendanceSummary,
  comments: z.object({ classTeacher: z.string(), headTeacher: z.string() }),
  /** Weights not adding up to 100, and other things the reader should know. */
  notes: z.array(z.string()),
});
export type ReportCard = z.infer<typeof ReportCard>;

export const SaveCommentsInput = z.object({
  studentId: z.uuid({ error: 'Choose a student.' }),
  term: Term,
  classTeacherComment: z.string().trim().max(500, { error: "The class teacher's comment can have at most 500 characters." }),
  headTeacherComment: z.string().trim().max(500, { error: "The head teacher's comment can have at most 500 characters." }),
});
