import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import { uuidv7 } from '../../../shared/ids.js';
import type { LoginRequest, LoginResponse } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant, type TenantTrx } from '../db/with-tenant.js';
import { StatusError } from '../http/error-handler.js';
import { loadStaffMember } from '../staff/authorise.js';
import { insertLogin } from '../staff/rows.js';
import type { DeviceIdentity } from './device-auth.js';
import { signStaffToken } from './jwt.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;
const WRONG = 'Wrong username or password.';

type Verdict =
  | { ok: true; response: LoginResponse }
  | { ok: false; error: AppError };

function lockedMessage(until: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' }).format(until);
  return `This account is locked after ${MAX_FAILED_ATTEMPTS} wrong passwords until ${time} (${timeZone}); try again then, or ask an administrator to unlock it.`;
}

/**
 * Checks a staff member's password on behalf of an enrolled device. Every attempt, right or
 * wrong, is appended to the school's login history (a synced change) and committed even when
 * the answer is an error; the error is thrown only after the commit.
 */
export async function login(db: Kysely<ServerDatabase>, device: DeviceIdentity, input: LoginRequest, jwtSecret: string): Promise<LoginResponse> {
  const { tenantId, deviceId } = device;
  // Read first, verify outside any transaction (scrypt is slow and must not hold row locks).
  const found = await withTenant(db, tenantId, async (trx) => {
    const staff = await trx
      .selectFrom('staff')
      .select(['id', 'password_hash', 'locked_until', 'active'])
      .where('tenant_id', '=', tenantId)
      .where('username', '=', input.username)
      .where('deleted', '=', false)
      .executeTakeFirst();
    const tenant = await trx.selectFrom('tenants').select('time_zone').where('id', '=', tenantId).executeTakeFirstOrThrow();
    return { staff, timeZone: tenant.time_zone };
  });
  const now = new Date();
  const staff = found.staff;
  const locked = staff?.locked_until && staff.locked_until > now ? staff.locked_until : null;
  // Unknown usernames cost the same scrypt as known ones: timing reveals nothing.
  const passwordOk = staff && !locked ? await verifyPassword(input.password, staff.password_hash) : await verifyAgainstDummy(input.password);

  // The verdict and its login-history row commit together.
  const verdict = await withTenant(db, tenantId, async (trx) => {
    const v = await decide(trx);
    await insertLogin(
      trx,
      tenantId,
      { id: uuidv7(), user_id: v.userId, username: input.username, device_id: deviceId, at: now.toISOString(), success: v.ok, offline: false, reason: v.reason },
      { mutationId: null, deviceId, authorId: v.userId },
    );
    return v;
  });
  if (!verdict.ok) throw verdict.error;
  return verdict.response;

  async function decide(trx: TenantTrx): Promise<Verdict & { userId: string | null; reason: string | null }> {
    if (!staff) return { ok: false, error: new AppError('unauthenticated', WRONG), userId: null, reason: 'Unknown username' };
    if (locked) return { ok: false, error: new StatusError(423, 'forbidden', lockedMessage(locked, found.timeZone)), userId: staff.id, reason: 'Account locked' };
    if (!passwordOk) {
      // Counted in SQL, so concurrent wrong guesses each count.
      const row = await trx
        .updateTable('staff')
        .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', staff.id)
        .returning('failed_attempts')
        .executeTakeFirstOrThrow();
      if (row.failed_attempts >= MAX_FAILED_ATTEMPTS) {
        const until = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000);
        // The counter restarts, so after the lock the person gets the full number of tries again.
        await trx.updateTable('staff').set({ failed_attempts: 0, locked_until: until }).where('tenant_id', '=', tenantId).where('id', '=', staff.id).execute();
        return { ok: false, error: new StatusError(423, 'forbidden', lockedMessage(until, found.timeZone)), userId: staff.id, reason: 'Wrong password; account locked' };
      }
      return { ok: false, error: new AppError('unauthenticated', WRONG), userId: staff.id, reason: 'Wrong password' };
    }
    if (!staff.active) {
      return {
        ok: false,
        error: new AppError('forbidden', 'This account has been deactivated. Ask an administrator if you should still have access.'),
        userId: staff.id,
        reason: 'Account deactivated',
      };
    }
    await trx.updateTable('staff').set({ failed_attempts: 0, locked_until: null }).where('tenant_id', '=', tenantId).where('id', '=', staff.id).execute();
    const member = (await loadStaffMember(trx, tenantId, staff.id))!;
    const { token, expiresAt } = signStaffToken({ sub: staff.id, tid: tenantId, did: deviceId, pwd: member.passwordChangedAt.getTime() }, jwtSecret, now.getTime());
    return {
      ok: true,
      userId: staff.id,
      reason: null,
      response: {
        accessToken: token,
        expiresAt: expiresAt.toISOString(),
        user: { id: member.id, username: member.username, displayName: member.displayName, roleId: member.roleId, roleName: member.roleName, permissions: member.permissions },
      },
    };
  }
}
