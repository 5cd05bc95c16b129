import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import { chargeRowFromArgs, voidRowFromArgs, type MutationArgs } from '../../../shared/sync/mutations.js';
import type { FeeCategoryRow, VoidableTable } from '../../../shared/domain/fees.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { appendMutation, type RowRef } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';

// The bursary's ledger on the device: categories (editable), charges and voids (insert-only).
// Each write checks the same rules as the server and queues its mutation in one transaction.

export async function writeCategoryLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'fees.createCategory'>): Promise<RowRef[]> {
  const clash = await tx
    .selectFrom('fee_categories')
    .select('name')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', args.name.toLowerCase()))
    .executeTakeFirst();
  if (clash) throw new AppError('conflict', `There is already a fee category called "${clash.name}".`);
  await tx.insertInto('fee_categories').values({ id: args.id, name: args.name, active: 1 }).execute();
  return [{ table: 'fee_categories', id: args.id }];
}

export async function createCategory(db: Kysely<LocalDatabase>, author: SessionUser, name: string): Promise<FeeCategoryRow> {
  const args = { id: uuidv7(), name };
  await db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'fees.createCategory', args, [{ table: 'fee_categories', id: args.id }], author.id);
    await writeCategoryLocally(tx, args);
  });
  return { id: args.id, name, active: true };
}

export async function writeChargeLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'charges.post'>, deviceId: string): Promise<RowRef[]> {
  const student = await tx.selectFrom('students').select(['status', 'first_name', 'last_name', 'admission_no']).where('id', '=', args.studentId).executeTakeFirst();
  if (!student) throw new AppError('not_found', 'That student is not on this device. Search again, or sync to fetch new students.');
  if (student.status !== 'enrolled') {
    throw new AppError('conflict', `${student.first_name} ${student.last_name} (${student.admission_no}) is ${student.status}; fees are charged to enrolled students only.`);
  }
  const category = await tx.selectFrom('fee_categories').select(['active', 'name']).where('id', '=', args.categoryId).executeTakeFirst();
  if (!category) throw new AppError('not_found', 'That fee category is not on this device. Sync, then try again.');
  if (!category.active) throw new AppError('conflict', `The fee category "${category.name}" is no longer in use.`);
  await tx.insertInto('charges').values(chargeRowFromArgs(args, deviceId)).onConflict((oc) => oc.doNothing()).execute();
  return [{ table: 'charges', id: args.id }];
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
  };
  await db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'charges.post', args, [{ table: 'charges', id: args.id }], author.id);
    await writeChargeLocally(tx, args, device.device_id);
  });
  return args.id;
}

export async function writeVoidLocally(tx: Transaction<LocalDatabase>, args: MutationArgs<'ledger.void'>, deviceId: string): Promise<RowRef[]> {
  const target = await tx.selectFrom(args.targetTable).select('id').where('id', '=', args.targetId).executeTakeFirst();
  if (!target) throw new AppError('not_found', `That ${args.targetTable === 'payments' ? 'payment' : 'charge'} is not on this device.`);
  const earlier = await tx.selectFrom('voids').select(['voided_at', 'voided_by', 'reason']).where('target_id', '=', args.targetId).executeTakeFirst();
  if (earlier) {
    throw new AppError('conflict', `Already voided on ${earlier.voided_at.slice(0, 10)} by ${earlier.voided_by ?? 'someone'}: ${earlier.reason}`);
  }
  await tx.insertInto('voids').values(voidRowFromArgs(args, deviceId)).execute();
  return [{ table: 'voids', id: args.id }];
}

/** Reverses a payment or a charge with a reason. The original row is never changed. */
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
