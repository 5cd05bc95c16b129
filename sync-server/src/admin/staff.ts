import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import type { StaffRow } from '../../../shared/domain/staff.js';
import { uuidv7 } from '../../../shared/ids.js';
import type { CreateStaffRequest } from '../../../shared/sync/protocol.js';
import { hashPassword } from '../auth/passwords.js';
import type { StaffIdentity } from '../auth/staff-auth.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant, type TenantTrx } from '../db/with-tenant.js';
import { insertStaff } from '../staff/rows.js';

// Online only: passwords never travel through the sync log. The school is the caller's (from
// the tokens); an id of another school is simply not found, and answers never echo it.

const UNIQUE_VIOLATION = '23505';
const NO_SUCH_STAFF = 'No such staff member in this school.';

function usernameTaken(username: string): AppError {
  return new AppError('conflict', `The username "${username}" is already taken in this school; choose another.`);
}

function isUsernameViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown };
  return err.code === UNIQUE_VIOLATION && (err.constraint === 'staff_username_uq' || String(err.message).includes('staff_username_uq'));
}

/** Creates a staff account with a first password; the new row (never the hash) is a synced change. */
export async function createStaff(db: Kysely<ServerDatabase>, who: StaffIdentity, input: CreateStaffRequest): Promise<StaffRow> {
  const { tenantId, deviceId } = who.device;
  // Refuse cheaply before the slow hash; checked again inside the transaction.
  await withTenant(db, tenantId, (trx) => checkCreatable(trx, tenantId, input));
  const passwordHash = await hashPassword(input.password);
  const row: StaffRow = { id: uuidv7(), username: input.username, display_name: input.displayName, role_id: input.roleId, active: true };
  try {
    await withTenant(db, tenantId, async (trx) => {
      await checkCreatable(trx, tenantId, input);
      await insertStaff(trx, tenantId, row, passwordHash, { mutationId: null, deviceId, authorId: who.staff.id });
    });
  } catch (e) {
    // Two administrators creating the same username at once: one wins, the other hears why.
    if (isUsernameViolation(e)) throw usernameTaken(input.username);
    throw e;
  }
  return row;
}

async function checkCreatable(trx: TenantTrx, tenantId: string, input: CreateStaffRequest): Promise<void> {
  const role = await trx
    .selectFrom('roles')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', input.roleId)
    .where('deleted', '=', false)
    .executeTakeFirst();
  if (!role) throw new AppError('not_found', 'That role does not exist in this school; choose one of the school’s roles.');
  // Removed accounts keep their username: it stays in the login history and the audit trail.
  const taken = await trx.selectFrom('staff').select('id').where('tenant_id', '=', tenantId).where('username', '=', input.username).executeTakeFirst();
  if (taken) throw usernameTaken(input.username);
}

/** Clears a lockout (and the failed-attempt count) so the person can sign in again now. */
export async function unlockStaff(db: Kysely<ServerDatabase>, tenantId: string, staffId: string): Promise<void> {
  const row = await withTenant(db, tenantId, (trx) =>
    trx
      .updateTable('staff')
      .set({ failed_attempts: 0, locked_until: null })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', staffId)
      .where('deleted', '=', false)
      .returning('id')
      .executeTakeFirst(),
  );
  if (!row) throw new AppError('not_found', NO_SUCH_STAFF);
}

/** Sets a new password for someone who has forgotten theirs, and unlocks the account. */
export async function resetStaffPassword(db: Kysely<ServerDatabase>, tenantId: string, staffId: string, newPassword: string): Promise<void> {
  const exists = await withTenant(db, tenantId, (trx) =>
    trx.selectFrom('staff').select('id').where('tenant_id', '=', tenantId).where('id', '=', staffId).where('deleted', '=', false).executeTakeFirst(),
  );
  if (!exists) throw new AppError('not_found', NO_SUCH_STAFF);
  const hash = await hashPassword(newPassword);
  const row = await withTenant(db, tenantId, (trx) =>
    trx
      .updateTable('staff')
      .set({ password_hash: hash, password_changed_at: new Date(), failed_attempts: 0, locked_until: null })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', staffId)
      .where('deleted', '=', false)
      .returning('id')
      .executeTakeFirst(),
  );
  if (!row) throw new AppError('not_found', NO_SUCH_STAFF);
}
