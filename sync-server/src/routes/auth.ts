import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { AUTH_LOGIN_PATH, AUTH_PASSWORD_PATH, ChangePasswordRequest, LoginRequest, type ChangePasswordResponse, type LoginResponse } from '../../../shared/sync/protocol.js';
import { parseInput } from '../../../shared/validate.js';
import { changePassword } from '../auth/change-password.js';
import { authenticateDevice } from '../auth/device-auth.js';
import { signStaffToken } from '../auth/jwt.js';
import { login } from '../auth/login.js';
import { authenticateStaff } from '../auth/staff-auth.js';
import type { ServerDatabase } from '../db/schema.js';
import type { RateLimit } from './enrol.js';

export function registerAuthRoutes(app: FastifyInstance, db: Kysely<ServerDatabase>, jwtSecret: string, rateLimit: RateLimit): void {
  // Password guessing is slowed per address here and per account by the lockout.
  const limited = { config: { rateLimit: { max: rateLimit.max, timeWindow: rateLimit.timeWindowMs } } };

  app.post(AUTH_LOGIN_PATH, limited, async (request): Promise<LoginResponse> => {
    const device = await authenticateDevice(db, request);
    return login(db, device, parseInput(LoginRequest, request.body, 'sign-in request'), jwtSecret);
  });

  app.post(AUTH_PASSWORD_PATH, limited, async (request): Promise<ChangePasswordResponse> => {
    const who = await authenticateStaff(db, request, jwtSecret, null);
    const changedAt = await changePassword(db, who, parseInput(ChangePasswordRequest, request.body, 'password change'));
    const { token, expiresAt } = signStaffToken(
      { sub: who.staff.id, tid: who.device.tenantId, did: who.device.deviceId, pwd: changedAt.getTime() },
      jwtSecret,
    );
    return { changed: true, accessToken: token, expiresAt: expiresAt.toISOString() };
  });
}
