import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import type { ServerDatabase } from '../db/schema.js';
import { sha256Hex } from './hash.js';
import { deviceByTokenHash, type DeviceByToken } from '../db/lookups.js';
import type { DeviceProfile } from '../../../shared/domain/permissions.js';

export interface DeviceIdentity {
  tenantId: string;
  deviceId: string;
  receiptSeries: string;
  /** Decides which tables the device receives (PROFILE_TABLES). */
  profile: DeviceProfile;
  /** The raw token, kept only in memory to re-check the device later in the same request. */
  token: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Resolves the device (and so the tenant) from the Bearer token: the only source of tenancy. */
export async function authenticateDevice(db: Kysely<ServerDatabase>, request: FastifyRequest): Promise<DeviceIdentity> {
  const header = request.headers.authorization;
  if (!header) {
    throw new AppError('unauthenticated', 'This request has no device token. Enrol this device with the school\'s enrolment code, then sync again.');
  }
  const token = BEARER.exec(header)?.[1];
  if (!token) {
    throw new AppError('unauthenticated', 'The Authorization header must be "Bearer <device token>". Enrol this device again if its token was lost.');
  }
  return deviceFromToken(db, token);
}

/** Resolves a raw device token; also used to re-check a device after a long wait. */
export async function deviceFromToken(db: Kysely<ServerDatabase>, token: string): Promise<DeviceIdentity> {
  return identityOf(await deviceByTokenHash(db, sha256Hex(token)), token);
}

/** The identity of the device a token's hash found, or the 401 saying why it may not sync. */
export function identityOf(device: DeviceByToken | undefined, token: string): DeviceIdentity {
  if (!device) {
    throw new AppError('unauthenticated', 'This device token is not recognised by the sync server. Enrol this device again with the school\'s enrolment code.');
  }
  if (device.revoked) {
    throw new AppError('unauthenticated', 'This device was removed from the school by an administrator. Ask the administrator to enrol it again.');
  }
  return { tenantId: device.tenant_id, deviceId: device.id, receiptSeries: device.receipt_series, profile: device.profile, token };
}
