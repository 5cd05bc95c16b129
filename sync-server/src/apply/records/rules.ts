import { sql } from 'kysely';
import { DERIVED_ID_KEYS, type EditableTable } from '../../../../shared/sync/editable.js';
import { studentGuardianId } from '../../../../shared/domain/students.js';
import { classSubjectId, studentSubjectId } from '../../../../shared/domain/classes.js';
import { attendanceRecordId, attendanceSessionId } from '../../../../shared/domain/attendance.js';
import { gradeBandProblems, reportCommentId, scoreId, type GradeBand } from '../../../../shared/domain/reports.js';
import { eventProblem } from '../../../../shared/domain/calendar.js';
import type { TenantTrx } from '../../db/with-tenant.js';
import { loadWireRows } from '../../records/wire.js';
import { PERMISSION_LABELS, type Permission } from '../../../../shared/domain/permissions.js';
import { loadStaffMember } from '../../staff/authorise.js';
import { describe, NOUN, studentName, type Row } from './describe.js';

/** One record of a save, after the merge: what it will hold, and which fields this write set
 * (every field for a new record, or one brought back from a tombstone). */
export interface PlannedRow {
  id: string;
  current: Row | null;
  merged: Row;
  touched: ReadonlySet<string>;
}

type RefTable = EditableTable | 'staff';
interface Reference {
  field: string;
  table: RefTable;
  what: string;
}

/** The records each table points at: each must exist in this school and not be removed. */
const REFERENCES: Record<EditableTable, readonly Reference[]> = {
  students: [{ field: 'class_id', table: 'classes', what: 'class' }],
  guardians: [],
  student_guardians: [
    { field: 'student_id', table: 'students', what: 'student' },
    { field: 'guardian_id', table: 'guardians', what: 'guardian' },
  ],
  classes: [
    { field: 'class_teacher_id', table: 'staff', what: 'class teacher' },
    { field: 'grading_scale_id', table: 'grading_scales', what: 'grading scale' },
  ],
  subjects: [],
  class_subjects: [
    { field: 'class_id', table: 'classes', what: 'class' },
    { field: 'subject_id', table: 'subjects', what: 'subject' },
    { field: 'teacher_id', table: 'staff', what: 'teacher' },
  ],
  student_subjects: [
    { field: 'student_id', table: 'students', what: 'student' },
    { field: 'class_subject_id', table: 'class_subjects', what: 'subject of the class' },
  ],
  events: [{ field: 'class_id', table: 'classes', what: 'class' }],
  grading_scales: [],
  assessments: [
    { field: 'class_id', table: 'classes', what: 'class' },
    { field: 'subject_id', table: 'subjects', what: 'subject' },
  ],
  scores: [
    { field: 'assessment_id', table: 'assessments', what: 'assessment' },
    { field: 'student_id', table: 'students', what: 'student' },
  ],
  report_comments: [{ field: 'student_id', table: 'students', what: 'student' }],
  attendance_sessions: [
    { field: 'class_id', table: 'classes', what: 'class' },
    { field: 'taken_by', table: 'staff', what: 'teacher who took the register' },
  ],
  attendance_records: [
    { field: 'session_id', table: 'attendance_sessions', what: 'register' },
    { field: 'student_id', table: 'students', what: 'student' },
  ],
};

/** Tables whose ids are derived from their key fields, so two offices make the same record once. */
const DERIVED_ID: Partial<Record<EditableTable, (r: Row) => string>> = {
  student_guardians: (r) => studentGuardianId(String(r.student_id), String(r.guardian_id)),
  class_subjects: (r) => classSubjectId(String(r.class_id), String(r.subject_id)),
  student_subjects: (r) => studentSubjectId(String(r.student_id), String(r.class_subject_id)),
  scores: (r) => scoreId(String(r.assessment_id), String(r.student_id)),
  report_comments: (r) => reportCommentId(String(r.student_id), String(r.term)),
  attendance_sessions: (r) => attendanceSessionId(String(r.class_id), String(r.date), String(r.period)),
  attendance_records: (r) => attendanceRecordId(String(r.session_id), String(r.student_id)),
};

const NOTHING = 'nothing was changed.';

/** Loads referenced records once per table for the whole save (never one query per row). */
class Lookups {
  private readonly cache = new Map<RefTable, Map<string, Row>>();
  constructor(
    private readonly trx: TenantTrx,
    private readonly tenantId: string,
  ) {}

  async load(table: RefTable, ids: Iterable<string>): Promise<Map<string, Row>> {
    const have = this.cache.get(table) ?? new Map<string, Row>();
    this.cache.set(table, have);
    const missing = [...new Set(ids)].filter((id) => !have.has(id));
    if (missing.length > 0) {
      const found =
        table === 'staff'
          ? await this.staff(missing)
          : await loadWireRows(this.trx, this.tenantId, table, missing);
      for (const id of missing) have.set(id, found.get(id) ?? { missing: true });
    }
    return have;
  }

  /** A live record, or undefined when it does not exist here or was removed. */
  live(table: RefTable, id: string): Row | undefined {
    const r = this.cache.get(table)?.get(id);
    return r && !r.missing && !r.deleted ? r : undefined;
  }

  private async staff(ids: string[]): Promise<Map<string, Row>> {
    const { rows } = await sql<{ id: string; display_name: string; active: boolean; deleted: boolean }>`select id, display_name, active, deleted
      from staff where tenant_id = ${this.tenantId} and id in (${sql.join(ids)})`.execute(this.trx);
    // A disabled account cannot be given new classes or registers.
    return new Map(rows.map((r) => [r.id, { ...r, deleted: r.deleted || !r.active }]));
  }
}

function needsCheck(row: PlannedRow, fields: readonly string[]): boolean {
  return row.merged.deleted !== true && fields.some((f) => row.touched.has(f));
}

/**
 * The business rules of each table, on the merged rows of one save: the reason the whole save is
 * refused, or null. Only what this write touched is checked, so an edit of a student's name is not
 * refused because their class was removed since.
 */
export async function ruleProblem(trx: TenantTrx, tenantId: string, table: EditableTable, rows: readonly PlannedRow[]): Promise<string | null> {
  const derive = DERIVED_ID[table];
  const keys = DERIVED_ID_KEYS[table] ?? [];
  if (derive) {
    for (const r of rows) {
      if ((r.current === null || keys.some((k) => r.touched.has(k))) && derive(r.merged) !== r.id) {
        return `The id of ${describe(table, r.merged)} does not match what it is for (${keys.join(', ')}); a ${NOUN[table]} keeps the id made from them. Update Schoolhouse on that device; ${NOTHING}`;
      }
    }
  }

  const lookups = new Lookups(trx, tenantId);
  for (const ref of REFERENCES[table]) {
    const ids = rows.filter((r) => needsCheck(r, [ref.field]) && r.merged[ref.field] != null).map((r) => String(r.merged[ref.field]));
    await lookups.load(ref.table, ids);
    for (const r of rows) {
      const id = r.merged[ref.field];
      if (!needsCheck(r, [ref.field]) || id == null) continue;
      if (!lookups.live(ref.table, String(id))) {
        return `The ${ref.what} of ${describe(table, r.merged)} does not exist in this school (it may not have synced yet) or was removed; ${NOTHING}`;
      }
    }
  }

  switch (table) {
    case 'events':
      for (const r of rows) {
        if (r.merged.deleted === true) continue;
        const problem = eventProblem(r.merged as never);
        if (problem) return `${problem.replace(/\.$/, '')} (${describe(table, r.merged)}); ${NOTHING}`;
      }
      return null;
    case 'grading_scales':
      for (const r of rows) {
        if (!needsCheck(r, ['bands'])) continue;
        const problems = gradeBandProblems(r.merged.bands as GradeBand[]);
        if (problems.length > 0) return `The grading scale ${describe(table, r.merged)} is not valid: ${problems.join(' ')} ${NOTHING[0]!.toUpperCase()}${NOTHING.slice(1)}`;
      }
      return null;
    case 'assessments':
      return assessmentProblem(trx, tenantId, rows);
    case 'scores':
      return scoreProblem(lookups, rows);
    case 'attendance_records':
      return attendanceProblem(lookups, rows);
    default:
      return null;
  }
}

/** Lowering an assessment's maximum below scores already entered would leave them invalid. */
async function assessmentProblem(trx: TenantTrx, tenantId: string, rows: readonly PlannedRow[]): Promise<string | null> {
  const lowered = rows.filter((r) => r.current !== null && needsCheck(r, ['max_score']));
  if (lowered.length === 0) return null;
  const { rows: above } = await sql<{ assessment_id: string; n: number }>`select s.assessment_id, count(*)::int as n
    from scores s where s.tenant_id = ${tenantId} and not s.deleted
      and s.assessment_id in (${sql.join(lowered.map((r) => r.id))})
      and s.score > (case ${sql.join(
        lowered.map((r) => sql`when s.assessment_id = ${r.id} then ${Number(r.merged.max_score)}::double precision`),
        sql` `,
      )} end)
    group by s.assessment_id`.execute(trx);
  const first = above[0];
  if (!first) return null;
  const a = lowered.find((r) => r.id === first.assessment_id)!;
  return `${first.n} score${first.n === 1 ? ' is' : 's are'} in ${String(a.merged.name)} above the new maximum of ${String(a.merged.max_score)}; correct ${first.n === 1 ? 'it' : 'them'} first. Nothing was changed.`;
}

async function scoreProblem(lookups: Lookups, rows: readonly PlannedRow[]): Promise<string | null> {
  const checked = rows.filter((r) => needsCheck(r, ['score', 'assessment_id', 'student_id']));
  const assessments = await lookups.load('assessments', checked.map((r) => String(r.merged.assessment_id)));
  const students = await lookups.load('students', checked.map((r) => String(r.merged.student_id)));
  const classes = await lookups.load('classes', [...assessments.values()].filter((a) => a.class_id).map((a) => String(a.class_id)));
  for (const r of checked) {
    const a = assessments.get(String(r.merged.assessment_id))!;
    const s = students.get(String(r.merged.student_id))!;
    const score = r.merged.score as number | null;
    if (score !== null && score > Number(a.max_score)) {
      return `${studentName(s)}'s score ${score} in ${String(a.name)} is above its maximum of ${String(a.max_score)}; ${NOTHING}`;
    }
    if (s.class_id !== a.class_id) {
      const cls = classes.get(String(a.class_id));
      return `${studentName(s)} is not in ${cls ? String(cls.name) : 'the class'} of ${String(a.name)}, so cannot be scored in it; ${NOTHING}`;
    }
  }
  return null;
}

async function attendanceProblem(lookups: Lookups, rows: readonly PlannedRow[]): Promise<string | null> {
  const checked = rows.filter((r) => needsCheck(r, ['session_id', 'student_id']));
  const sessions = await lookups.load('attendance_sessions', checked.map((r) => String(r.merged.session_id)));
  const students = await lookups.load('students', checked.map((r) => String(r.merged.student_id)));
  const classes = await lookups.load('classes', [...sessions.values()].filter((s) => s.class_id).map((s) => String(s.class_id)));
  for (const r of checked) {
    const session = sessions.get(String(r.merged.session_id))!;
    const s = students.get(String(r.merged.student_id))!;
    if (s.class_id !== session.class_id) {
      const cls = classes.get(String(session.class_id));
      return `${studentName(s)} is not in ${cls ? String(cls.name) : 'the class'}, so cannot be marked in its register of ${String(session.date)}; ${NOTHING}`;
    }
  }
  return null;
}

/** Fields that take more than their table's permission to change: the head teacher's comment on
 * a report card is theirs, though anyone entering scores writes the class teacher's. */
const FIELD_PERMISSIONS: Partial<Record<EditableTable, Readonly<Record<string, { permission: Permission; what: string }>>>> = {
  report_comments: { head_teacher_comment: { permission: 'reportcards.publish', what: "the head teacher's comment" } },
};

/** A field's value as far as who may change it goes: a removed record, an empty text and no
 * value are all "nothing written". */
function written(row: Row | null, field: string): unknown {
  const v = row && row.deleted !== true ? row[field] : null;
  return v === '' ? null : (v ?? null);
}

/** Why the author may not change a guarded field this save changes, or null. */
export async function fieldPermissionProblem(trx: TenantTrx, tenantId: string, authorId: string | null, table: EditableTable, rows: readonly PlannedRow[]): Promise<string | null> {
  for (const [field, rule] of Object.entries(FIELD_PERMISSIONS[table] ?? {})) {
    const changed = rows.find((r) => JSON.stringify(written(r.current, field)) !== JSON.stringify(written(r.merged, field)));
    if (!changed) continue;
    const member = authorId ? await loadStaffMember(trx, tenantId, authorId) : undefined;
    if (member?.active && member.permissions.includes(rule.permission)) continue;
    const student = changed.merged.student_id ? (await loadWireRows(trx, tenantId, 'students', [String(changed.merged.student_id)])).get(String(changed.merged.student_id)) : undefined;
    const of = student ? ` for ${studentName(student)}${changed.merged.term ? ` (${String(changed.merged.term)})` : ''}` : '';
    const who = member ? `${member.displayName} (role ${member.roleName})` : 'The author of this change';
    return `${who} may not write ${rule.what}${of}: only staff who may ${PERMISSION_LABELS[rule.permission].toLowerCase()} can. Ask them to write it; ${NOTHING}`;
  }
  return null;
}
