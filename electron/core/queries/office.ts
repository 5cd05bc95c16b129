import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ClassChoice } from '../../../shared/domain/attendance-views.js';

/**
 * The academic year the office works in: the latest year of the classes on this device that has
 * begun by the school's calendar year today (classes for next year may be set up early), or the
 * earliest year there is when every class is in the future. Null: no classes yet.
 */
export async function currentAcademicYear(db: Kysely<LocalDatabase>, today: string): Promise<number | null> {
  const calendarYear = Number(today.slice(0, 4));
  const started = await db
    .selectFrom('classes')
    .select((eb) => eb.fn.max<number | null>('academic_year').as('y'))
    .where('academic_year', '<=', calendarYear)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (started?.y != null) return Number(started.y);
  const first = await db.selectFrom('classes').select((eb) => eb.fn.min<number | null>('academic_year').as('y')).where('deleted', '=', 0).executeTakeFirst();
  return first?.y != null ? Number(first.y) : null;
}

/** The classes of a year in grade order, each with its enrolled students counted on
 * students_enrolled_by_class (the index alone). */
export function enrolmentQuery(db: Kysely<LocalDatabase>, year: number) {
  return db
    .selectFrom('classes as c')
    .select([
      'c.id',
      'c.name',
      sql<number>`(select count(*) from students s where s.class_id = c.id and s.status = 'enrolled' and s.deleted = 0)`.as('enrolled'),
    ])
    .where('c.academic_year', '=', year)
    .where('c.deleted', '=', 0)
    .orderBy('c.level')
    .orderBy('c.stream')
    .orderBy('c.id');
}

export async function enrolmentByClass(db: Kysely<LocalDatabase>, year: number | null): Promise<ClassChoice[]> {
  if (year === null) return [];
  return (await enrolmentQuery(db, year).execute()).map((r) => ({ ...r, enrolled: Number(r.enrolled) }));
}
