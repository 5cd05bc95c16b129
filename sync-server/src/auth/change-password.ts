import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import type { ChangePasswordRequest } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant } from '../db/with-tenant.js';
import type { StaffIdentity } from './staff-auth.js';
import { hashPassword, verifyPassword } from './passwords.js';

/** Changes the signed-in staff member's own password, after checking the current one.
 * Returns the new change time, which the caller's fresh token must carry. */
export async function changePassword(db: Kysely<ServerDatabase>, who: StaffIdentity, input: ChangePasswordRequest): Promise<Date> {
  const { tenantId } = who.device;
  const current = await withTenant(db, tenantId, (trx) =>
    trx.selectFrom('staff').select('password_hash').where('tenant_id', '=', tenantId).where('id', '=', who.staff.id).executeTakeFirstOrThrow(),
  );
  if (!(await verifyPassword(input.currentPassword, current.password_hash))) {
    throw new AppError('unauthenticated', 'The current password is wrong; the password was not changed.');
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('invalid_input', 'The new password must differ from the current one.');
  }
  const hash = await hashPassword(input.newPassword);
  const changedAt = new Date();
  const updated = await withTenant(db, tenantId, (trx) =>
    trx
      .updateTable('staff')
      .set({ password_hash: hash, password_changed_at: changedAt, failed_attempts: 0 })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', who.staff.id)
      // Only if nobody changed it in between (another device, the same person).
      .where('password_hash', '=', current.password_hash)
      .executeTakeFirst(),
  );
  if (updated.numUpdatedRows === 0n) {
    throw new AppError('conflict', 'The password was changed on another computer just now; sign in again with the newest password.');
  }
  return changedAt;
}
