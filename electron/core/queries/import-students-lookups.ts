import { sql, type Transaction } from 'kysely';
import type { LocalDatabase, Student } from '../store/database.js';
import { classKey } from '../../../shared/domain/student-import.js';
import { GUARDIAN_PHONE_KEY } from '../store/migrations/0011_messages_import.js';

// What a students file is checked against, a few queries per file or chunk however long it is:
// each takes its keys as one JSON array (json_each), never one statement per row.

/** Students (removed ones too: importing one restores it) by admission key, by the
 * students_by_admission_key index. */
export async function studentsByAdmissionKeys(tx: Transaction<LocalDatabase>, keys: readonly string[]): Promise<Map<string, Student[]>> {
  const { rows } = await sql<Student>`select * from students where upper(trim(admission_no)) in (select value from json_each(${JSON.stringify(keys)}))`.execute(tx);
  const out = new Map<string, Student[]>();
  for (const r of rows) {
    const key = r.admission_no.trim().toUpperCase();
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}

export interface ClassMatch {
  id: string;
  name: string;
}

/** Classes by name key; a name used in several years means the latest year's class. */
export async function classesByKey(tx: Transaction<LocalDatabase>): Promise<Map<string, ClassMatch>> {
  const rows = await tx.selectFrom('classes').select(['id', 'name', 'academic_year']).where('deleted', '=', 0).orderBy('academic_year').orderBy('id').execute();
  return new Map(rows.map((c) => [classKey(c.name), { id: c.id, name: c.name }]));
}

export interface GuardianMatch {
  id: string;
  name: string;
}

/** Guardians by phone key (the oldest when two share a phone). */
export async function guardiansByPhoneKeys(tx: Transaction<LocalDatabase>, keys: readonly string[]): Promise<Map<string, GuardianMatch>> {
  if (keys.length === 0) return new Map();
  const { rows } = await sql<{ id: string; name: string; k: string }>`
    select id, name, ${sql.raw(GUARDIAN_PHONE_KEY)} as k from guardians
    where ${sql.raw(GUARDIAN_PHONE_KEY)} in (select value from json_each(${JSON.stringify(keys)})) and deleted = 0
    order by id desc`.execute(tx);
  return new Map(rows.map((r) => [r.k, { id: r.id, name: r.name }]));
}

export interface GuardianLink {
  id: string;
  studentId: string;
  guardianId: string;
  name: string;
  relationship: string;
  paysFees: boolean;
  deleted: boolean;
}

/** Each student's guardian links (unlinked ones too), with the guardian's name. */
export async function linksOfStudents(tx: Transaction<LocalDatabase>, studentIds: readonly string[]): Promise<Map<string, GuardianLink[]>> {
  if (studentIds.length === 0) return new Map();
  const { rows } = await sql<{ id: string; student_id: string; guardian_id: string; name: string; relationship: string; pays_fees: number; deleted: number }>`
    select sg.id, sg.student_id, sg.guardian_id, g.name, sg.relationship, sg.pays_fees, sg.deleted
    from student_guardians sg join guardians g on g.id = sg.guardian_id
    where sg.student_id in (select value from json_each(${JSON.stringify(studentIds)}))`.execute(tx);
  const out = new Map<string, GuardianLink[]>();
  for (const r of rows) {
    const link = { id: r.id, studentId: r.student_id, guardianId: r.guardian_id, name: r.name, relationship: r.relationship, paysFees: r.pays_fees === 1, deleted: r.deleted === 1 };
    out.set(r.student_id, [...(out.get(r.student_id) ?? []), link]);
  }
  return out;
}
