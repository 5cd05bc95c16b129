import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { chargeRowFromArgs, voidRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import type { FeeCategoryRow, VoidableTable } from '../../../shared/domain/fees.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { appendMutation } from '../outbox/outbox.js';
import { requireEnrolledStudent } from './enrolled-student.js';
import { requireDevice } from '../device/device-state.js';

// The bursary's ledger on the device: categories (editable), charges and voids of any ledger
// entry (insert-only).
// Each write checks the same rules as the server and queues its mutation in one transaction.

export async function writeCategoryLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'fees.createCategory'>): Promise<void> {
  const clash = await tx
    .selectFrom('fee_categories')
    .select('name')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', args.name.toLowerCase()))
    .executeTakeFirst();
  if (clash) throw new AppError('conflict', `There is already a fee category called "${clash.name}".`);
  await tx.insertInto('fee_categories').values({ id: args.id, name: args.name, active: 1 }).execute();
}

export async function createCategory(db: Kysely<LocalDatabase>, author: SessionUser, name: string): Promise<FeeCategoryRow> {
  const args = { id: uuidv7(), name };
  await db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'fees.createCategory', args, [{ table: 'fee_categories', id: args.id }], author.id);
    await writeCategoryLocally(tx, args);
  });
  return { id: args.id, name, active: true };
}

/** A fee category that charges may use: on this device and still in use. */
export async function requireActiveCategory(tx: Transaction<LocalDatabase>, categoryId: string): Promise<string> {
  const category = await tx.selectFrom('fee_categories').select(['active', 'name']).where('id', '=', categoryId).executeTakeFirst();
  if (!category) throw new AppError('not_found', 'That fee category is not on this device. Sync, then try again.');
  if (!category.active) throw new AppError('conflict', `The fee category "${category.name}" is no longer in use.`);
  return category.name;
}

export async function insertCharge(tx: Transaction<LocalDatabase>, args: MutationArgs<'charges.post'>, deviceId: string): Promise<void> {
  await tx.insertInto('charges').values(chargeRowFromArgs(args, deviceId)).execute();
}

export async function writeChargeLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'charges.post'>, deviceId: string): Promise<void> {
  await requireEnrolledStudent(tx, args.studentId, 'fees are charged to enrolled students only');
  await requireActiveCategory(tx, args.categoryId);
  // A structure's charge has the same id on every device: one already here came from applying
  // the same structure on another computer, so resending this one would charge nothing new.
  if (args.structureId !== null && (await tx.selectFrom('charges').select('id').where('id', '=', args.id).executeTakeFirst())) {
    throw new AppError('conflict', 'The student already carries this charge: the fee structure was applied on another computer too. Discard this item.');
  }
  await insertCharge(tx, args, deviceId);
}

export async function postCharge(
  db: Kysely<LocalDatabase>,
  author: SessionUser,
  input: { studentId: string; categoryId: string; description: string; amountMinor: number; term: string | null; dueOn: string },
): Promise<string> {
  const device = await requireDevice(db);
  const args: MutationArgs<'charges.post'> = {
    id: uuidv7(),
    ...input,
    currency: device.currency,
    postedAt: new Date().toISOString(),
    postedBy: author.displayName,
    structureId: null,
  };
  await db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'charges.post', args, [{ table: 'charges', id: args.id }], author.id);
    await writeChargeLocally(tx, args, device.device_id);
  });
  return args.id;
}

/** What each voidable table holds, in words. */
export const ENTRY_NOUN: Record<VoidableTable, string> = {
  payments: 'payment',
  charges: 'charge',
  discounts: 'discount',
  refunds: 'refund',
  expenses: 'expense',
};

/** An entry is voided at most once; a void itself is never voided (it is not a voidable table). */
export async function writeVoidLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'ledger.void'>, deviceId: string): Promise<void> {
  const target = await tx.selectFrom(args.targetTable).select('id').where('id', '=', args.targetId).executeTakeFirst();
  if (!target) throw new AppError('not_found', `That ${ENTRY_NOUN[args.targetTable]} is not on this device.`);
  const earlier = await tx.selectFrom('voids').select(['voided_at', 'voided_by', 'reason']).where('target_id', '=', args.targetId).executeTakeFirst();
  if (earlier) {
    throw new AppError('conflict', `Already voided on ${earlier.voided_at.slice(0, 10)} by ${earlier.voided_by ?? 'someone'}: ${earlier.reason}`);
  }
  await tx.insertInto('voids').values(voidRowFromArgs(args, deviceId)).execute();
}

/** Reverses a ledger entry with a reason. The original row is never changed. */
export async function voidEntry(db: Kysely<LocalDatabase>, author: SessionUser, targetTable: VoidableTable, targetId: string, reason: string): Promise<void> {
  const device = await requireDevice(db);
  const args: MutationArgs<'ledger.void'> = {
    id: uuidv7(),
    targetTable,
    targetId,
    reason,
    voidedAt: new Date().toISOString(),
    voidedBy: author.displayName,
  };
  await db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'ledger.void', args, [{ table: 'voids', id: args.id }], author.id);
    await writeVoidLocally(tx, args, device.device_id);
  });
}
