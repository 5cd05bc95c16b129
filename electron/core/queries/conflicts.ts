import { sql, type Kysely, type Transaction } from 'kysely';
import type { LocalDatabase, RecordConflictsTable } from '../store/database.js';
import type { Selectable } from 'kysely';
import { fieldLabel, valueWords, type ConflictCursor, type ConflictItem, type ConflictsPage } from '../../../shared/domain/conflict-views.js';
import { ConflictResolution } from '../../../shared/domain/conflicts.js';

type Db = Kysely<LocalDatabase> | Transaction<LocalDatabase>;
type Conflict = Selectable<RecordConflictsTable>;

/** Open conflicts oldest first (to work through), by record_conflicts_open. */
export function openConflictsQuery(db: Db, after: ConflictCursor | null, limit: number) {
  let q = db.selectFrom('record_conflicts').selectAll().where('resolved_at', 'is', null);
  if (after) q = q.where(sql<boolean>`(raised_at, id) > (${after.at}, ${after.id})`);
  return q.orderBy('raised_at').orderBy('id').limit(limit + 1);
}

/** Resolved conflicts, latest resolved first, by record_conflicts_resolved. */
export function resolvedConflictsQuery(db: Db, after: ConflictCursor | null, limit: number) {
  let q = db.selectFrom('record_conflicts').selectAll().where('resolved_at', 'is not', null);
  if (after) q = q.where(sql<boolean>`(resolved_at, id) < (${after.at}, ${after.id})`);
  return q.orderBy('resolved_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
}

const STUDENT = `s.first_name || ' ' || s.last_name || ' (' || s.admission_no || ')'`;

/** How each table's record reads, and the student it is about (if any): one query per table,
 * for all of a page's rows of that table. Derived from the local copies; a record this computer
 * does not hold (not synced yet) reads as such. */
const RECORD_SQL: Record<string, string> = {
  students: `select s.id, ${STUDENT} as words, s.id as student_id from students s where s.id in (select value from json_each($IDS))`,
  guardians: `select g.id, g.name || coalesce(' (' || g.phone || ')', '') as words, null as student_id from guardians g where g.id in (select value from json_each($IDS))`,
  student_guardians: `select sg.id, coalesce(g.name, 'A guardian') || ', guardian of ' || coalesce(${STUDENT}, 'a student') as words, sg.student_id from student_guardians sg
    left join guardians g on g.id = sg.guardian_id left join students s on s.id = sg.student_id where sg.id in (select value from json_each($IDS))`,
  classes: `select c.id, 'Class ' || c.name || ' (' || c.academic_year || ')' as words, null as student_id from classes c where c.id in (select value from json_each($IDS))`,
  subjects: `select su.id, 'Subject ' || su.name as words, null as student_id from subjects su where su.id in (select value from json_each($IDS))`,
  class_subjects: `select cs.id, coalesce(su.name, 'A subject') || ' in ' || coalesce(c.name, 'a class') as words, null as student_id from class_subjects cs
    left join subjects su on su.id = cs.subject_id left join classes c on c.id = cs.class_id where cs.id in (select value from json_each($IDS))`,
  student_subjects: `select ss.id, coalesce(${STUDENT}, 'A student') || ': ' || coalesce(su.name, 'a subject') as words, ss.student_id from student_subjects ss
    left join students s on s.id = ss.student_id left join class_subjects cs on cs.id = ss.class_subject_id left join subjects su on su.id = cs.subject_id
    where ss.id in (select value from json_each($IDS))`,
  events: `select e.id, 'Event "' || e.title || '", ' || e.starts_on as words, null as student_id from events e where e.id in (select value from json_each($IDS))`,
  grading_scales: `select gs.id, 'Grading scale "' || gs.name || '"' as words, null as student_id from grading_scales gs where gs.id in (select value from json_each($IDS))`,
  assessments: `select a.id, a.name || ', ' || coalesce(su.name, 'a subject') || ', ' || coalesce(c.name, 'a class') || ', ' || a.term as words, null as student_id from assessments a
    left join subjects su on su.id = a.subject_id left join classes c on c.id = a.class_id where a.id in (select value from json_each($IDS))`,
  scores: `select sc.id, coalesce(a.name, 'A mark') || ' in ' || coalesce(su.name, 'a subject') || ': ' || coalesce(${STUDENT}, 'a student') as words, sc.student_id from scores sc
    left join assessments a on a.id = sc.assessment_id left join subjects su on su.id = a.subject_id left join students s on s.id = sc.student_id
    where sc.id in (select value from json_each($IDS))`,
  report_comments: `select rc.id, 'Report card comments, ' || rc.term || ': ' || coalesce(${STUDENT}, 'a student') as words, rc.student_id from report_comments rc
    left join students s on s.id = rc.student_id where rc.id in (select value from json_each($IDS))`,
  attendance_sessions: `select ss.id, coalesce(c.name, 'A class') || ' register, ' || ss.date || case when ss.period = '' then '' else ' (' || ss.period || ')' end as words, null as student_id
    from attendance_sessions ss left join classes c on c.id = ss.class_id where ss.id in (select value from json_each($IDS))`,
  attendance_records: `select ar.id, coalesce(c.name, 'A class') || ' register, ' || coalesce(ss.date, 'a day') || case when coalesce(ss.period, '') = '' then '' else ' (' || ss.period || ')' end
      || ': ' || coalesce(s.first_name || ' ' || s.last_name, 'a student') as words, ar.student_id
    from attendance_records ar left join attendance_sessions ss on ss.id = ar.session_id left join classes c on c.id = ss.class_id left join students s on s.id = ar.student_id
    where ar.id in (select value from json_each($IDS))`,
};

interface RecordWords {
  words: string;
  studentId: string | null;
}

async function recordsInWords(db: Db, refs: readonly { table: string; id: string }[]): Promise<Map<string, RecordWords>> {
  const out = new Map<string, RecordWords>();
  const byTable = new Map<string, Set<string>>();
  for (const r of refs) byTable.set(r.table, (byTable.get(r.table) ?? new Set()).add(r.id));
  for (const [table, ids] of byTable) {
    const text = RECORD_SQL[table];
    if (!text) continue;
    const [before, after] = text.split('$IDS') as [string, string];
    const { rows } = await sql<{ id: string; words: string; student_id: string | null }>`${sql.raw(before)}${JSON.stringify([...ids])}${sql.raw(after)}`.execute(db);
    for (const r of rows) out.set(`${table}:${r.id}`, { words: r.words, studentId: r.student_id });
  }
  return out;
}

/** Names of the people, computers, classes, guardians and students a page of conflicts mentions. */
async function namesFor(db: Db, conflicts: readonly Conflict[], thisDevice: string): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const c of conflicts) {
    for (const id of [c.kept_by, c.lost_by, c.kept_device, c.lost_device, c.resolved_by]) if (id) ids.add(id);
    for (const v of [c.kept_value, c.lost_value]) {
      try {
        const parsed: unknown = JSON.parse(v);
        if (typeof parsed === 'string' && /^[0-9a-f-]{36}$/i.test(parsed)) ids.add(parsed);
      } catch {
        // Not JSON: shown as it is.
      }
    }
  }
  const list = JSON.stringify([...ids]);
  const { rows } = await sql<{ id: string; name: string }>`
    select id, display_name as name from staff where id in (select value from json_each(${list}))
    union all select id, name from devices where id in (select value from json_each(${list}))
    union all select id, name from classes where id in (select value from json_each(${list}))
    union all select id, name from guardians where id in (select value from json_each(${list}))
    union all select id, first_name || ' ' || last_name || ' (' || admission_no || ')' from students where id in (select value from json_each(${list}))
    union all select id, name from subjects where id in (select value from json_each(${list}))`.execute(db);
  const names = new Map(rows.map((r) => [r.id, r.name]));
  names.set(thisDevice, names.has(thisDevice) ? `${names.get(thisDevice)} (this computer)` : 'this computer');
  return names;
}

function toItem(c: Conflict, records: Map<string, RecordWords>, names: Map<string, string>): ConflictItem {
  const record = records.get(`${c.table_name}:${c.row_id}`);
  const other = c.other_row_id ? records.get(`${c.table_name}:${c.other_row_id}`) : undefined;
  const who = (id: string | null) => (id ? (names.get(id) ?? 'someone no longer on the staff list') : 'unknown');
  const where = (id: string | null) => (id ? (names.get(id) ?? 'another computer') : 'the server');
  return {
    id: c.id,
    kind: c.kind === 'duplicate' ? 'duplicate' : 'overwritten',
    table: c.table_name,
    rowId: c.row_id,
    record: record?.words ?? 'A record not on this computer yet (sync to fetch it)',
    fieldLabel: fieldLabel(c.field),
    kept: { value: valueWords(c.kept_value, c.field, names), by: who(c.kept_by), device: where(c.kept_device) },
    replaced: { value: valueWords(c.lost_value, c.field, names), by: who(c.lost_by), device: where(c.lost_device) },
    raisedAt: c.raised_at,
    other: c.other_row_id ? { rowId: c.other_row_id, record: other?.words ?? 'A record not on this computer yet' } : null,
    studentIds: [record?.studentId, other?.studentId].filter((id): id is string => !!id),
    resolution: c.resolution === null ? null : ConflictResolution.parse(c.resolution),
    resolvedAt: c.resolved_at,
    resolvedBy: c.resolved_by ? who(c.resolved_by) : null,
  };
}

/** Conflicts in words, with everything they name looked up once for the list (no query per row). */
export async function describeConflicts(db: Db, conflicts: readonly Conflict[], thisDevice: string): Promise<ConflictItem[]> {
  const refs = conflicts.flatMap((c) => [{ table: c.table_name, id: c.row_id }, ...(c.other_row_id ? [{ table: c.table_name, id: c.other_row_id }] : [])]);
  const [records, names] = await Promise.all([recordsInWords(db, refs), namesFor(db, conflicts, thisDevice)]);
  return conflicts.map((c) => toItem(c, records, names));
}

/** Conflicts the server raised that nobody has reviewed (record_conflicts_open). */
export async function openConflictCount(db: Db): Promise<number> {
  const row = await db.selectFrom('record_conflicts').select((eb) => eb.fn.countAll<number>().as('n')).where('resolved_at', 'is', null).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listConflicts(db: Db, state: 'open' | 'resolved', after: ConflictCursor | null, limit: number, thisDevice: string): Promise<ConflictsPage> {
  const rows = await (state === 'open' ? openConflictsQuery(db, after, limit) : resolvedConflictsQuery(db, after, limit)).execute();
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows.at(-1);
  const next = more && last ? { at: state === 'open' ? last.raised_at : last.resolved_at!, id: last.id } : null;
  return { rows: await describeConflicts(db, rows, thisDevice), next, openCount: await openConflictCount(db) };
}
