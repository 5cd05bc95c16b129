import type { Kysely, Transaction } from 'kysely';
import type { Device, LocalDatabase } from '../store/database.js';
import type { AssessmentView, AttendanceSummary, CardSubject, ReportCard } from '../../../shared/domain/report-views.js';
import { AppError } from '../../../shared/api/errors.js';
import { gradeFor, overall, positions, subjectPercent, weightNote, weightTotal } from '../../../shared/domain/report-card-math.js';
import { toCsv } from '../../../shared/csv.js';
import { classAssessments } from './assessments.js';
import { scaleForClass } from './grading.js';
import { taughtSubjects } from './classes.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;

const NO_ATTENDANCE: AttendanceSummary = { present: 0, absent: 0, late: 0, excused: 0 };

interface Subject {
  subjectId: string;
  classSubjectId: string;
  name: string;
  code: string;
  compulsory: boolean;
  assessments: AssessmentView[];
}

/** The class, its teacher's name and its report card scale. */
async function classHead(db: Db, classId: string) {
  const cls = await db
    .selectFrom('classes as c')
    .leftJoin('staff as t', 't.id', 'c.class_teacher_id')
    .select(['c.id', 'c.name', 'c.grading_scale_id', 't.display_name as teacher'])
    .where('c.id', '=', classId)
    .where('c.deleted', '=', 0)
    .executeTakeFirst();
  if (!cls) throw new AppError('not_found', 'That class is not on this computer. It may have been removed, or not synced here yet.');
  return cls;
}

/** The class's subjects (by name) with their assessments in the term. */
async function classSubjects(db: Db, classId: string, term: string): Promise<Subject[]> {
  const [rows, assessments] = await Promise.all([
    taughtSubjects(db, [classId]),
    classAssessments(db, classId, term),
  ]);
  return rows.map((r) => ({
    subjectId: r.subject_id,
    classSubjectId: r.id,
    name: r.name,
    code: r.code,
    compulsory: r.compulsory === 1,
    assessments: assessments.filter((a) => a.subjectId === r.subject_id),
  }));
}

/** Days present, absent, late and excused in the term, from the day's registers (period ''). */
async function attendanceByStudent(db: Db, studentIds: string[], starts: string, ends: string): Promise<Map<string, AttendanceSummary>> {
  const rows = await db
    .selectFrom('attendance_records as r')
    .innerJoin('attendance_sessions as s', 's.id', 'r.session_id')
    .select(['r.student_id', 'r.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.student_id', 'in', studentIds)
    .where('r.deleted', '=', 0)
    .where('s.deleted', '=', 0)
    .where('s.period', '=', '')
    .where('s.date', '>=', starts)
    .where('s.date', '<=', ends)
    .groupBy(['r.student_id', 'r.status'])
    .execute();
  const out = new Map<string, AttendanceSummary>();
  for (const r of rows) {
    const summary = out.get(r.student_id) ?? { ...NO_ATTENDANCE };
    if (r.status in summary) summary[r.status as keyof AttendanceSummary] = Number(r.n);
    out.set(r.student_id, summary);
  }
  return out;
}

/**
 * The report cards of a class for a term (every enrolled student's, plus `includeStudentId`'s
 * if they have left), by name. Positions need the whole class, so one card costs the same
 * handful of reads as forty: class, scale, term, subjects and assessments, students, optional
 * subject choices, scores, attendance and comments, each one query.
 */
export async function classReportCards(db: Db, device: Pick<Device, 'school_name'>, classId: string, term: string, includeStudentId?: string): Promise<ReportCard[]> {
  const cls = await classHead(db, classId);
  const [scale, termRow, subjects, students] = await Promise.all([
    scaleForClass(db, cls.grading_scale_id),
    db.selectFrom('terms').select(['starts_on', 'ends_on']).where('name', '=', term).executeTakeFirst(),
    classSubjects(db, classId, term),
    db
      .selectFrom('students')
      .select(['id', 'admission_no', 'first_name', 'middle_name', 'last_name'])
      .where('class_id', '=', classId)
      .where('deleted', '=', 0)
      .where((eb) => (includeStudentId ? eb.or([eb('status', '=', 'enrolled'), eb('id', '=', includeStudentId)]) : eb('status', '=', 'enrolled')))
      .orderBy('last_name')
      .orderBy('first_name')
      .orderBy('id')
      .execute(),
  ]);
  if (students.length === 0) return [];
  const studentIds = students.map((s) => s.id);
  const optional = subjects.filter((s) => !s.compulsory).map((s) => s.classSubjectId);
  const assessmentIds = subjects.flatMap((s) => s.assessments.map((a) => a.id));
  const [choices, scores, attendance, comments] = await Promise.all([
    optional.length === 0
      ? []
      : db.selectFrom('student_subjects').select(['student_id', 'class_subject_id']).where('class_subject_id', 'in', optional).where('deleted', '=', 0).execute(),
    assessmentIds.length === 0
      ? []
      : db.selectFrom('scores').select(['assessment_id', 'student_id', 'score']).where('assessment_id', 'in', assessmentIds).where('deleted', '=', 0).execute(),
    termRow ? attendanceByStudent(db, studentIds, termRow.starts_on, termRow.ends_on) : new Map<string, AttendanceSummary>(),
    db
      .selectFrom('report_comments')
      .select(['student_id', 'class_teacher_comment', 'head_teacher_comment'])
      .where('student_id', 'in', studentIds)
      .where('term', '=', term)
      .where('deleted', '=', 0)
      .execute(),
  ]);

  const chose = new Set(choices.map((c) => `${c.student_id}:${c.class_subject_id}`));
  const takes = (studentId: string, s: Subject) => s.compulsory || chose.has(`${studentId}:${s.classSubjectId}`);
  const scoreOf = new Map(scores.map((s) => [`${s.student_id}:${s.assessment_id}`, s.score]));
  const studentScores = (studentId: string, s: Subject) => new Map(s.assessments.map((a) => [a.id, scoreOf.get(`${studentId}:${a.id}`) ?? null]));

  // Per subject: every taker's percentage, and positions among them.
  const percents = new Map<string, Map<string, number | null>>();
  const subjectPositions = new Map<string, Map<string, number>>();
  for (const s of subjects) {
    const bySubject = new Map(students.filter((st) => takes(st.id, s)).map((st) => [st.id, subjectPercent(s.assessments, studentScores(st.id, s))]));
    percents.set(s.subjectId, bySubject);
    subjectPositions.set(s.subjectId, positions(bySubject));
  }
  const overalls = new Map(students.map((st) => [st.id, overall(subjects.filter((s) => takes(st.id, s)).map((s) => percents.get(s.subjectId)!.get(st.id)!))]));
  const overallPositions = positions(new Map([...overalls].map(([id, o]) => [id, o.average])));
  const commentOf = new Map(comments.map((c) => [c.student_id, c]));
  const ranked = (m: ReadonlyMap<string, number | null>) => [...m.values()].filter((v) => v !== null).length;

  return students.map((st): ReportCard => {
    const own = subjects.filter((s) => takes(st.id, s));
    const cardSubjects = own.map((s): CardSubject => {
      const percent = percents.get(s.subjectId)!.get(st.id)!;
      const band = scale ? gradeFor(scale.bands, percent) : null;
      const sc = studentScores(st.id, s);
      return {
        subjectId: s.subjectId,
        name: s.name,
        code: s.code,
        assessments: s.assessments.map((a) => ({ name: a.name, weight: a.weight, maxScore: a.maxScore, score: sc.get(a.id) ?? null })),
        percent,
        grade: band?.grade ?? null,
        remark: band?.remark ?? null,
        position: subjectPositions.get(s.subjectId)!.get(st.id) ?? null,
        outOf: ranked(percents.get(s.subjectId)!),
      };
    });
    const o = overalls.get(st.id)!;
    const band = scale ? gradeFor(scale.bands, o.average) : null;
    const comment = commentOf.get(st.id);
    const notes = own.map((s) => weightNote(s.name, weightTotal(s.assessments))).filter((n): n is string => n !== null);
    if (!scale) notes.push('No grading scale is set up yet, so grades are left blank.');
    return {
      schoolName: device.school_name,
      student: { id: st.id, name: [st.first_name, st.middle_name, st.last_name].filter(Boolean).join(' '), admissionNo: st.admission_no },
      classId,
      className: cls.name,
      classTeacher: cls.teacher ?? null,
      term,
      termStarts: termRow?.starts_on ?? null,
      termEnds: termRow?.ends_on ?? null,
      scaleName: scale?.name ?? null,
      subjects: cardSubjects,
      overall: {
        total: o.total,
        average: o.average,
        grade: band?.grade ?? null,
        remark: band?.remark ?? null,
        position: overallPositions.get(st.id) ?? null,
        outOf: [...overalls.values()].filter((v) => v.average !== null).length,
        subjects: o.subjects,
      },
      attendance: attendance.get(st.id) ?? NO_ATTENDANCE,
      comments: { classTeacher: comment?.class_teacher_comment ?? '', headTeacher: comment?.head_teacher_comment ?? '' },
      notes,
    };
  });
}

/** One student's card for a term, in the class they are in now. */
export async function studentReportCard(db: Db, device: Pick<Device, 'school_name'>, studentId: string, term: string): Promise<ReportCard> {
  const student = await db.selectFrom('students').select(['class_id', 'first_name', 'last_name']).where('id', '=', studentId).where('deleted', '=', 0).executeTakeFirst();
  if (!student) throw new AppError('not_found', 'That student is not on this computer. They may have been removed, or not synced here yet.');
  if (!student.class_id) throw new AppError('invalid_input', `${student.first_name} ${student.last_name} is not in a class, so there is no report card. Put them in a class first.`);
  const card = (await classReportCards(db, device, student.class_id, term, studentId)).find((c) => c.student.id === studentId);
  if (!card) throw new AppError('not_found', `${student.first_name} ${student.last_name}'s class is not on this computer.`);
  return card;
}

/** A class's results as CSV: a row per student; per subject the percentage, grade and position
 * (blank where the student does not take it or sat nothing); then the overall figures. */
export function classResultsCsv(cards: readonly ReportCard[]): string {
  const subjects = new Map<string, string>();
  for (const c of cards) for (const s of c.subjects) subjects.set(s.subjectId, s.code);
  const order = [...subjects].sort((a, b) => a[1].localeCompare(b[1]));
  const header = ['Admission no', 'Name', ...order.flatMap(([, code]) => [`${code} %`, `${code} grade`, `${code} position`]), 'Total', 'Average %', 'Grade', 'Position'];
  const rows = cards.map((c) => {
    const bySubject = new Map(c.subjects.map((s) => [s.subjectId, s]));
    return [
      c.student.admissionNo,
      c.student.name,
      ...order.flatMap(([id]) => {
        const s = bySubject.get(id);
        return [s?.percent ?? '', s?.grade ?? '', s?.position ?? ''];
      }),
      c.overall.total,
      c.overall.average ?? '',
      c.overall.grade ?? '',
      c.overall.position ?? '',
    ];
  });
  return toCsv(header, rows);
}
