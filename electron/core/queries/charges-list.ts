import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ChargeListItem, LedgerFilter, TimeCursor } from '../../../shared/domain/bursary-views.js';
import { isPending, isVoided, keysetPage, studentName, timeRange } from './ledger-sql.js';

/** The charges a filter selects; charges are the outer loop, walked by charges_by_time (or
 * charges_by_student for one student) in the list's order. */
function filtered(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: TimeCursor | null, timeZone: string) {
  const { from, before } = timeRange(filter, after, timeZone);
  let q = db.selectFrom('charges as c').crossJoin('students as s').whereRef('s.id', '=', 'c.student_id');
  if (from) q = q.where('c.posted_at', '>=', from);
  if (before) q = q.where(sql<boolean>`(c.posted_at, c.id) < (${before.at}, ${before.id})`);
  if (filter.className) q = q.where('s.class_name', '=', filter.className);
  if (filter.categoryId) q = q.where('c.category_id', '=', filter.categoryId);
  if (filter.studentId) q = q.where('c.student_id', '=', filter.studentId);
  return q;
}

export function chargesPageQuery(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: TimeCursor | null, limit: number, timeZone: string) {
  return filtered(db, filter, after, timeZone)
    .leftJoin('fee_categories as f', 'f.id', 'c.category_id')
    .select([
      'c.id',
      'c.student_id as studentId',
      studentName('s').as('studentName'),
      's.admission_no as admissionNo',
      's.class_name as className',
      sql<string>`coalesce(f.name, 'Fee')`.as('category'),
      'c.description',
      'c.term',
      'c.due_on as dueOn',
      'c.amount_minor as amountMinor',
      'c.posted_at as postedAt',
      'c.posted_by as postedBy',
      isVoided('c.id').as('voided'),
      isPending('charges', 'c.id').as('pending'),
    ])
    .orderBy('c.posted_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit + 1);
}

/** One page of charges, newest first, keyset-paged on (posted_at, id). */
export async function listCharges(
  db: Kysely<LocalDatabase>,
  input: { filter: LedgerFilter; after: TimeCursor | null; limit: number; withTotal: boolean },
  timeZone: string,
): Promise<{ rows: ChargeListItem[]; next: TimeCursor | null; total: number | null }> {
  const raw = await chargesPageQuery(db, input.filter, input.after, input.limit, timeZone).execute();
  const rows = raw.map((r) => ({ ...r, voided: r.voided === 1, pending: r.pending === 1 }));
  const total = input.withTotal
    ? Number((await filtered(db, input.filter, null, timeZone).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    : null;
  return { ...keysetPage(rows, input.limit, (r) => ({ at: r.postedAt, id: r.id })), total };
}
