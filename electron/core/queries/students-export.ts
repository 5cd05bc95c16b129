import { sql, type Kysely } from 'kysely';
import type { LocalDatabase, Student } from '../store/database.js';
import type { StudentCursor, StudentFilter } from '../../../shared/domain/students.js';
import type { StudentExportPage } from '../../../shared/domain/student-import.js';
import { listStudents } from './students.js';

/**
 * One page of the students list as the export writes it (the import's columns, so an exported
 * file can be edited and imported back): the list's own keyset page for the order and the
 * filter, then the page's full rows and guardians in two queries.
 */
export async function studentsExportPage(db: Kysely<LocalDatabase>, filter: StudentFilter, after: StudentCursor | null, limit: number): Promise<StudentExportPage> {
  const page = await listStudents(db, filter, after, limit);
  const ids = JSON.stringify(page.rows.map((r) => r.id));
  const [{ rows: students }, { rows: guardians }] = await Promise.all([
    sql<Student>`select * from students where id in (select value from json_each(${ids}))`.execute(db),
    sql<{ student_id: string; name: string; relationship: string; phone: string | null; email: string | null; pays_fees: number }>`
      select sg.student_id, g.name, sg.relationship, g.phone, g.email, sg.pays_fees
      from student_guardians sg join guardians g on g.id = sg.guardian_id
      where sg.student_id in (select value from json_each(${ids})) and sg.deleted = 0 and g.deleted = 0
      order by sg.student_id, sg.pays_fees desc, g.name, g.id`.execute(db),
  ]);
  const byId = new Map(students.map((s) => [s.id, s]));
  const guardiansOf = new Map<string, typeof guardians>();
  for (const g of guardians) guardiansOf.set(g.student_id, [...(guardiansOf.get(g.student_id) ?? []), g]);
  const rows = page.rows.map((item) => {
    const s = byId.get(item.id)!;
    const row: Record<string, string> = {
      admission_no: s.admission_no,
      first_name: s.first_name,
      middle_name: s.middle_name ?? '',
      last_name: s.last_name,
      date_of_birth: s.date_of_birth ?? '',
      gender: s.gender ?? '',
      class: s.class_name ?? '',
      status: s.status,
      medical_notes: s.medical_notes ?? '',
    };
    (guardiansOf.get(s.id) ?? []).slice(0, 2).forEach((g, i) => {
      const slot = `guardian${i + 1}_`;
      Object.assign(row, { [`${slot}name`]: g.name, [`${slot}relationship`]: g.relationship, [`${slot}phone`]: g.phone ?? '', [`${slot}email`]: g.email ?? '', [`${slot}pays_fees`]: g.pays_fees === 1 ? 'yes' : 'no' });
    });
    return row;
  });
  return { rows, next: page.next };
}
