// A device's whole first sync read over raw HTTP: a first sync comes in pages (current records,
// then history), so a test that wants "everything the device receives" follows the offsets to
// the up-to-date message, as the Electric client does.
import { expect } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SHAPE_PATH } from '../../shared/sync/protocol.js';

export interface ShapeMessage {
  key?: string;
  value?: { table: string; id: string; row: string | null; deleted?: boolean };
  headers?: { control?: string };
}

/** `seen` gets every raw answer (for tests that check what each answer names). */
export async function readSnapshot(
  app: FastifyInstance,
  headers: Record<string, string>,
  seen?: (res: LightMyRequestResponse) => void,
): Promise<ShapeMessage[]> {
  const all: ShapeMessage[] = [];
  let query = 'offset=-1';
  for (let page = 0; page < 10_000; page++) {
    const res = await app.inject({ method: 'GET', url: `${SHAPE_PATH}?${query}`, headers });
    seen?.(res);
    expect(res.statusCode, res.body).toBe(200);
    const messages = res.json() as ShapeMessage[];
    all.push(...messages);
    if (messages.some((m) => m.headers?.control === 'up-to-date')) return all;
    query = `offset=${String(res.headers['electric-offset'])}&handle=${encodeURIComponent(String(res.headers['electric-handle']))}`;
  }
  throw new Error('The snapshot never reached up-to-date');
}
