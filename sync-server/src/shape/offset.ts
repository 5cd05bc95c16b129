import { AppError } from '../../../shared/api/errors.js';

/** A shape offset: the initial snapshot, "now", or the seq of the last change seen. */
export type ShapeOffset = { kind: 'initial' } | { kind: 'now' } | { kind: 'after'; seq: number };

const OFFSET_PATTERN = /^(\d{1,15})_(\d{1,15})$/;

export function parseOffset(raw: unknown): ShapeOffset {
  if (raw === undefined) throw new AppError('invalid_input', 'The "offset" parameter is required: -1 for a first sync, or the electric-offset of the last response.');
  if (raw === '-1') return { kind: 'initial' };
  if (raw === 'now') return { kind: 'now' };
  const m = typeof raw === 'string' ? OFFSET_PATTERN.exec(raw) : null;
  if (!m) throw new AppError('invalid_input', `The "offset" parameter ${JSON.stringify(raw)} is not valid: use -1, now, or an offset like 42_0 from a previous response.`);
  return { kind: 'after', seq: Number(m[1]) };
}

/** Offsets this server hands out: one change per seq, so the second part is always 0. */
export function formatOffset(seq: number): string {
  return `${seq}_0`;
}
