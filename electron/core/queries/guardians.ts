import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { GuardianLinkView, GuardianMatch, SiblingView } from '../../../shared/domain/student-views.js';
import type { GuardianFields } from '../../../shared/domain/students.js';
import { toFtsPrefixQuery } from './fts-query.js';

/** Guardian matches read from the FTS index before sorting by name: enough for a picker. */
const GUARDIAN_MATCH_LIMIT = 200;

const guardianColumns = ['g.id', 'g.name', 'g.phone', 'g.alt_phone', 'g.email', 'g.address'] as const;

function guardianValues(g: { name: string; phone: string | null; alt_phone: string | null; email: string | null; address: string | null }): GuardianFields {
  return { name: g.name, phone: g.phone, alt_phone: g.alt_phone, email: g.email, address: g.address };
}

/** A student's guardians, fee payers first. */
export async function guardiansOf(db: Kysely<LocalDatabase>, studentId: string): Promise<GuardianLinkView[]> {
  const rows = await db
    .selectFrom('student_guardians as sg')
    .innerJoin('guardians as g', 'g.id', 'sg.guardian_id')
    .select([...guardianColumns, 'sg.relationship', 'sg.pays_fees'])
    .where('sg.student_id', '=', studentId)
    .where('sg.deleted', '=', 0)
    .where('g.deleted', '=', 0)
    .orderBy('sg.pays_fees', 'desc')
    .orderBy('g.name')
    .execute();
  return rows.map((r) => ({ guardianId: r.id, values: guardianValues(r), relationship: r.relationship, paysFees: r.pays_fees === 1 }));
}

/** Students who share a guardian with this one, each once, in name order. */
export async function siblingsOf(db: Kysely<LocalDatabase>, studentId: string): Promise<SiblingView[]> {
  const rows = await db
    .selectFrom('student_guardians as mine')
    .innerJoin('student_guardians as other', 'other.guardian_id', 'mine.guardian_id')
    .innerJoin('students as s', 's.id', 'other.student_id')
    .select(['s.id', 's.first_name', 's.last_name', 's.admission_no', 's.class_name', 's.status'])
    .distinct()
    .where('mine.student_id', '=', studentId)
    .where('mine.deleted', '=', 0)
    .where('other.deleted', '=', 0)
    .where('other.student_id', '!=', studentId)
    .where('s.deleted', '=', 0)
    .orderBy('s.last_name')
    .orderBy('s.first_name')
    .orderBy('s.id')
    .execute();
  return rows.map((s) => ({ id: s.id, name: `${s.first_name} ${s.last_name}`, admissionNo: s.admission_no, className: s.class_name, status: s.status }));
}

/** The first matches from the FTS index, each looked up by rowid and sorted by name (a few hundred at most). */
export function guardianMatchesQuery(db: Kysely<LocalDatabase>, fts: string, limit: number) {
  return db
    .selectFrom(sql<{ r: number }>`(select rowid as r from guardians_fts where guardians_fts match ${fts} limit ${GUARDIAN_MATCH_LIMIT})`.as('m'))
    .crossJoin('guardians as g')
    .where(sql<boolean>`g.rowid = m.r`)
    .where('g.deleted', '=', 0)
    .select(guardianColumns)
    .orderBy('g.name')
    .orderBy('g.id')
    .limit(limit);
}

/** Guardians whose name or phone starts with what was typed (every word), with their children. */
export async function searchGuardians(db: Kysely<LocalDatabase>, search: string, limit: number): Promise<GuardianMatch[]> {
  const fts = toFtsPrefixQuery(search);
  if (!fts) return [];
  const rows = await guardianMatchesQuery(db, fts, limit).execute();
  if (rows.length === 0) return [];
  const children = await db
    .selectFrom('student_guardians as sg')
    .innerJoin('students as s', 's.id', 'sg.student_id')
    .select(['sg.guardian_id', 's.first_name', 's.last_name'])
    .where('sg.guardian_id', 'in', rows.map((r) => r.id))
    .where('sg.deleted', '=', 0)
    .where('s.deleted', '=', 0)
    .orderBy('s.last_name')
    .orderBy('s.first_name')
    .execute();
  const byGuardian = new Map<string, string[]>();
  for (const c of children) byGuardian.set(c.guardian_id, [...(byGuardian.get(c.guardian_id) ?? []), `${c.first_name} ${c.last_name}`]);
  return rows.map((g) => ({ id: g.id, values: guardianValues(g), children: (byGuardian.get(g.id) ?? []).join(', ') }));
}
