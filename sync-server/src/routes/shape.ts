import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../../../shared/api/errors.js';
import { CHANGE_SHAPE_SCHEMA, SHAPE_PATH } from '../../../shared/sync/protocol.js';
import { PROTOCOL_VERSION_PARAM } from '../../../shared/sync/versions.js';
import { authenticateDevice } from '../auth/device-auth.js';
import { withTenant } from '../db/with-tenant.js';
import type { ChangeNotifier } from '../changes/notifier.js';
import type { ServerDatabase } from '../db/schema.js';
import { longPoll } from '../shape/long-poll.js';
import { changeMessage, MUST_REFETCH, UP_TO_DATE, type ShapeMessage } from '../shape/messages.js';
import { formatOffset, parseOffset } from '../shape/offset.js';
import type { readChanges } from '../shape/read-changes.js';
import { recheckDevice, sharedCurrentShape, sharedReadChanges } from '../shape/shared-reads.js';
import { countSnapshotRows, readSnapshotPage } from '../shape/snapshot.js';
import { formatPosition, ROWS_TOTAL_HEADER } from '../../../shared/sync/snapshot.js';
import { shapeTables } from '../shape/versions.js';

export interface ShapeRouteOptions {
  db: Kysely<ServerDatabase>;
  notifier: ChangeNotifier;
  chunkSize: number;
  /** Rows per page of a first sync (offset -1 and its phases). */
  snapshotChunkSize: number;
  liveTimeoutMs: number;
}

const ELECTRIC_HEADERS = ['electric-handle', 'electric-offset', 'electric-schema', 'electric-cursor', 'electric-up-to-date', ROWS_TOTAL_HEADER];
const SCHEMA_HEADER = JSON.stringify(CHANGE_SHAPE_SCHEMA);

interface ShapeQuery {
  offset?: string;
  handle?: string;
  live?: string;
  cursor?: string;
  where?: string;
  columns?: string;
  [PROTOCOL_VERSION_PARAM]?: string;
}

function setCors(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*');
  reply.header('access-control-expose-headers', ELECTRIC_HEADERS.join(', '));
}

/** A cursor that differs from the one the client sent, so each live response has a fresh URL
 * and no cache can answer a long-poll with a stale reply. */
function nextCursor(previous: string | undefined): string {
  const now = Math.floor(Date.now() / 1000);
  const prev = Number(previous);
  return String(Number.isSafeInteger(prev) && prev >= now ? prev + 1 : now);
}

export function registerShapeRoute(app: FastifyInstance, opts: ShapeRouteOptions): void {
  const { db, notifier, chunkSize, snapshotChunkSize, liveTimeoutMs } = opts;

  app.options(SHAPE_PATH, async (_request, reply) => {
    setCors(reply);
    reply.header('access-control-allow-headers', 'authorization, content-type');
    reply.header('access-control-allow-methods', 'GET, OPTIONS');
    return reply.code(204).send();
  });

  app.get<{ Querystring: ShapeQuery }>(SHAPE_PATH, async (request, reply) => {
    setCors(reply);
    const device = await authenticateDevice(db, request);
    const q = request.query;
    if (q.where !== undefined || q.columns !== undefined) {
      throw new AppError('invalid_input', 'This server decides the shape: do not send "where" or "columns"; the school and tables come from the device token.');
    }
    const offset = parseOffset(q.offset);
    const live = q.live === 'true';
    if (live && offset.kind !== 'after') {
      throw new AppError('invalid_input', 'live=true needs the offset of an up-to-date response, not -1, now or an offset inside a first sync.');
    }
    if ((offset.kind === 'after' || offset.kind === 'snapshot') && !q.handle) {
      throw new AppError('invalid_input', 'The "handle" parameter is required with an offset other than -1: send the electric-handle of the previous response.');
    }

    // The tables come from the device's enrolment profile and protocol version; a `table`
    // parameter is ignored.
    const tables = shapeTables(device.profile, q[PROTOCOL_VERSION_PARAM]);
    const shape = await sharedCurrentShape(db, device.tenantId, tables);
    reply.header('electric-handle', shape.handle);
    reply.header('electric-schema', SCHEMA_HEADER);
    reply.header('cache-control', 'no-store');
    if (q.handle !== undefined && q.handle !== shape.handle) {
      // The shape was rebuilt (breaking change): the device must drop its synced rows and refetch.
      reply.header('electric-offset', '-1');
      return reply.code(409).send([MUST_REFETCH]);
    }

    if (offset.kind === 'now') return answer(reply, [], formatOffset(shape.lastSeq), true, q.cursor);

    if (offset.kind === 'initial' || offset.kind === 'snapshot') {
      // A first sync: current records, then history, then the log (shape/snapshot.ts); never up to date on the way.
      const from = offset.kind === 'initial' ? ({ kind: 'current', seq: 0 } as const) : offset.position;
      const page = await withTenant(db, device.tenantId, async (trx) => {
        if (offset.kind === 'initial') reply.header(ROWS_TOTAL_HEADER, String(await countSnapshotRows(trx, tables, device.tenantId)));
        return readSnapshotPage(trx, tables, { tenantId: device.tenantId, from, limit: snapshotChunkSize, lastSeq: shape.lastSeq });
      });
      return answer(reply, page.rows.map(changeMessage), formatPosition(page.next), false, q.cursor);
    }

    const afterSeq = offset.seq;
    // Shared with requests at the same offset (one change wakes a school's long-polls together).
    const read = () => sharedReadChanges(db, tables, { tenantId: device.tenantId, afterSeq, limit: chunkSize + 1, includeDeleted: true });

    if (!live) return answerRows(reply, await read(), afterSeq, q.cursor);

    const abort = new AbortController();
    reply.raw.once('close', () => abort.abort());
    const polled = await longPoll({
      notifier,
      tenantId: device.tenantId,
      timeoutMs: liveTimeoutMs,
      signal: abort.signal,
      read,
      // Revoking a device or bumping the shape wakes the school's long-polls: a revoked device
      // gets 401 and a rebuilt shape 409 now, not at the next request.
      recheck: async () => {
        await recheckDevice(db, device.token);
        const now = await sharedCurrentShape(db, device.tenantId, tables);
        return now.handle === shape.handle ? null : now.handle;
      },
    });
    if (polled.kind === 'refetch') {
      reply.header('electric-handle', polled.handle);
      reply.header('electric-offset', '-1');
      return reply.code(409).send([MUST_REFETCH]);
    }
    return answerRows(reply, polled.rows, afterSeq, q.cursor);
  });

  function answerRows(reply: FastifyReply, rows: Awaited<ReturnType<typeof readChanges>>, afterSeq: number, cursor: string | undefined) {
    const more = rows.length > chunkSize;
    const page = more ? rows.slice(0, chunkSize) : rows;
    const lastSeq = page.at(-1)?.seq ?? afterSeq;
    return answer(reply, page.map(changeMessage), formatOffset(lastSeq), !more, cursor);
  }

  function answer(reply: FastifyReply, messages: ShapeMessage[], offset: string, upToDate: boolean, cursor: string | undefined) {
    reply.header('electric-offset', offset);
    reply.header('electric-cursor', nextCursor(cursor));
    if (upToDate) {
      reply.header('electric-up-to-date', 'true');
      messages.push(UP_TO_DATE);
    }
    return reply.code(200).send(messages);
  }
}
