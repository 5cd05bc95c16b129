import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { ChangeNotifier } from './changes/notifier.js';
import type { ServerDb } from './db/connect.js';
import { installErrorHandling } from './http/error-handler.js';
import { randomBytes } from 'node:crypto';
import { sharedJwtSecret } from './db/lookups.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerEnrolRoute, type EnrolRateLimit, type RateLimit } from './routes/enrol.js';
import { registerPushRoute } from './routes/push.js';
import { registerShapeRoute } from './routes/shape.js';
import { MUTATION_VERSIONS, type MutationVersionWindow } from './push/mutation-versions.js';

export interface BuildServerOptions {
  /** The opened database (see openServerDb); the caller closes it after the server. */
  db: ServerDb;
  /** Rows per shape response, a first sync's too when set (default 1,000 live, 5,000 in a first sync). */
  shapeChunkSize?: number;
  /** How long a live request waits for a change before answering up-to-date. */
  liveTimeoutMs?: number;
  enrolRateLimit?: EnrolRateLimit;
  /** Sign-in and password-change attempts per address; default 20 a minute. */
  loginRateLimit?: RateLimit;
  /** HS256 key for staff access tokens; default env SCHOOLHOUSE_JWT_SECRET, else one generated
   * once and stored in the database, so every server process shares it. */
  jwtSecret?: string;
  logger?: FastifyServerOptions['logger'];
  /** The mutation formats accepted (default MUTATION_VERSIONS); tests narrow or widen it. */
  mutationVersions?: MutationVersionWindow;
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
}

/** The sync server's HTTP app: enrolment, staff sign-in, administration, push (write path) and
 * shape (read path). */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  installErrorHandling(app);
  // Every body this server reads is JSON; anything else is refused with a clear message.
  app.removeContentTypeParser('text/plain');
  await app.register(rateLimit, { global: false });

  const notifier = await ChangeNotifier.start(options.db);
  // Answer waiting long-polls before the server waits for in-flight requests to finish.
  app.addHook('preClose', async () => notifier.close());

  // Requests are served as the app role: row-level security applies to every query.
  const db = options.db.app;
  const jwtSecret = options.jwtSecret ?? process.env.SCHOOLHOUSE_JWT_SECRET ?? (await sharedJwtSecret(db, randomBytes(32).toString('base64url')));
  registerEnrolRoute(app, db, options.enrolRateLimit ?? { max: 20, timeWindowMs: 60_000 });
  registerAuthRoutes(app, db, jwtSecret, options.loginRateLimit ?? { max: 20, timeWindowMs: 60_000 });
  registerAdminRoutes(app, db, jwtSecret);
  registerPushRoute(app, db, options.mutationVersions ?? MUTATION_VERSIONS);
  registerShapeRoute(app, {
    db,
    notifier,
    chunkSize: options.shapeChunkSize ?? 1000,
    // A first sync's pages are bigger: fewer round trips and index scans per row (docs/decisions.md).
    snapshotChunkSize: options.shapeChunkSize ?? 5000,
    liveTimeoutMs: options.liveTimeoutMs ?? 20_000,
  });
  await app.ready();
  return app;
}
