import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ArrearsListItem, LedgerFilter, NameCursor } from '../../../shared/domain/bursary-views.js';
import { arrearsByAge } from '../../../shared/domain/ledger-math.js';
import { balanceOf, keysetPage, studentName } from './ledger-sql.js';
import { loadStudentLedgers } from './student-ledger.js';

// Students who owe, in name order. The students' name index (or class + name) is walked and
// each student's ledger_balances row (kept by triggers) probed by key, until a page of students
// with a positive balance is found: a page costs the students it passes, never the ledger.
// CROSS JOIN keeps the students outside, so the walk is in the list's order with no sort.

function owing(db: Kysely<LocalDatabase>, filter: LedgerFilter) {
  let q = db.selectFrom('students as s').crossJoin('ledger_balances as b').whereRef('b.student_id', '=', 's.id').where(sql<boolean>`${balanceOf('b')} > 0`);
  if (filter.className) q = q.where('s.class_name', '=', filter.className);
  return q;
}

async function countOwing(db: Kysely<LocalDatabase>, filter: LedgerFilter): Promise<number> {
  // Without a class: one pass over ledger_balances alone (a row per student who has a ledger).
  const q = filter.className
    ? owing(db, filter)
    : db.selectFrom('ledger_balances as b').where(sql<boolean>`${balanceOf('b')} > 0`);
  return Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

export function arrearsPageQuery(db: Kysely<LocalDatabase>, filter: LedgerFilter, after: NameCursor | null, limit: number) {
  let q = owing(db, filter).select([
    's.id',
    's.first_name as firstName',
    's.last_name as lastName',
    studentName('s').as('studentName'),
    's.admission_no as admissionNo',
    's.class_name as className',
    's.guardian_phone as guardianPhone',
  ]);
  if (after) q = q.where(sql<boolean>`(s.last_name, s.first_name, s.id) > (${after.lastName}, ${after.firstName}, ${after.id})`);
  return q.orderBy('s.last_name').orderBy('s.first_name').orderBy('s.id').limit(limit + 1);
}

/** One page of students in arrears with what they owe by age on the school's `today`. */
export async function listArrears(
  db: Kysely<LocalDatabase>,
  input: { filter: LedgerFilter; after: NameCursor | null; limit: number; withTotal: boolean },
  today: string,
): Promise<{ rows: ArrearsListItem[]; next: NameCursor | null; total: number | null }> {
  // One read transaction: the students found owing and their settled ledgers are the same rows.
  const { page, ledgers } = await db.transaction().execute(async (tx) => {
    const found = await arrearsPageQuery(tx, input.filter, input.after, input.limit).execute();
    const page = keysetPage(found, input.limit, (s) => ({ lastName: s.lastName, firstName: s.firstName, id: s.id }));
    return { page, ledgers: await loadStudentLedgers(tx, page.rows.map((s) => s.id)) };
  });
  const rows = page.rows.map(({ id, firstName: _f, lastName: _l, ...s }) => {
    const ledger = ledgers.get(id)!;
    return { studentId: id, ...s, balanceMinor: ledger.balanceMinor, ...arrearsByAge(ledger.charges, ledger.outstanding, today) };
  });
  // Counting means working out every student's balance: only on request (the first page).
  const total = input.withTotal ? await countOwing(db, input.filter) : null;
  return { rows, next: page.next, total };
}
