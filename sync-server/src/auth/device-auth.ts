import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import type { ServerDatabase } from '../db/schema.js';
import { sha256Hex } from './hash.js';

export interface DeviceIdentity {
  tenantId: string;
  deviceId: string;
  receiptSeries: string;
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
  const device = await db
    .selectFrom('devices')
    .select(['tenant_id', 'id', 'receipt_series', 'revoked_at'])
    .where('token_hash', '=', sha256Hex(token))
    .executeTakeFirst();
  if (!device) {
    throw new AppError('unauthenticated', 'This device token is not recognised by the sync server. Enrol this device again with the school\'s enrolment code.');
  }
  if (device.revoked_at) {
    throw new AppError('unauthenticated', 'This device was removed from the school by an administrator. Ask the administrator to enrol it again.');
  }
  return { tenantId: device.tenant_id, deviceId: device.id, receiptSeries: device.receipt_series };
}
