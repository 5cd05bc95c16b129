import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import { AppError } from '../../../shared/api/errors.js';
import { mutationArgs, MUTATION_PERMISSION, type MutationArgs, type MutationName } from '../../../shared/sync/mutations.js';
import { PERMISSION_LABELS } from '../../../shared/domain/permissions.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { appendMutation, type RowRef } from '../outbox/outbox.js';
import { requireDevice } from '../device/device-state.js';
import { writePaymentLocally } from './record-payment.js';
import { writeRoleLocally } from './update-role.js';
import { writeStaffLocally } from './update-staff.js';
import { writeCategoryLocally, writeChargeLocally, writeVoidLocally } from './ledger.js';

type Replayer<K extends MutationName> = (tx: Transaction<LocalDatabase>, args: MutationArgs<K>, by: { deviceId: string; author: SessionUser }) => Promise<RowRef[]>;

/** How each kind of change is put back on this device when it is resent: the same local
 * effect, with the same business rules, as when it was first made. */
const replayers: { [K in MutationName]: Replayer<K> } = {
  'payments.record': (tx, args, { deviceId }) => writePaymentLocally(tx, args, deviceId),
  'roles.update': async (tx, args) => {
    await writeRoleLocally(tx, args);
    return [{ table: 'roles', id: args.roleId }];
  },
  'staff.update': (tx, args, { author }) => writeStaffLocally(tx, args, author),
  'fees.createCategory': (tx, args) => writeCategoryLocally(tx, args),
  'charges.post': (tx, args, { deviceId }) => writeChargeLocally(tx, args, deviceId),
  'ledger.void': (tx, args, { deviceId }) => writeVoidLocally(tx, args, deviceId),
  'logins.record': async () => [],
};

async function parked(db: Kysely<LocalDatabase> | Transaction<LocalDatabase>, id: number) {
  const item = await db.selectFrom('needs_attention').selectAll().where('id', '=', id).executeTakeFirst();
  if (!item) throw new AppError('not_found', 'That item is no longer in "needs attention"; it may have been resent or discarded already.');
  return item;
}

/** Queues a refused change again as a new mutation by `author`, after checking that the author
 * may make it and that it still holds up here. */
export async function resendParked(db: Kysely<LocalDatabase>, id: number, author: SessionUser): Promise<void> {
  const device = await requireDevice(db);
  await db.transaction().execute(async (tx) => {
    const item = await parked(tx, id);
    const name = item.name as MutationName;
    if (!(name in mutationArgs)) throw new AppError('invalid_input', `This version of Schoolhouse cannot resend "${item.name}".`);
    const permission = MUTATION_PERMISSION[name];
    if (permission && !author.permissions.includes(permission)) {
      throw new AppError('forbidden', `Resending needs someone allowed to do this: ${PERMISSION_LABELS[permission]}. Ask them to sign in here and resend it.`);
    }
    const args = mutationArgs[name].parse(JSON.parse(item.args));
    const rows = await (replayers[name] as Replayer<MutationName>)(tx, args as never, { deviceId: device.device_id, author });
    await appendMutation(tx, name, args as never, rows, author.id);
    await tx.deleteFrom('needs_attention').where('id', '=', id).execute();
  });
}

export async function discardParked(db: Kysely<LocalDatabase>, id: number): Promise<void> {
  await parked(db, id);
  await db.deleteFrom('needs_attention').where('id', '=', id).execute();
}
