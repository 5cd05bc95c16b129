import { sql } from 'kysely';
import { settle, type Allocation, type LedgerCharge, type LedgerCredit, type Settlement } from '../../../shared/domain/ledger-math.js';
import type { VoidableTable } from '../../../shared/domain/fees.js';
import type { TenantTrx } from '../db/with-tenant.js';

// One student's ledger on the server, settled with the same settle() the devices use, so the
// server and every device derive the same position from the same rows.

interface Made {
  /** The device the entry was recorded on. */
  deviceId: string;
  /** The device that voided it, or null while it stands. */
  voidedOn: string | null;
}

export interface ServerCharge extends LedgerCharge, Made {
  term: string | null;
}
export type ServerCredit = LedgerCredit & Made;

export interface LedgerRows {
  charges: ServerCharge[];
  payments: ServerCredit[];
  discounts: ServerCredit[];
  refunds: (Made & { amountMinor: number })[];
}

export interface StudentLedger extends Settlement {
  /** The student's charges that are not voided. */
  charges: ServerCharge[];
}

/** The device of the void of each entry of `table`, joined by (table, id): ids are unique per
 * table only. */
const voidedOn = (table: VoidableTable, alias: string) =>
  sql<string | null>`(select v.device_id from voids v where v.tenant_id = ${sql.ref(`${alias}.tenant_id`)}
    and v.target_table = ${table} and v.target_id = ${sql.ref(`${alias}.id`)})`.as('voidedOn');

/** Every ledger row of one student, voided or not, with the device each was made and voided on. */
export async function loadLedgerRows(trx: TenantTrx, tenantId: string, studentId: string): Promise<LedgerRows> {
  const charges = await trx
    .selectFrom('charges as c')
    .select([
      'c.id',
      'c.category_id as categoryId',
      'c.amount_minor as amountMinor',
      sql<string>`to_char(c.due_on, 'YYYY-MM-DD')`.as('dueOn'),
      'c.posted_at as postedAt',
      'c.term',
      'c.device_id as deviceId',
      voidedOn('charges', 'c'),
    ])
    .where('c.tenant_id', '=', tenantId)
    .where('c.student_id', '=', studentId)
    .execute();
  const payments = await trx
    .selectFrom('payments as p')
    .select(['p.id', 'p.amount_minor as amountMinor', 'p.allocations', 'p.device_id as deviceId', voidedOn('payments', 'p')])
    .where('p.tenant_id', '=', tenantId)
    .where('p.student_id', '=', studentId)
    .execute();
  const discounts = await trx
    .selectFrom('discounts as d')
    .select(['d.id', 'd.amount_minor as amountMinor', 'd.category_id as categoryId', 'd.device_id as deviceId', voidedOn('discounts', 'd')])
    .where('d.tenant_id', '=', tenantId)
    .where('d.student_id', '=', studentId)
    .execute();
  const refunds = await trx
    .selectFrom('refunds as r')
    .select(['r.amount_minor as amountMinor', 'r.device_id as deviceId', voidedOn('refunds', 'r')])
    .where('r.tenant_id', '=', tenantId)
    .where('r.student_id', '=', studentId)
    .execute();
  return {
    charges,
    payments: payments.map((p) => ({ ...p, allocations: p.allocations as Allocation[] })),
    discounts,
    refunds,
  };
}

const live = <T extends Made>(rows: readonly T[]) => rows.filter((r) => r.voidedOn === null);
const total = (rows: readonly { amountMinor: number }[]) => rows.reduce((s, r) => s + r.amountMinor, 0);

/** The student's position now: the live (not voided) rows, settled. */
export function settleLive(rows: LedgerRows): StudentLedger {
  const charges = live(rows.charges);
  return { charges, ...settle(charges, live(rows.payments), live(rows.discounts), total(live(rows.refunds))) };
}

/**
 * The most a device can have known a charge to owe when it made a change: the ledger without
 * what other offices may have recorded that it had not yet received (their payments, discounts
 * and voids of charges), but with every refund. Each of those can only lower what a charge
 * owes, so this is never below what the device saw; what the device itself recorded reached the
 * server first, because a device pushes in order.
 */
export function settleAsSeenBy(rows: LedgerRows, deviceId: string): StudentLedger {
  const charges = rows.charges.filter((c) => c.voidedOn !== deviceId);
  const own = <T extends Made>(list: readonly T[]) => live(list).filter((r) => r.deviceId === deviceId);
  const refunds = rows.refunds.filter((r) => r.voidedOn !== deviceId);
  return { charges, ...settle(charges, own(rows.payments), own(rows.discounts), total(refunds)) };
}

export async function loadStudentLedger(trx: TenantTrx, tenantId: string, studentId: string): Promise<StudentLedger> {
  return settleLive(await loadLedgerRows(trx, tenantId, studentId));
}
