import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildServer, type BuildServerOptions } from './app.js';
import { openServerDb, type ServerDb } from './db/connect.js';
import { DEMO_SCHOOL, FULL_DEMO, seedDemoSchool, type DemoSeedOptions } from './demo/seed-demo.js';

export interface StartSyncServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** PostgreSQL URL; without it the server runs on embedded PGlite. */
  databaseUrl?: string;
  /** PGlite data folder; in memory when absent. */
  dataDir?: string;
  /** The demo school: true is the full demo (FULL_DEMO: 3,000 students and a term's payment history). */
  seedDemo?: boolean | DemoSeedOptions;
  shapeChunkSize?: number;
  liveTimeoutMs?: number;
  enrolRateLimit?: BuildServerOptions['enrolRateLimit'];
  loginRateLimit?: BuildServerOptions['loginRateLimit'];
  jwtSecret?: string;
  mutationVersions?: BuildServerOptions['mutationVersions'];
  /** The request pool's PostgreSQL URL (role schoolhouse_app); see openServerDb. */
  appDatabaseUrl?: string;
  logger?: FastifyServerOptions['logger'];
}

export interface RunningSyncServer {
  url: string;
  port: number;
  db: ServerDb;
  /** The demo school's enrolment code when it was seeded. */
  demoEnrolmentCode: string | null;
  /** Stops HTTP, answers waiting long-polls, stops LISTEN and closes the database. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 1000;

/** Closes gracefully, but not forever: a client that holds a connection open without reading
 * its response (e.g. an abandoned prefetch) must not keep the server from stopping. */
async function closeApp(app: FastifyInstance): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

export async function startSyncServer(options: StartSyncServerOptions = {}): Promise<RunningSyncServer> {
  const db = await openServerDb({
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.appDatabaseUrl ? { appDatabaseUrl: options.appDatabaseUrl } : {}),
  });
  try {
    if (options.seedDemo) {
      await seedDemoSchool(db.db, typeof options.seedDemo === 'object' ? options.seedDemo : FULL_DEMO);
    }
    const app = await buildServer({
      db,
      ...(options.shapeChunkSize ? { shapeChunkSize: options.shapeChunkSize } : {}),
      ...(options.liveTimeoutMs ? { liveTimeoutMs: options.liveTimeoutMs } : {}),
      ...(options.enrolRateLimit ? { enrolRateLimit: options.enrolRateLimit } : {}),
      ...(options.loginRateLimit ? { loginRateLimit: options.loginRateLimit } : {}),
      ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
      ...(options.mutationVersions ? { mutationVersions: options.mutationVersions } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    const host = options.host ?? '127.0.0.1';
    try {
      await app.listen({ port: options.port ?? 0, host });
    } catch (e) {
      await app.close();
      throw e;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
    let closing: Promise<void> | undefined;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      db,
      demoEnrolmentCode: options.seedDemo ? DEMO_SCHOOL.enrolmentCode : null,
      close() {
        closing ??= closeApp(app).finally(() => db.close());
        return closing;
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
