import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { FeeStructureItem } from '../../../shared/domain/fees.js';
import type { FeeStructureView } from '../../../shared/domain/bursary-views.js';
import { isPending } from './ledger-sql.js';

function structureRows(db: Kysely<LocalDatabase>) {
  return db
    .selectFrom('fee_structures as s')
    .select([
      's.id',
      's.class_name',
      's.term',
      's.items',
      's.active',
      sql<number>`(select count(*) from students st where st.class_name = s.class_name and st.status = 'enrolled')`.as('in_class'),
      // Enrolled students of the class who carry at least one of its charges (charges_by_structure).
      sql<number>`(select count(distinct c.student_id) from charges c join students st on st.id = c.student_id
        where c.structure_id = s.id and st.class_name = s.class_name and st.status = 'enrolled')`.as('charged'),
      isPending('fee_structures', 's.id').as('pending'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof structureRows>['execute']>>[number];

async function toViews(db: Kysely<LocalDatabase>, rows: Row[]): Promise<FeeStructureView[]> {
  const categories = new Map((await db.selectFrom('fee_categories').select(['id', 'name']).execute()).map((c) => [c.id, c.name]));
  return rows.map((r) => {
    const items = JSON.parse(r.items) as FeeStructureItem[];
    return {
      id: r.id,
      className: r.class_name,
      term: r.term,
      active: r.active === 1,
      items: items.map((i) => ({ ...i, category: categories.get(i.categoryId) ?? 'A fee category not on this device' })),
      totalMinor: items.reduce((s, i) => s + i.amountMinor, 0),
      studentsInClass: r.in_class,
      studentsCharged: r.charged,
      pending: r.pending === 1,
    };
  });
}

/** Every fee structure, by term then class. */
export async function listStructures(db: Kysely<LocalDatabase>): Promise<FeeStructureView[]> {
  return toViews(db, await structureRows(db).orderBy('s.term').orderBy('s.class_name').orderBy('s.id').execute());
}

export async function structureView(db: Kysely<LocalDatabase>, id: string): Promise<FeeStructureView | undefined> {
  const [view] = await toViews(db, await structureRows(db).where('s.id', '=', id).execute());
  return view;
}
