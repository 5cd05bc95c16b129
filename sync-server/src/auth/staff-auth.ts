import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import type { Permission } from '../../../shared/domain/permissions.js';
import { STAFF_TOKEN_HEADER } from '../../../shared/sync/protocol.js';
import type { ServerDatabase } from '../db/schema.js';
import { withTenant } from '../db/with-tenant.js';
import { loadStaffMember, permissionPhrase, type StaffMember } from '../staff/authorise.js';
import { authenticateDevice, type DeviceIdentity } from './device-auth.js';
import { verifyStaffToken } from './jwt.js';

export interface StaffIdentity {
  device: DeviceIdentity;
  staff: StaffMember;
}

/**
 * Online staff routes need both the device token (Authorization) and the signed-in person's
 * access token (x-staff-token), issued on this device for this school. The permission comes
 * from the person's role as it is now, read on every request: a demotion takes effect at once,
 * not when the 15-minute token expires.
 */
export async function authenticateStaff(
  db: Kysely<ServerDatabase>,
  request: FastifyRequest,
  jwtSecret: string,
  permission: Permission | null,
): Promise<StaffIdentity> {
  const device = await authenticateDevice(db, request);
  const raw = request.headers[STAFF_TOKEN_HEADER];
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new AppError('unauthenticated', `This needs a signed-in staff member: sign in, then send the access token in the ${STAFF_TOKEN_HEADER} header.`);
  }
  const claims = verifyStaffToken(raw, jwtSecret);
  if ('invalid' in claims) {
    throw new AppError('unauthenticated', claims.invalid === 'expired' ? 'Your sign-in has expired; sign in again.' : 'Your sign-in is not valid; sign in again.');
  }
  if (claims.tid !== device.tenantId || claims.did !== device.deviceId) {
    throw new AppError('unauthenticated', 'This sign-in was made on another device; sign in again on this one.');
  }
  const staff = await withTenant(db, device.tenantId, (trx) => loadStaffMember(trx, device.tenantId, claims.sub));
  if (!staff) throw new AppError('unauthenticated', 'Your account no longer exists in this school; sign in again.');
  if (staff.passwordChangedAt.getTime() !== claims.pwd) {
    throw new AppError('unauthenticated', `${staff.displayName}'s password was changed after this sign-in; sign in again with the new password.`);
  }
  if (!staff.active) throw new AppError('forbidden', `${staff.displayName}'s account has been deactivated; ask an administrator.`);
  if (permission && !staff.permissions.includes(permission)) {
    throw new AppError('forbidden', `${staff.displayName} may not ${permissionPhrase(permission)} (role ${staff.roleName}); ask an administrator.`);
  }
  return { device, staff };
}
