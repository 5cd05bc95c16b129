import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { PushRequest, PUSH_PATH, type PushResponse } from '../../../shared/sync/protocol.js';
import { parseInput } from '../../../shared/validate.js';
import { authenticateDevice } from '../auth/device-auth.js';
import type { ServerDatabase } from '../db/schema.js';
import { applyMutations } from '../push/apply-mutation.js';
import type { MutationVersionWindow } from '../push/mutation-versions.js';

export function registerPushRoute(app: FastifyInstance, db: Kysely<ServerDatabase>, versions: MutationVersionWindow): void {
  app.post(PUSH_PATH, async (request): Promise<PushResponse> => {
    const device = await authenticateDevice(db, request);
    const body = parseInput(PushRequest, request.body, 'push request');
    return { results: await applyMutations(db, device, body.mutations, versions) };
  });
}
