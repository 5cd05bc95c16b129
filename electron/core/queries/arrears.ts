import { sql, type Kysely } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { ArrearsListItem, LedgerFilter, NameCursor } from '../../../shared/domain/bursary-views.js';
import { arrearsByAge, type LedgerCharge } from '../../../shared/domain/ledger-math.js';
import { balanceOf, keysetPage, studentName } from './ledger-sql.js';
import { loadStudentLedgers, type StudentLedger } from './student-ledger.js';

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
    balanceOf('b').as('balanceMinor'),
    'b.settled',
  ]);
  if (after) q = q.where(sql<boolean>`(s.last_name, s.first_name, s.id) > (${after.lastName}, ${after.firstName}, ${after.id})`);
  return q.orderBy('s.last_name').orderBy('s.first_name').orderBy('s.id').limit(limit + 1);
}

/** What the settled students of a page still owe, charge by charge (charge_positions by key). */
function owedCharges(db: Kysely<LocalDatabase>, studentIds: string[]) {
  return db
    .selectFrom('charge_positions as cp')
    .innerJoin('charges as c', 'c.id', 'cp.charge_id')
    .select(['cp.student_id', 'cp.charge_id as id', 'cp.category_id as categoryId', 'cp.amount_minor as amountMinor', 'cp.owed_minor as owed', 'c.due_on as dueOn', 'c.posted_at as postedAt'])
    .where('cp.student_id', 'in', studentIds)
    .where('cp.owed_minor', '>', 0)
    .execute();
}

/**
 * One page of students in arrears with what they owe by age on the school's `today`. Each
 * charge's amount still owed comes from charge_positions for settled students, and from settling
 * their ledger here for those whose ledger moved since; `settle` (when given) then brings those
 * students' positions up to date, so the next look at them reads positions too.
 */
export async function listArrears(
  db: Kysely<LocalDatabase>,
  input: { filter: LedgerFilter; after: NameCursor | null; limit: number; withTotal: boolean },
  today: string,
  settle?: (studentIds: string[]) => Promise<void>,
): Promise<{ rows: ArrearsListItem[]; next: NameCursor | null; total: number | null }> {
  // One read transaction: the students found owing and their positions are the same rows.
  const { page, owed, ledgers } = await db.transaction().execute(async (tx) => {
    const found = await arrearsPageQuery(tx, input.filter, input.after, input.limit).execute();
    const page = keysetPage(found, input.limit, (s) => ({ lastName: s.lastName, firstName: s.firstName, id: s.id }));
    const settled = page.rows.filter((s) => s.settled === 1).map((s) => s.id);
    const unsettled = page.rows.filter((s) => s.settled !== 1).map((s) => s.id);
    return {
      page,
      owed: settled.length ? await owedCharges(tx, settled) : [],
      ledgers: unsettled.length ? await loadStudentLedgers(tx, unsettled) : new Map<string, StudentLedger>(),
    };
  });
  const owedOf = new Map<string, { charges: LedgerCharge[]; outstanding: Map<string, number> }>();
  for (const { student_id, owed: amount, ...charge } of owed) {
    const o = owedOf.get(student_id) ?? owedOf.set(student_id, { charges: [], outstanding: new Map() }).get(student_id)!;
    o.charges.push(charge);
    o.outstanding.set(charge.id, amount);
  }
  const none = { charges: [], outstanding: new Map<string, number>() };
  const rows = page.rows.map(({ id, firstName: _f, lastName: _l, settled: _s, balanceMinor, ...s }) => {
    const { charges, outstanding } = ledgers.get(id) ?? owedOf.get(id) ?? none;
    return { studentId: id, ...s, balanceMinor, ...arrearsByAge(charges, outstanding, today) };
  });
  if (settle && ledgers.size > 0) await settle([...ledgers.keys()]);
  // Counting means a pass over every student's totals: only on request (the first page).
  const total = input.withTotal ? await countOwing(db, input.filter) : null;
  return { rows, next: page.next, total };
}
