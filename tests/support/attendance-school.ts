import { uuidv7 } from '../../shared/ids.js';
import { EMPTY_META } from '../../shared/domain/records.js';
import { className, type ClassRow } from '../../shared/domain/classes.js';
import type { StudentRow } from '../../shared/domain/students.js';
import { pullRows, type TestDevice } from './local-device.js';

/** A class as the server sends it. */
export function classRow(grade: string, level: number, stream: string, year: number): ClassRow {
  return { id: uuidv7(), grade, level, stream, academic_year: year, class_teacher_id: null, grading_scale_id: null, name: className(grade, stream), deleted: false, meta: EMPTY_META };
}

/**
 * Pulls `classes` and places the device's students in them, `perClass` each in order (the rest
 * stay without a class), as the server would send them. Returns each class's students.
 */
export async function seedClasses(device: TestDevice, classes: ClassRow[], perClass: number): Promise<Map<string, StudentRow[]>> {
  await pullRows(device.core, 'classes', classes);
  const byClass = new Map<string, StudentRow[]>();
  const placed: StudentRow[] = [];
  classes.forEach((c, i) => {
    const members = device.students.slice(i * perClass, (i + 1) * perClass).map((s) => ({ ...s, class_id: c.id, class_name: c.name, status: 'enrolled' as const }));
    byClass.set(c.id, members);
    placed.push(...members);
  });
  await pullRows(device.core, 'students', placed);
  for (const s of placed) Object.assign(device.students.find((d) => d.id === s.id)!, s);
  return byClass;
}

/** The mutations queued on this device, oldest first, with their arguments (not the offline sign-ins' logins.record). */
export function queued(device: TestDevice): { name: string; args: { rows?: { id: string; create: boolean; fields: Record<string, unknown>; base: Record<string, number> }[] } }[] {
  return (device.core.store.sqlite.prepare("select name, args from outbox where name <> 'logins.record' order by seq").all() as { name: string; args: string }[]).map((r) => ({ name: r.name, args: JSON.parse(r.args) }));
}

export function countRows(device: TestDevice, table: string): number {
  const where = table === 'outbox' ? " where name <> 'logins.record'" : '';
  return device.core.store.sqlite.prepare(`select count(*) from ${table}${where}`).pluck().get() as number;
}

/** The plan SQLite chooses for a compiled Kysely query. */
export function planOf(device: TestDevice, compiled: { sql: string; parameters: readonly unknown[] }): string[] {
  return (device.core.store.sqlite.prepare(`explain query plan ${compiled.sql}`).all(...compiled.parameters) as { detail: string }[]).map((d) => d.detail);
}
