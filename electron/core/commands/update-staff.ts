import type { Kysely, Transaction } from 'kysely';
import type { LocalDatabase } from '../store/database.js';
import type { StaffView } from '../../../shared/api/contract.js';
import type { MutationArgs } from '../../../shared/sync/mutations.js';
import type { SessionUser } from '../../../shared/domain/staff.js';
import { ADMINISTRATOR_ROLE_KEY } from '../../../shared/domain/permissions.js';
import { AppError } from '../../../shared/api/errors.js';
import { appendMutation } from '../outbox/outbox.js';
import { listStaff } from '../queries/staff.js';

type Args = MutationArgs<'staff.update'>;

/** The local effect of a staff change (new or resent), with the rules the server applies too:
 * nobody disables their own account, and a school always keeps an active administrator. */
export async function writeStaffLocally(tx: Transaction<LocalDatabase>, args: Args, author: SessionUser): Promise<void> {
  const person = await tx.selectFrom('staff').selectAll().where('id', '=', args.staffId).executeTakeFirst();
  if (!person) throw new AppError('not_found', 'That staff member is not on this device. Sync, then try again.');
  if (args.roleId !== undefined) {
    const role = await tx.selectFrom('roles').select('id').where('id', '=', args.roleId).executeTakeFirst();
    if (!role) throw new AppError('not_found', 'That role is not on this device. Sync, then try again.');
  }
  if (args.active === false && args.staffId === author.id) {
    throw new AppError('conflict', 'You cannot disable your own account. Ask another administrator.');
  }
  const patch = {
    ...(args.roleId !== undefined ? { role_id: args.roleId } : {}),
    ...(args.displayName !== undefined ? { display_name: args.displayName } : {}),
    ...(args.active !== undefined ? { active: args.active ? 1 : 0 } : {}),
  };
  await tx.updateTable('staff').set(patch).where('id', '=', args.staffId).execute();
  const admins = await tx
    .selectFrom('staff as s')
    .innerJoin('roles as r', 'r.id', 's.role_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.key', '=', ADMINISTRATOR_ROLE_KEY)
    .where('s.active', '=', 1)
    .executeTakeFirstOrThrow();
  if (Number(admins.n) === 0) {
    throw new AppError('conflict', 'The school must keep at least one active administrator. Make someone else an administrator first.');
  }
}

export async function updateStaff(db: Kysely<LocalDatabase>, author: SessionUser, args: Args): Promise<StaffView> {
  return db.transaction().execute(async (tx) => {
    await appendMutation(tx, 'staff.update', args, [{ table: 'staff', id: args.staffId }], author.id);
    await writeStaffLocally(tx, args, author);
    const [view] = await listStaff(tx, args.staffId);
    return view!;
  });
}
