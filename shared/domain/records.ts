import { z } from 'zod';

// Editable records (students, guardians, classes, events, scores, attendance …) merge field by
// field in server order (DESIGN §3). Every such row carries `meta`: for each field, the change
// seq that last wrote it and who wrote it. A device sends only the fields it changed and the
// version (seq) of each it read; the server applies the write and, when a field was changed by
// someone else since that version, records a conflict instead of losing the overwritten value.

/** Who last wrote one field of a record, and at which change seq of the school's log. */
export const FieldStamp = z.object({
  v: z.int().nonnegative(),
  d: z.uuid().nullable(),
  a: z.uuid().nullable(),
});
export type FieldStamp = z.infer<typeof FieldStamp>;

export const RecordMeta = z.object({ f: z.record(z.string(), FieldStamp) });
export type RecordMeta = z.infer<typeof RecordMeta>;
export const EMPTY_META: RecordMeta = { f: {} };

/** Columns every editable row has besides its own fields. */
export const recordColumns = {
  id: z.uuid(),
  /** Tombstone: a removed record stays (so a late edit from another device cannot resurrect it silently). */
  deleted: z.boolean(),
  meta: RecordMeta,
};

/** One record written by a `*.save` mutation: the changed fields only, and the version of each
 * as the device read it (0: the device had never seen the field). `create` says the device made
 * the record; on the server a create of an id that exists is merged like an update (two offices
 * creating the same derived id, e.g. the same attendance mark). */
export function recordWrite<F extends z.ZodObject>(fields: F) {
  return z.object({
    id: z.uuid(),
    create: z.boolean(),
    // `deleted` merges like any field: a tombstone, or a record brought back.
    fields: fields.extend({ deleted: z.boolean() }).partial().strict(),
    base: z.record(z.string(), z.int().nonnegative()).default({}),
  });
}

export const MAX_RECORDS_PER_MUTATION = 1000;

export function saveArgs<F extends z.ZodObject>(fields: F) {
  return z.object({ rows: z.array(recordWrite(fields)).min(1).max(MAX_RECORDS_PER_MUTATION) });
}

/** Whose earlier write counts as "someone else's": for most records a write from another device
 * (two offices editing the same student offline); for attendance, a write by another person (a
 * teacher correcting their own register from two rooms is not a conflict). */
export type ConflictPolicy = 'other-device' | 'other-author';

export interface Writer {
  seq: number;
  deviceId: string | null;
  authorId: string | null;
}

export interface FieldConflict {
  field: string;
  /** The value the write replaced, and who had written it. */
  lostValue: unknown;
  lostStamp: FieldStamp;
  /** The value kept (the newer write in server order). */
  keptValue: unknown;
}

export interface MergeResult {
  /** The fields that change (value differs from the current row). */
  patch: Record<string, unknown>;
  meta: RecordMeta;
  conflicts: FieldConflict[];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Merges one write into the current row (null: the record does not exist yet). The newer write
 * always wins; a field someone else changed after the version the writer read is reported as a
 * conflict with the value it overwrote. Fields written with the value they already hold change
 * nothing and raise nothing. Pure: the server uses it, and tests drive it directly.
 */
export function mergeFields(
  current: Record<string, unknown> | null,
  meta: RecordMeta | null,
  fields: Record<string, unknown>,
  base: Record<string, number>,
  writer: Writer,
  policy: ConflictPolicy,
): MergeResult {
  const stamps = { ...(meta?.f ?? {}) };
  const patch: Record<string, unknown> = {};
  const conflicts: FieldConflict[] = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const old = current ? current[field] : undefined;
    if (current && sameValue(old, value)) continue;
    const stamp = stamps[field];
    if (current && stamp && stamp.v > (base[field] ?? 0)) {
      const someoneElse = policy === 'other-device' ? stamp.d !== writer.deviceId : stamp.a !== writer.authorId;
      if (someoneElse) conflicts.push({ field, lostValue: old ?? null, lostStamp: stamp, keptValue: value });
    }
    patch[field] = value;
    stamps[field] = { v: writer.seq, d: writer.deviceId, a: writer.authorId };
  }
  return { patch, meta: { f: stamps }, conflicts };
}

/** The versions a device sends for the fields it changes: what its copy of the row says. */
export function baseVersions(meta: RecordMeta | null, fields: readonly string[]): Record<string, number> {
  const base: Record<string, number> = {};
  for (const f of fields) base[f] = meta?.f[f]?.v ?? 0;
  return base;
}

/** The fields of `next` whose value differs from `current` (all of them when there is no current row). */
export function changedFields<T extends Record<string, unknown>>(current: Partial<T> | null, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(next) as [keyof T, T[keyof T]][]) {
    if (v === undefined) continue;
    if (!current || !sameValue(current[k], v)) out[k] = v;
  }
  return out;
}
