import { AppError } from '../../../shared/api/errors.js';
import { formatPosition, parsePosition, type ShapePosition } from '../../../shared/sync/snapshot.js';

/** A shape offset: the initial snapshot, "now", a place in a snapshot, or the seq of the last change seen. */
export type ShapeOffset =
  | { kind: 'initial' }
  | { kind: 'now' }
  | { kind: 'snapshot'; position: Exclude<ShapePosition, { kind: 'log' }> }
  | { kind: 'after'; seq: number };

export function parseOffset(raw: unknown): ShapeOffset {
  if (raw === undefined) throw new AppError('invalid_input', 'The "offset" parameter is required: -1 for a first sync, or the electric-offset of the last response.');
  if (raw === '-1') return { kind: 'initial' };
  if (raw === 'now') return { kind: 'now' };
  const position = typeof raw === 'string' ? parsePosition(raw) : null;
  if (!position) throw new AppError('invalid_input', `The "offset" parameter ${JSON.stringify(raw)} is not valid: use -1, now, or an offset like 42_0 from a previous response.`);
  return position.kind === 'log' ? { kind: 'after', seq: position.seq } : { kind: 'snapshot', position };
}

/** The log offset after `seq` (one change per seq, so the second part is 0 outside a snapshot). */
export function formatOffset(seq: number): string {
  return formatPosition({ kind: 'log', seq });
}
