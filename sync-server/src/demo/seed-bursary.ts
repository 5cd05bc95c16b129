import type { ChargeRow, DiscountRow, FeeStructureItem, FeeStructureRow } from '../../../shared/domain/fees.js';
import type { ExpenseApprovalRow, ExpenseRow } from '../../../shared/domain/expenses.js';
import { structureChargeId } from '../../../shared/sync/mutations.js';
import type { TenantTrx } from '../db/with-tenant.js';
import { discountBase, percentOf } from '../ledger/discount-base.js';
import { insertCharges, insertDiscount, insertExpense, insertExpenseApproval, insertFeeCategory, saveFeeStructure } from '../ledger/rows.js';
import { DEMO_SCHOOL, DEMO_STAFF } from './demo-school.js';
import { CLASSES } from './names.js';
import { stableUuid } from './prng.js';

// The demo school's bursary, so every screen has something to show: fee categories, one fee
// structure per class for Term 3 2026 applied to its enrolled students (the charges a device
// would post: derived ids, the structure named), a scholarship and a discount, and expenses
// waiting for, or past, a second person's decision. Deterministic: fixed ids and dates.

const TENANT = DEMO_SCHOOL.id;
const ORIGIN = { mutationId: null, deviceId: null };

export const DEMO_FEES = {
  categories: ['Tuition', 'Lunch', 'Transport'] as const,
  term: 'Term 3 2026',
  postedAt: '2026-08-24T05:00:00.000Z',
} as const;

/** The demo fee categories' fixed ids, by name. */
export const DEMO_FEE_CATEGORY_IDS: Record<(typeof DEMO_FEES.categories)[number], string> = {
  Tuition: stableUuid('demo', 'fee-category', 'Tuition'),
  Lunch: stableUuid('demo', 'fee-category', 'Lunch'),
  Transport: stableUuid('demo', 'fee-category', 'Transport'),
};
/** The device id the seeded entries carry (no real device recorded them). */
export const DEMO_SEED_DEVICE_ID = stableUuid('demo', 'seed-device');

const fee = (category: keyof typeof DEMO_FEE_CATEGORY_IDS, instalments: [dueOn: string, amountMinor: number][]): FeeStructureItem => ({
  categoryId: DEMO_FEE_CATEGORY_IDS[category],
  amountMinor: instalments.reduce((s, [, a]) => s + a, 0),
  instalments: instalments.map(([dueOn, amountMinor]) => ({ dueOn, amountMinor })),
});

/** A class's Term 3 2026 fees: tuition in two instalments (more from Grade 4 up), lunch, and
 * transport for the lower grades. */
export function demoStructure(className: string): FeeStructureRow {
  const grade = Number(/Grade (\d+)/.exec(className)?.[1] ?? 1);
  const items = [
    grade >= 4 ? fee('Tuition', [['2026-08-31', 80_000], ['2026-10-01', 60_000]]) : fee('Tuition', [['2026-08-31', 70_000], ['2026-10-01', 50_000]]),
    fee('Lunch', [['2026-08-31', 30_000]]),
    ...(grade <= 3 ? [fee('Transport', [['2026-08-31', 20_000]])] : []),
  ];
  return { id: stableUuid('demo', 'fee-structure', DEMO_FEES.term, className), class_name: className, term: DEMO_FEES.term, items, active: true };
}

/** Seeds whatever part of the demo bursary is missing; returns whether it seeded anything. */
export async function seedDemoBursary(trx: TenantTrx): Promise<boolean> {
  const fees = await seedFees(trx);
  const discounts = await seedDiscounts(trx);
  const expenses = await seedExpenses(trx);
  return fees || discounts || expenses;
}

async function present(trx: TenantTrx, table: 'fee_categories' | 'discounts' | 'expenses', id: string): Promise<boolean> {
  return (await trx.selectFrom(table).select('id').where('tenant_id', '=', TENANT).where('id', '=', id).executeTakeFirst()) !== undefined;
}

async function enrolledStudents(trx: TenantTrx) {
  return trx
    .selectFrom('students')
    .select(['id', 'class_name'])
    .where('tenant_id', '=', TENANT)
    .where('status', '=', 'enrolled')
    .where('deleted', '=', false)
    .orderBy('admission_no')
    .execute();
}

/** Categories, a structure per class, and each structure applied as charges.post would apply
 * it: withdrawn and graduated students are not charged. A demo seeded before structures
 * existed keeps the charges it has. */
async function seedFees(trx: TenantTrx): Promise<boolean> {
  if (await present(trx, 'fee_categories', DEMO_FEE_CATEGORY_IDS.Tuition)) return false;
  for (const name of DEMO_FEES.categories) {
    await insertFeeCategory(trx, TENANT, { id: DEMO_FEE_CATEGORY_IDS[name], name, active: true }, ORIGIN);
  }
  const structures = new Map(CLASSES.map((c) => [c, demoStructure(c)]));
  for (const s of structures.values()) await saveFeeStructure(trx, TENANT, s, 'insert', ORIGIN);

  const rows: ChargeRow[] = [];
  for (const student of await enrolledStudents(trx)) {
    const structure = student.class_name === null ? undefined : structures.get(student.class_name);
    if (!structure) continue;
    for (const item of structure.items) {
      for (const { dueOn, amountMinor } of item.instalments) {
        rows.push({
          id: structureChargeId(structure.id, student.id, item.categoryId, dueOn),
          student_id: student.id,
          category_id: item.categoryId,
          description: '',
          amount_minor: amountMinor,
          currency: DEMO_SCHOOL.currency,
          term: structure.term,
          due_on: dueOn,
          posted_at: DEMO_FEES.postedAt,
          posted_by: DEMO_STAFF.bursar.displayName,
          device_id: DEMO_SEED_DEVICE_ID,
          structure_id: structure.id,
        });
      }
    }
  }
  await insertCharges(trx, TENANT, rows, ORIGIN);
  return true;
}

export const DEMO_DISCOUNT_IDS = {
  scholarship: stableUuid('demo', 'discount', 'scholarship'),
  sibling: stableUuid('demo', 'discount', 'sibling'),
};

/** A half-tuition scholarship for the second enrolled student and a sibling discount on the
 * whole term's bill for the fifth, worked out as discounts.grant checks them. */
async function seedDiscounts(trx: TenantTrx): Promise<boolean> {
  if (await present(trx, 'discounts', DEMO_DISCOUNT_IDS.scholarship)) return false;
  const enrolled = await enrolledStudents(trx);
  const grants: Omit<DiscountRow, 'amount_minor' | 'posted_at' | 'posted_by' | 'device_id'>[] = [];
  if (enrolled[1]) {
    grants.push({ id: DEMO_DISCOUNT_IDS.scholarship, student_id: enrolled[1].id, category_id: DEMO_FEE_CATEGORY_IDS.Tuition, kind: 'scholarship', basis: 'percent', percent_bp: 5_000, term: DEMO_FEES.term, reason: 'Academic scholarship: half of tuition' });
  }
  if (enrolled[4]) {
    grants.push({ id: DEMO_DISCOUNT_IDS.sibling, student_id: enrolled[4].id, category_id: null, kind: 'discount', basis: 'fixed', percent_bp: null, term: DEMO_FEES.term, reason: 'Sibling discount' });
  }
  let seeded = false;
  for (const g of grants) {
    const base = await discountBase(trx, TENANT, { studentId: g.student_id, categoryId: g.category_id, term: g.term });
    if (base === 0) continue;
    const amount = g.percent_bp !== null ? percentOf(g.percent_bp, base) : Math.min(10_000, base);
    await insertDiscount(trx, TENANT, { ...g, amount_minor: amount, posted_at: '2026-08-25T06:00:00.000Z', posted_by: DEMO_STAFF.bursar.displayName, device_id: DEMO_SEED_DEVICE_ID }, ORIGIN);
    seeded = true;
  }
  return seeded;
}

const expense = (key: string, fields: Pick<ExpenseRow, 'category' | 'payee' | 'description' | 'amount_minor' | 'method' | 'reference' | 'spent_on' | 'attachments' | 'recorded_at'>): ExpenseRow => ({
  id: stableUuid('demo', 'expense', key),
  currency: DEMO_SCHOOL.currency,
  recorded_by: DEMO_STAFF.bursar.displayName,
  recorded_by_id: DEMO_STAFF.bursar.id,
  device_id: DEMO_SEED_DEVICE_ID,
  ...fields,
});

export const DEMO_EXPENSES: readonly ExpenseRow[] = [
  expense('chalk', { category: 'Stationery', payee: 'Kilima Stationers', description: 'Chalk and exercise books', amount_minor: 450_000, method: 'cash', reference: null, spent_on: '2026-08-25', attachments: ['receipt-0825.pdf'], recorded_at: '2026-08-25T09:15:00.000Z' }),
  expense('roof', { category: 'Repairs', payee: 'Juma Fundi', description: 'Classroom roof leak', amount_minor: 1_280_000, method: 'mobile_money', reference: 'QK7H2M9P1X', spent_on: '2026-08-26', attachments: [], recorded_at: '2026-08-26T11:40:00.000Z' }),
  expense('diesel', { category: 'Transport', payee: 'Kilima Petrol Station', description: 'Diesel for the school bus', amount_minor: 920_000, method: 'cash', reference: null, spent_on: '2026-08-27', attachments: [], recorded_at: '2026-08-27T07:05:00.000Z' }),
];

/** The administrator's decisions: the first expense approved, the second rejected; the third
 * is still pending. */
const DEMO_DECISIONS: readonly ExpenseApprovalRow[] = [
  { id: stableUuid('demo', 'expense-approval', 'chalk'), expense_id: DEMO_EXPENSES[0]!.id, decision: 'approved', note: '', decided_at: '2026-08-25T12:00:00.000Z', decided_by: DEMO_STAFF.admin.displayName, decided_by_id: DEMO_STAFF.admin.id, device_id: DEMO_SEED_DEVICE_ID },
  { id: stableUuid('demo', 'expense-approval', 'roof'), expense_id: DEMO_EXPENSES[1]!.id, decision: 'rejected', note: 'Get a second quote first', decided_at: '2026-08-26T14:00:00.000Z', decided_by: DEMO_STAFF.admin.displayName, decided_by_id: DEMO_STAFF.admin.id, device_id: DEMO_SEED_DEVICE_ID },
];

async function seedExpenses(trx: TenantTrx): Promise<boolean> {
  if (await present(trx, 'expenses', DEMO_EXPENSES[0]!.id)) return false;
  const bursarOrigin = { ...ORIGIN, authorId: DEMO_STAFF.bursar.id };
  for (const e of DEMO_EXPENSES) await insertExpense(trx, TENANT, e, bursarOrigin);
  for (const d of DEMO_DECISIONS) await insertExpenseApproval(trx, TENANT, d, { ...ORIGIN, authorId: DEMO_STAFF.admin.id });
  return true;
}
