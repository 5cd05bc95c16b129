import { sql } from 'kysely';
import { className } from '../../../../shared/domain/classes.js';
import { guardianPhones } from '../../../../shared/domain/students.js';
import type { EditableTable } from '../../../../shared/sync/editable.js';
import { allocateSeqs, appendChanges, type ChangeOrigin } from '../../changes/append.js';
import type { TenantTrx } from '../../db/with-tenant.js';
import { loadWireRows, writeWireRows } from '../../records/wire.js';
import type { PlannedRow } from './rules.js';
import type { Row } from './describe.js';

// Columns derived from other rows (DESIGN: "whoever writes the row derives them"): a class's
// name, a student's class name and guardians' phones. The server derives them for the synced
// copy; a device never sends them.

/** Sets the derived columns of the rows being saved (before they are written). */
export async function deriveOwnColumns(trx: TenantTrx, tenantId: string, table: EditableTable, rows: readonly PlannedRow[]): Promise<void> {
  if (table === 'classes') {
    for (const r of rows) r.merged.name = className(String(r.merged.grade), String(r.merged.stream));
  }
  if (table === 'students') {
    const needing = rows.filter((r) => r.current === null || r.touched.has('class_id'));
    const classIds = needing.map((r) => r.merged.class_id).filter((id): id is string => typeof id === 'string');
    const classes = await loadWireRows(trx, tenantId, 'classes', classIds);
    for (const r of needing) {
      const cls = typeof r.merged.class_id === 'string' ? classes.get(r.merged.class_id) : undefined;
      r.merged.class_name = cls ? String(cls.name) : null;
    }
    for (const r of rows) if (r.current === null) r.merged.guardian_phone = null;
  }
}

/** The students whose derived columns this save changes: a class renamed, a guardian's phones
 * or a link changed. */
function affected(table: EditableTable, rows: readonly PlannedRow[]): { renamedClasses: PlannedRow[]; guardianIds: string[]; studentIds: string[] } {
  const renamedClasses = table === 'classes' ? rows.filter((r) => r.current !== null && r.current.name !== r.merged.name) : [];
  const guardianIds =
    table === 'guardians' ? rows.filter((r) => r.current !== null && ['phone', 'alt_phone', 'deleted'].some((f) => r.touched.has(f))).map((r) => r.id) : [];
  const studentIds = table === 'student_guardians' ? rows.map((r) => String(r.merged.student_id)) : [];
  return { renamedClasses, guardianIds, studentIds };
}

/** Brings students' derived columns in step with what this save wrote, as changes of their own. */
export async function updateDependentStudents(trx: TenantTrx, tenantId: string, table: EditableTable, rows: readonly PlannedRow[], origin: ChangeOrigin): Promise<void> {
  const { renamedClasses, guardianIds, studentIds } = affected(table, rows);
  const changed = new Map<string, Row>();

  if (renamedClasses.length > 0) {
    const names = new Map(renamedClasses.map((r) => [r.id, String(r.merged.name)]));
    const ids = await sql<{ id: string }>`select id from students where tenant_id = ${tenantId} and class_id in (${sql.join([...names.keys()])})`.execute(trx);
    const students = await loadWireRows(trx, tenantId, 'students', ids.rows.map((r) => r.id));
    for (const s of students.values()) changed.set(String(s.id), { ...s, class_name: names.get(String(s.class_id)) ?? null });
  }

  const phoneStudents = new Set(studentIds);
  if (guardianIds.length > 0) {
    const linked = await sql<{ student_id: string }>`select distinct student_id from student_guardians
      where tenant_id = ${tenantId} and guardian_id in (${sql.join(guardianIds)})`.execute(trx);
    for (const l of linked.rows) phoneStudents.add(l.student_id);
  }
  if (phoneStudents.size > 0) {
    const ids = [...phoneStudents];
    const links = await sql<{ student_id: string; pays_fees: boolean; phone: string | null; alt_phone: string | null }>`select sg.student_id, sg.pays_fees, g.phone, g.alt_phone
      from student_guardians sg join guardians g on g.tenant_id = sg.tenant_id and g.id = sg.guardian_id
      where sg.tenant_id = ${tenantId} and sg.student_id in (${sql.join(ids)}) and not sg.deleted and not g.deleted
      order by sg.student_id, sg.id`.execute(trx);
    const linksOf = new Map<string, typeof links.rows>();
    for (const l of links.rows) linksOf.set(l.student_id, [...(linksOf.get(l.student_id) ?? []), l]);
    const students = await loadWireRows(trx, tenantId, 'students', ids.filter((id) => !changed.has(id)));
    for (const id of ids) {
      const s = changed.get(id) ?? students.get(id);
      if (!s) continue;
      const phones = guardianPhones(linksOf.get(id) ?? []);
      if (phones !== s.guardian_phone || changed.has(id)) changed.set(id, { ...s, guardian_phone: phones });
    }
  }

  if (changed.size === 0) return;
  const students = [...changed.values()];
  const first = await allocateSeqs(trx, tenantId, students.length);
  const written = students.map((row, i) => ({ row, seq: first + i }));
  await writeWireRows(trx, tenantId, 'students', written);
  await appendChanges(trx, tenantId, written.map(({ row, seq }) => ({ seq, table: 'students' as const, rowId: String(row.id), op: 'update' as const, row })), origin);
}
