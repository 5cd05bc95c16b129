import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { EnrolRequest, ENROL_PATH, type EnrolResponse } from '../../../shared/sync/protocol.js';
import { parseInput } from '../../../shared/validate.js';
import type { ServerDatabase } from '../db/schema.js';
import { enrolDevice } from '../devices/enrol-device.js';

export interface RateLimit {
  max: number;
  timeWindowMs: number;
}
export type EnrolRateLimit = RateLimit;

export function registerEnrolRoute(app: FastifyInstance, db: Kysely<ServerDatabase>, rateLimit: EnrolRateLimit): void {
  app.post(
    ENROL_PATH,
    // Enrolment codes are guessable by brute force only if guesses are cheap.
    { config: { rateLimit: { max: rateLimit.max, timeWindow: rateLimit.timeWindowMs } } },
    async (request): Promise<EnrolResponse> => enrolDevice(db, parseInput(EnrolRequest, request.body, 'enrolment request')),
  );
}
